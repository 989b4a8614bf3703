// API tokens: create (secret once), list, bearer use without CSRF, revoke, ownership.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_ADMIN } from '../lib/server.js';
import { Client, signInAdmin, signInRop, rawRequest } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server;
let admin;
let rop;
before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
});
after(async () => { await server?.dispose(); });

function bearerClient(token) {
  const c = new Client(server.url);
  c.bearer = token;
  return c;
}

async function createToken(client, body) {
  const res = await client.post('/api/v1/api-tokens', body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test('create returns the secret once; the list shows the token without it', async () => {
  const created = await createToken(admin, { name: 'Интеграция с сайтом' });
  assert.equal(created.name, 'Интеграция с сайтом');
  assert.ok(created.token.length >= 24, 'secret has enough entropy');
  assert.ok(created.token.startsWith(created.prefix), 'prefix is the start of the token');
  assert.ok(created.prefix.length < created.token.length / 2, 'prefix reveals only a small part');
  assert.equal(created.expires_at, null, 'no expiry when not asked');
  assert.ok(Math.abs(created.created_at - Date.now()) < 60_000, 'created_at is now (ms)');

  const list = await admin.get('/api/v1/api-tokens');
  assert.equal(list.status, 200);
  const item = list.body.items.find((t) => t.id === created.id);
  assert.ok(item, 'listed');
  assert.equal(item.prefix, created.prefix);
  assert.equal(item.token, undefined, 'no secret in the list');
  assert.ok(!list.text.includes(created.token), 'the secret appears nowhere in the list');
  assert.ok(!(await rop.get('/api/v1/api-tokens')).body.items.some((t) => t.id === created.id), 'not in another user\'s list');
});

test('expires_in_days sets expires_at; out-of-range and invalid bodies -> 422', async () => {
  const t = await createToken(admin, { name: 'На неделю', expires_in_days: 7 });
  const week = 7 * 24 * 3600 * 1000;
  assert.ok(Math.abs(t.expires_at - t.created_at - week) < 60_000, `expires_at ${t.expires_at} = created_at + 7 days`);

  const cases = [
    [{ name: '' }, 'name', 'too_short'],
    [{ name: 'x'.repeat(101) }, 'name', 'too_long'],
    [{}, 'name', 'required'],
    [{ name: 7 }, 'name', 'wrong_type'],
    [{ name: 'a', expires_in_days: 0 }, 'expires_in_days', 'out_of_range'],
    [{ name: 'a', expires_in_days: 3651 }, 'expires_in_days', 'out_of_range'],
    [{ name: 'a', expires_in_days: 1.5 }, 'expires_in_days', 'wrong_type'],
    [{ name: 'a', scope: 'all' }, 'scope', 'unknown_field'],
  ];
  for (const [body, field, code] of cases) {
    const res = await admin.post('/api/v1/api-tokens', body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.body.code, 'validation_failed');
    assertFieldError(res, field, code);
  }
});

test('create needs CSRF with a cookie session and a session at all', async () => {
  const res = await admin.post('/api/v1/api-tokens', { name: 'без CSRF' }, { csrf: false });
  assert.equal(res.status, 403);
  assert.equal(res.body.code, 'csrf_failed');
  const anon = await new Client(server.url).post('/api/v1/api-tokens', { name: 'аноним' });
  assert.equal(anon.status, 401);
});

test('a bearer token authenticates without CSRF, and its use is recorded', async () => {
  const created = await createToken(admin, { name: 'CRM-коннектор' });
  const b = bearerClient(created.token);
  const me = await b.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.email, DEMO_ADMIN.email);

  const patched = await b.patch('/api/v1/me', { full_name: 'Администратор (через токен)' });
  assert.equal(patched.status, 200, 'state change with a bearer token needs no CSRF');
  const another = await b.post('/api/v1/api-tokens', { name: 'созданный токеном' });
  assert.equal(another.status, 201);

  const list = await admin.get('/api/v1/api-tokens');
  const item = list.body.items.find((t) => t.id === created.id);
  assert.equal(typeof item.last_used_at, 'number', 'last_used_at set after use');
  assert.ok(item.last_used_at >= created.created_at);
});

test('revoke: 204, the token then gets 401, it leaves the list, a second revoke -> 404', async () => {
  const created = await createToken(admin, { name: 'временный' });
  const b = bearerClient(created.token);
  assert.equal((await b.get('/api/v1/me')).status, 200);

  const noCsrf = await admin.delete(`/api/v1/api-tokens/${created.id}`, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal((await b.get('/api/v1/me')).status, 200, 'still valid after a refused revoke');

  const del = await admin.delete(`/api/v1/api-tokens/${created.id}`);
  assert.equal(del.status, 204);
  const after = await b.get('/api/v1/me');
  assert.equal(after.status, 401);
  assert.ok(!(await admin.get('/api/v1/api-tokens')).body.items.some((t) => t.id === created.id), 'gone from the list');
  assert.equal((await admin.delete(`/api/v1/api-tokens/${created.id}`)).status, 404);
  assert.equal((await admin.delete('/api/v1/api-tokens/987654321')).status, 404);
});

test('a token can revoke itself with bearer auth', async () => {
  const created = await createToken(admin, { name: 'самоотзыв' });
  const b = bearerClient(created.token);
  assert.equal((await b.delete(`/api/v1/api-tokens/${created.id}`)).status, 204);
  assert.equal((await b.get('/api/v1/me')).status, 401);
});

test('a user cannot revoke another user\'s token (404, and it keeps working)', async () => {
  const created = await createToken(admin, { name: 'чужой' });
  const res = await rop.delete(`/api/v1/api-tokens/${created.id}`);
  assert.equal(res.status, 404);
  assert.equal(res.body.code, 'not_found');
  assert.equal((await bearerClient(created.token).get('/api/v1/me')).status, 200);
});

test('garbage bearer tokens -> 401, never 500', async () => {
  const created = await createToken(admin, { name: 'образец' });
  const values = ['garbage', '', ' ', 'x'.repeat(5000), created.prefix, created.token.slice(0, -1),
    `${created.token}x`, created.token.toUpperCase() === created.token ? created.token.toLowerCase() : created.token.toUpperCase()];
  for (const v of values) {
    const res = await rawRequest(server.url, { path: '/api/v1/me', headers: { Authorization: `Bearer ${v}` } });
    assert.equal(res.status, 401, `bearer ${JSON.stringify(v.slice(0, 30))}: ${res.body.toString().slice(0, 200)}`);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
  }
  for (const h of ['Basic YWRtaW46b3RkZWw=', 'Bearer', 'bearer', `Token ${created.token}`]) {
    const res = await rawRequest(server.url, { path: '/api/v1/me', headers: { Authorization: h } });
    assert.equal(res.status, 401, `Authorization: ${h.slice(0, 30)}`);
  }
});

test('token list paginates with a cursor, newest first, no duplicates', async () => {
  for (let i = 0; i < 5; i++) await createToken(rop, { name: `страница ${i}` });
  const seen = [];
  let cursor = null;
  for (let page = 0; page < 20; page++) {
    const q = `/api/v1/api-tokens?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await rop.get(q);
    assert.equal(res.status, 200);
    assert.ok(res.body.items.length <= 2);
    seen.push(...res.body.items);
    cursor = res.body.next_cursor;
    if (!cursor) break;
  }
  assert.equal(cursor, null, 'pagination ends');
  const ids = seen.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length, 'no duplicates');
  assert.ok(ids.length >= 5);
  for (let i = 1; i < seen.length; i++) {
    assert.ok(seen[i - 1].created_at > seen[i].created_at ||
      (seen[i - 1].created_at === seen[i].created_at && seen[i - 1].id > seen[i].id), 'newest first');
  }
  const bad = await rop.get('/api/v1/api-tokens?limit=201');
  assert.equal(bad.status, 400);
  const badCursor = await rop.get('/api/v1/api-tokens?cursor=not-a-cursor');
  assert.equal(badCursor.status, 400);
});
