// Error mapping: 404/405, body limit, malformed JSON, content type, validation; always problem+json, never 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.js';
import { Client, rawRequest } from '../lib/client.js';
import { validateResponse } from '../lib/openapi.js';
import { assertFieldError } from '../lib/checks.js';

let server;
let anon;
before(async () => { server = await startServer(); anon = new Client(server.url); });
after(async () => { await server?.dispose(); });

const LOGIN = '/api/v1/auth/login';

test('unknown API path -> 404 not_found problem', async () => {
  for (const path of ['/api/v1/does-not-exist', '/api/v1/', '/api/v2/health', '/api/v1/api-tokens/1/extra']) {
    const res = await anon.get(path);
    assert.equal(res.status, 404, path);
    assert.equal(res.body.code, 'not_found', path);
  }
});

test('wrong method on a known path -> 405 method_not_allowed with Allow', async () => {
  const res = await anon.request('DELETE', '/api/v1/health');
  assert.equal(res.status, 405);
  assert.equal(res.body.code, 'method_not_allowed');
  assert.match(res.headers.get('allow') || '', /\bGET\b/, 'Allow lists GET');
  const me = await anon.request('PUT', '/api/v1/me', { json: {} });
  assert.equal(me.status, 405);
  assert.match(me.headers.get('allow') || '', /\bPATCH\b/);
  assert.match(me.headers.get('allow') || '', /\bGET\b/);
});

