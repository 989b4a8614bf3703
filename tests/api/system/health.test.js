// Health, security headers and request ids.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DB_ENGINE } from '../lib/server.js';
import { Client, rawRequest } from '../lib/client.js';
import { assertSecurityHeaders } from '../lib/checks.js';

let server;
let anon;
before(async () => { server = await startServer(); anon = new Client(server.url); });
after(async () => { await server?.dispose(); });

test('GET /api/v1/health answers ok with the engine, schema version and server time', async () => {
  const res = await anon.get('/api/v1/health');
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  assert.equal(res.body.status, 'ok');
  assert.equal(res.body.database, DB_ENGINE);
  assert.ok(res.body.schema_version >= 1, 'migrations applied');
  // The manual clock starts at the real time.
  assert.ok(Math.abs(res.body.time - Date.now()) < 60_000, `time ${res.body.time} is near now`);
});

test('security headers are on every kind of response', async () => {
  const cases = [
    ['GET', '/api/v1/health'],
    ['GET', '/api/v1/me'], // 401
    ['GET', '/api/v1/does-not-exist'], // 404
    ['DELETE', '/api/v1/health'], // 405
    ['GET', '/'], // index.html
    ['GET', '/some/deep/link'], // SPA fallback
  ];
  for (const [method, path] of cases) {
    const res = await anon.request(method, path);
    assertSecurityHeaders(res.headers, `${method} ${path} (${res.status})`);
  }
});

test('a valid client-supplied X-Request-Id is echoed in the header and in problem.request_id', async () => {
  const id = 'test-req.42_AbC';
  const ok = await anon.get('/api/v1/health', { headers: { 'X-Request-Id': id } });
  assert.equal(ok.headers.get('x-request-id'), id);
  const err = await anon.get('/api/v1/me', { headers: { 'X-Request-Id': id } });
  assert.equal(err.status, 401);
  assert.equal(err.headers.get('x-request-id'), id);
  assert.equal(err.body.request_id, id);
  const max = 'a'.repeat(64);
  assert.equal((await anon.get('/api/v1/health', { headers: { 'X-Request-Id': max } })).headers.get('x-request-id'), max);
});

test('an invalid X-Request-Id is replaced by a generated one; ids are unique per request', async () => {
  const bad = ['a'.repeat(65), 'has space', 'semi;colon', '<script>', 'ünïcode'];
  for (const id of bad) {
    const res = await rawRequest(server.url, { path: '/api/v1/me', headers: { 'X-Request-Id': Buffer.from(id).toString('latin1') } });
    const got = res.headers['x-request-id'];
    assert.ok(got, `generated id for ${JSON.stringify(id)}`);
    assert.notEqual(got, id);
    assert.match(got, /^[A-Za-z0-9._-]{1,64}$/, `generated id ${got} is well-formed`);
    assert.equal(JSON.parse(res.body.toString()).request_id, got);
  }
  const a = await anon.get('/api/v1/health');
  const b = await anon.get('/api/v1/health');
  assert.ok(a.headers.get('x-request-id'));
  assert.notEqual(a.headers.get('x-request-id'), b.headers.get('x-request-id'));
});
