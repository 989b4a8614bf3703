// Assertions shared by several features.
import assert from 'node:assert/strict';

export const CYRILLIC = /[А-Яа-яЁё]/;

/** The security headers every response carries (CSP with frame-ancestors 'none', nosniff, Referrer-Policy). */
export function assertSecurityHeaders(headers, where) {
  const get = (k) => (typeof headers.get === 'function' ? headers.get(k) : headers[k.toLowerCase()]);
  const csp = get('content-security-policy');
  assert.ok(csp, `${where}: Content-Security-Policy present`);
  assert.match(csp, /frame-ancestors\s+'none'/, `${where}: CSP has frame-ancestors 'none'`);
  assert.equal(get('x-content-type-options'), 'nosniff', `${where}: X-Content-Type-Options`);
  assert.ok(get('referrer-policy'), `${where}: Referrer-Policy present`);
}

/** A field error with this field and code is in problem.errors. */
export function assertFieldError(res, field, code) {
  assert.ok(Array.isArray(res.body.errors), `errors[] present: ${res.text}`);
  assert.ok(res.body.errors.some((e) => e.field === field && e.code === code),
    `errors[] has {field: ${field}, code: ${code}}: ${JSON.stringify(res.body.errors)}`);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
