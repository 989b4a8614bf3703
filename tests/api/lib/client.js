// An HTTP client for the tests: a cookie jar, the CSRF header, bearer tokens, and on every response
// the contract checks (OpenAPI schema, problem+json shape, request id, never a 5xx).
import assert from 'node:assert/strict';
import http from 'node:http';
import { validateResponse } from './openapi.js';
import { DEMO_ADMIN, DEMO_ROP } from './server.js';

export const SESSION_COOKIE = 'otdel_session';
const REQUEST_TIMEOUT_MS = 15_000;

/** Parses one Set-Cookie header into {name, value, attrs} (attribute names lower-cased). */
export function parseSetCookie(header) {
  const [pair, ...rest] = header.split(';');
  const eq = pair.indexOf('=');
  const attrs = {};
  for (const a of rest) {
    const i = a.indexOf('=');
    const k = (i < 0 ? a : a.slice(0, i)).trim().toLowerCase();
    attrs[k] = i < 0 ? true : a.slice(i + 1).trim();
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attrs };
}

/** Checks every error response: problem+json with code/detail/request_id equal to the X-Request-Id header. */
export function checkProblem(res) {
  const where = `${res.method} ${res.path} -> ${res.status}`;
  assert.ok(res.status < 500 || res.status === 503, `${where}: server error\n${res.text.slice(0, 500)}`);
  if (res.status < 400) return;
  assert.match(res.headers.get('content-type') || '', /^application\/problem\+json/, `${where}: content type`);
  assert.equal(typeof res.body, 'object', `${where}: problem body is JSON`);
  assert.equal(res.body.status, res.status, `${where}: problem.status`);
  assert.ok(res.body.code, `${where}: problem.code`);
  assert.ok(typeof res.body.detail === 'string' && res.body.detail.length > 0, `${where}: problem.detail`);
  assert.equal(res.body.request_id, res.headers.get('x-request-id'), `${where}: request_id equals X-Request-Id`);
}

export class Client {
  constructor(baseUrl, { lang = null } = {}) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
    this.csrf = null;
    this.bearer = null;
    this.lang = lang;
  }

  cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get session() {
    return this.cookies.get(SESSION_COOKIE);
  }

  /**
   * Sends a request. opts: json (body), body (raw), headers, csrf (default true: sends X-CSRF-Token when
   * known), auth (default true: cookies / bearer), validate (default true). Returns
   * {status, headers, text, body, setCookies, method, path}.
   */
  async request(method, path, opts = {}) {
    const { json, body, headers = {}, csrf = true, auth = true, validate = true, signal } = opts;
    const h = { ...headers };
    if (this.lang && !Object.keys(h).some((k) => k.toLowerCase() === 'accept-language')) h['Accept-Language'] = this.lang;
    let payload = body;
    if (json !== undefined) {
      payload = JSON.stringify(json);
      if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['Content-Type'] = 'application/json';
    }
    if (auth) {
      if (this.cookies.size && !('Cookie' in h)) h.Cookie = this.cookieHeader();
      if (this.bearer && !('Authorization' in h)) h.Authorization = `Bearer ${this.bearer}`;
      if (csrf && this.csrf && !['GET', 'HEAD'].includes(method)) h['X-CSRF-Token'] = this.csrf;
    }
    const url = this.baseUrl + path;
    const r = await fetch(url, {
      method, headers: h, body: payload, redirect: 'manual',
      signal: signal ?? AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await r.text();
    const ct = r.headers.get('content-type') || '';
    let parsed;
    if (/json/.test(ct) && text.length) {
      try { parsed = JSON.parse(text); } catch (e) { assert.fail(`${method} ${path}: invalid JSON body (${e.message}): ${text.slice(0, 300)}`); }
    }
    const setCookies = r.headers.getSetCookie().map(parseSetCookie);
    for (const c of setCookies) {
      const expired = c.value === '' || c.attrs['max-age'] === '0' ||
        (c.attrs.expires && Date.parse(c.attrs.expires) < Date.now());
      if (expired) this.cookies.delete(c.name); else this.cookies.set(c.name, c.value);
    }
    const res = { status: r.status, headers: r.headers, text, body: parsed, setCookies, method, path };
    if (validate) {
      checkProblem(res);
      validateResponse({ method, url, status: r.status, contentType: ct, body: parsed ?? (text || undefined) });
    }
    return res;
  }

  get(path, opts) { return this.request('GET', path, opts); }
  post(path, json, opts = {}) { return this.request('POST', path, { ...opts, json }); }
  patch(path, json, opts = {}) { return this.request('PATCH', path, { ...opts, json }); }
  delete(path, opts) { return this.request('DELETE', path, opts); }
  put(path, json, opts = {}) { return this.request('PUT', path, { ...opts, json }); }

  /** Signs in; keeps the session cookie and the CSRF token. Asserts success. */
  async login({ email, password }) {
    const res = await this.post('/api/v1/auth/login', { email, password });
    assert.equal(res.status, 200, `login ${email}: ${res.text}`);
    assert.ok(this.session, 'login sets the session cookie');
    this.csrf = res.body.csrf_token;
    assert.ok(this.csrf, 'login returns csrf_token');
    this.me = res.body;
    return res;
  }
}

export async function signIn(server, who = DEMO_ADMIN, opts = {}) {
  const c = new Client(server.url, opts);
  await c.login(who);
  return c;
}
export const signInAdmin = (server, opts) => signIn(server, DEMO_ADMIN, opts);
export const signInRop = (server, opts) => signIn(server, DEMO_ROP, opts);

/**
 * A raw HTTP/1.1 request with node:http (no automatic decompression, any header bytes, streamed bodies).
 * Resolves {status, headers, body: Buffer}; rejects on a connection error before a response.
 */
export function rawRequest(baseUrl, { method = 'GET', path = '/', headers = {}, body = null, timeoutMs = REQUEST_TIMEOUT_MS } = {}) {
  const u = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}