test('malformed JSON -> 400 malformed_json', async () => {
  for (const body of ['{"email":', '{email: "a"}', '', 'null x', '\u0000']) {
    const res = await anon.request('POST', LOGIN, { body, headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 400, `body ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.code, 'malformed_json');
  }
});

test('deeply nested JSON is refused cleanly, not a crash', async () => {
  const deep = '['.repeat(100_000) + ']'.repeat(100_000);
  const res = await anon.request('POST', LOGIN, { body: deep, headers: { 'Content-Type': 'application/json' } });
  assert.ok([400, 413, 422].includes(res.status), `status ${res.status}`);
  assert.equal((await anon.get('/api/v1/health')).status, 200, 'server still alive');
});

test('a JSON body that is not an object -> 422 or 400, never 500', async () => {
  for (const body of ['[]', '"str"', '42', 'null']) {
    const res = await anon.request('POST', LOGIN, { body, headers: { 'Content-Type': 'application/json' } });
    assert.ok([400, 422].includes(res.status), `${body}: ${res.status}`);
  }
});

test('wrong or missing content type -> 415 unsupported_media_type', async () => {
  const body = JSON.stringify({ email: 'a@b.c', password: 'x' });
  for (const ct of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', null]) {
    const headers = ct ? { 'Content-Type': ct } : {};
    const res = await anon.request('POST', LOGIN, { body: ct ? body : new Blob([body]), headers });
    assert.equal(res.status, 415, `content type ${ct}: ${res.text}`);
    assert.equal(res.body.code, 'unsupported_media_type');
  }
  const charset = await anon.request('POST', LOGIN, { body, headers: { 'Content-Type': 'application/json; charset=utf-8' } });
  assert.notEqual(charset.status, 415, 'application/json with a charset parameter is accepted');
});

test('unknown field -> 422 validation_failed with errors[].code unknown_field', async () => {
  const res = await anon.post(LOGIN, { email: 'admin@otdel.demo', password: 'otdel-admin', remember: true });
  assert.equal(res.status, 422);
  assert.equal(res.body.code, 'validation_failed');
  assertFieldError(res, 'remember', 'unknown_field');
});

test('wrong type -> 422 wrong_type; missing -> required; too long -> too_long', async () => {
  const wrong = await anon.post(LOGIN, { email: 5, password: 'x' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.code, 'validation_failed');
  assertFieldError(wrong, 'email', 'wrong_type');

  const missing = await anon.post(LOGIN, { email: 'a@b.c' });
  assert.equal(missing.status, 422);
  assertFieldError(missing, 'password', 'required');

  const long = await anon.post(LOGIN, { email: `${'a'.repeat(250)}@b.cd`, password: 'x' });
  assert.equal(long.status, 422);
  assertFieldError(long, 'email', 'too_long');

  const both = await anon.post(LOGIN, { email: [], password: {} });
  assert.equal(both.status, 422);
  assertFieldError(both, 'email', 'wrong_type');
  assertFieldError(both, 'password', 'wrong_type');
});

/**
 * Sends an oversized body over a raw socket and resolves with the parsed answer. The server may answer 413
 * and close as soon as it sees the size, so write errors (EPIPE, ECONNRESET) after that are expected.
 */
function sendLarge(chunked) {
  const size = 2 * 1024 * 1024; // the server's body limit is 1 MiB
  const u = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: u.hostname, port: Number(u.port) });
    const chunks = [];
    const timer = setTimeout(() => { sock.destroy(); reject(new Error('no answer within 15 s')); }, 15_000);
    sock.on('data', (c) => chunks.push(c));
    sock.on('error', () => { /* the server closed early: read what it answered */ });
    sock.on('close', () => {
      clearTimeout(timer);
      const raw = Buffer.concat(chunks).toString('latin1');
      const m = raw.match(/^HTTP\/1\.1 (\d{3})[^\r]*\r\n([\s\S]*?)\r\n\r\n([\s\S]*)$/);
      if (!m) { reject(new Error(`no HTTP answer: ${JSON.stringify(raw.slice(0, 200))}`)); return; }
      const headers = {};
      for (const line of m[2].split('\r\n')) {
        const i = line.indexOf(':');
        headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
      }
      let body = m[3];
      if (/chunked/i.test(headers['transfer-encoding'] || '')) {
        let out = '';
        let rest = body;
        for (;;) {
          const j = rest.indexOf('\r\n');
          const n = parseInt(rest.slice(0, j), 16);
          if (!n) break;
          out += rest.slice(j + 2, j + 2 + n);
          rest = rest.slice(j + 2 + n + 2);
        }
        body = out;
      }
      resolve({ status: Number(m[1]), headers, body: Buffer.from(body, 'latin1').toString('utf8') });
    });
    sock.on('connect', () => {
      let head = `POST ${LOGIN} HTTP/1.1\r\nHost: ${u.host}\r\nContent-Type: application/json\r\nConnection: close\r\n`;
      head += chunked ? 'Transfer-Encoding: chunked\r\n\r\n' : `Content-Length: ${size}\r\n\r\n`;
      sock.write(head);
      const piece = Buffer.alloc(64 * 1024, 0x20);
      // With Content-Length the size is known from the headers: send a first piece only and wait for the 413
      // (sending all of it races the server's close against our reads: see the report on lingering close).
      let sent = chunked ? 0 : size - piece.length;
      const pump = () => {
        while (sent < size && !sock.destroyed) {
          sent += piece.length;
          const data = chunked ? Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]) : piece;
          if (!sock.write(data)) { sock.once('drain', pump); return; }
        }
        if (!sock.destroyed && chunked) sock.write('0\r\n\r\n');
      };
      pump();
    });
  });
}

for (const chunked of [false, true]) {
  test(`body over the limit (${chunked ? 'chunked' : 'Content-Length'}) -> 413 payload_too_large`, async () => {
    const res = await sendLarge(chunked);
    assert.equal(res.status, 413, res.body.slice(0, 300));
    assert.match(res.headers['content-type'] || '', /^application\/problem\+json/);
    const body = JSON.parse(res.body);
    assert.equal(body.code, 'payload_too_large');
    assert.equal(body.request_id, res.headers['x-request-id']);
    validateResponse({ method: 'POST', url: server.url + LOGIN, status: 413, contentType: res.headers['content-type'], body });
    assert.equal((await anon.get('/api/v1/health')).status, 200, 'server still alive');
  });
}

test('odd requests never produce a 5xx and are always problem+json when an error', async () => {
  const odd = [
    { method: 'GET', path: '/api/v1/api-tokens/abc' },
    { method: 'DELETE', path: '/api/v1/api-tokens/-1' },
    { method: 'DELETE', path: '/api/v1/api-tokens/99999999999999999999999' },
    { method: 'GET', path: '/api/v1/api-tokens?limit=0' },
    { method: 'GET', path: '/api/v1/api-tokens?limit=abc&cursor=%ff%fe' },
    { method: 'GET', path: '/api/v1/%00' },
    { method: 'GET', path: '/api/v1/me?x=' + 'y'.repeat(4000) },
    { method: 'POST', path: '/api/v1/health' },
    { method: 'OPTIONS', path: '/api/v1/me' },
    { method: 'PATCH', path: '/api/v1/me', headers: { 'Content-Type': 'application/json' }, body: '{}' },
    { method: 'POST', path: LOGIN, headers: { 'Content-Type': 'application/json' }, body: '{"email":"\\ud800","password":"x"}' },
    { method: 'POST', path: LOGIN, headers: { 'Content-Type': 'application/json' }, body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]) },
  ];
  for (const o of odd) {
    const res = await rawRequest(server.url, o);
    const where = `${o.method} ${o.path.slice(0, 60)} -> ${res.status}`;
    assert.ok(res.status < 500, `${where}: ${res.body.toString().slice(0, 300)}`);
    if (res.status >= 400 && o.method !== 'HEAD') {
      assert.match(res.headers['content-type'] || '', /^application\/problem\+json/, where);
      const body = JSON.parse(res.body.toString());
      assert.equal(body.request_id, res.headers['x-request-id'], where);
      validateResponse({ method: o.method, url: server.url + o.path, status: res.status, contentType: res.headers['content-type'], body });
    }
  }
  assert.equal((await anon.get('/api/v1/health')).status, 200, 'server still alive');
});

test('header over the header limit -> 431 or 400, not a crash', async () => {
  const res = await rawRequest(server.url, { path: '/api/v1/health', headers: { 'X-Big': 'x'.repeat(64 * 1024) } })
    .catch((e) => ({ status: 'closed', err: e }));
  if (res.status !== 'closed') assert.ok([400, 413, 431].includes(res.status), `status ${res.status}`);
  assert.equal((await anon.get('/api/v1/health')).status, 200, 'server still alive');
});
