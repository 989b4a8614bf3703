// The SPA: index.html, fallback for client-side routes (never for /api/...), gzip, no path traversal.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, webRoot } from '../lib/server.js';
import { Client, rawRequest } from '../lib/client.js';
import { assertSecurityHeaders } from '../lib/checks.js';

let server;
let anon;
let indexHtml;
let jsAsset; // e.g. /assets/index-abc123.js, taken from index.html
before(async () => {
  server = await startServer();
  anon = new Client(server.url);
  indexHtml = readFileSync(path.join(webRoot(), 'index.html'), 'utf8');
  const m = indexHtml.match(/<script[^>]+src="(\/[^"]+\.js)"/);
  assert.ok(m, 'index.html references a JS asset');
  jsAsset = m[1];
});
after(async () => { await server?.dispose(); });

test('GET / serves index.html as HTML', async () => {
  const res = await anon.get('/');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/html/);
  assert.equal(res.text, indexHtml);
});

test('a deep client-side link falls back to index.html', async () => {
  for (const p of ['/some/deep/link', '/leads/42', '/settings?tab=tokens']) {
    const res = await anon.get(p);
    assert.equal(res.status, 200, p);
    assert.match(res.headers.get('content-type'), /^text\/html/, p);
    assert.equal(res.text, indexHtml, p);
  }
});

test('no SPA fallback under /api/: unknown API paths are JSON 404s', async () => {
  for (const p of ['/api/v1/some/deep/link', '/api/nothing']) {
    const res = await anon.get(p);
    assert.equal(res.status, 404, p);
    assert.match(res.headers.get('content-type'), /^application\/problem\+json/, p);
    assert.doesNotMatch(res.text, /<html/i, p);
  }
});

test('a missing asset is a 404, not index.html', async () => {
  const res = await rawRequest(server.url, { path: '/assets/definitely-missing-file.js' });
  assert.equal(res.status, 404);
  assert.doesNotMatch(res.body.toString(), /<html/i);
});

test('JS asset: right content type, gzip when asked, identity otherwise', async () => {
  const file = readFileSync(path.join(webRoot(), jsAsset.replace(/^\//, '')));
  const plain = await rawRequest(server.url, { path: jsAsset, headers: { 'Accept-Encoding': 'identity' } });
  assert.equal(plain.status, 200);
  assert.match(plain.headers['content-type'], /^(text|application)\/javascript/);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.equals(file), 'identity body is the file');
  assertSecurityHeaders(plain.headers, jsAsset);

  const gz = await rawRequest(server.url, { path: jsAsset, headers: { 'Accept-Encoding': 'gzip, deflate, br' } });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers['content-encoding'], 'gzip');
  assert.match(gz.headers.vary || '', /accept-encoding/i, 'Vary: Accept-Encoding');
  assert.ok(gunzipSync(gz.body).equals(file), 'gzip body decompresses to the file');
  assert.ok(gz.body.length < file.length, 'compressed is smaller');
});

test('path traversal never escapes the web root', async () => {
  for (const p of ['/../../../../etc/passwd', '/assets/..%2f..%2f..%2f..%2fetc%2fpasswd', '/%2e%2e/%2e%2e/etc/passwd',
    '/assets/%2e%2e%5c%2e%2e%5cetc%5cpasswd', '/..%00/etc/passwd']) {
    const res = await rawRequest(server.url, { path: p });
    assert.ok(res.status < 500, `${p}: ${res.status}`);
    assert.doesNotMatch(res.body.toString(), /root:.*:0:0:/, `${p} leaked /etc/passwd`);
  }
});
