// Notifications: created by security events, listed, pushed on the live SSE channel, marked read.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signInAdmin, signInRop } from '../lib/client.js';
import { openSse } from '../lib/sse.js';
import { validateSchema } from '../lib/openapi.js';

let server;
let admin;
let rop;
before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
});
after(async () => { await server?.dispose(); });

const KIND = 'security.api_token_created';

test('creating an API token creates a notification with its name, newest first', async () => {
  const name = `Токен ${Date.now()}`;
  const before = await admin.get('/api/v1/notifications');
  assert.equal(before.status, 200);
  const created = await admin.post('/api/v1/api-tokens', { name });
  assert.equal(created.status, 201);

  const list = await admin.get('/api/v1/notifications');
  assert.equal(list.status, 200);
  const n = list.body.items[0];
  assert.ok(n, 'a notification');
  assert.equal(n.kind, KIND, 'newest first');
  assert.equal(n.params.name, name);
  assert.equal(n.read_at, null);
  assert.ok(!JSON.stringify(n).includes(created.body.token), 'the secret is not in the notification');
  assert.equal(list.body.unread, before.body.unread + 1, 'unread count grew by one');
  assert.ok(!(await rop.get('/api/v1/notifications')).body.items.some((x) => x.id === n.id), 'not shown to another user');
});

test('the notification arrives on GET /api/v1/live as event "notification" within 5 s', async () => {
  const sse = await openSse(admin);
  try {
    const name = `Живой ${Date.now()}`;
    const created = await admin.post('/api/v1/api-tokens', { name });
    assert.equal(created.status, 201);
    const ev = await sse.waitFor((e) => e.event === 'notification' && JSON.parse(e.data).params?.name === name, 5000);
    const data = JSON.parse(ev.data);
    validateSchema('Notification', data, 'SSE notification data');
    assert.equal(data.kind, KIND);
    const listed = (await admin.get('/api/v1/notifications')).body.items.find((x) => x.id === data.id);
    assert.deepEqual(listed, data, 'same as the listed notification');
  } finally {
    sse.close();
  }
});

test('the live channel of one user does not carry another user\'s notifications', async () => {
  const ropLive = await openSse(rop);
  const adminLive = await openSse(admin);
  try {
    const name = `Только админ ${Date.now()}`;
    assert.equal((await admin.post('/api/v1/api-tokens', { name })).status, 201);
    await adminLive.waitFor((e) => e.event === 'notification' && JSON.parse(e.data).params?.name === name, 5000);
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(!ropLive.events.some((e) => e.event === 'notification' && e.data.includes(name)), 'rop got admin\'s notification');
  } finally {
    ropLive.close();
    adminLive.close();
  }
});

test('GET /api/v1/live without a session -> 401 problem', async () => {
  const res = await new Client(server.url).get('/api/v1/live');
  assert.equal(res.status, 401);
  assert.equal(res.body.code, 'unauthenticated');
});

test('mark read: CSRF needed, 204, read_at set, unread drops, idempotent; unknown or another user\'s -> 404', async () => {
  const name = `Прочитать ${Date.now()}`;
  assert.equal((await admin.post('/api/v1/api-tokens', { name })).status, 201);
  const list = await admin.get('/api/v1/notifications');
  const n = list.body.items.find((x) => x.params?.name === name);
  assert.ok(n);

  const noCsrf = await admin.post(`/api/v1/notifications/${n.id}/read`, undefined, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.code, 'csrf_failed');

  assert.equal((await rop.post(`/api/v1/notifications/${n.id}/read`)).status, 404, 'another user\'s notification');

  const ok = await admin.post(`/api/v1/notifications/${n.id}/read`);
  assert.equal(ok.status, 204);
  const after = await admin.get('/api/v1/notifications');
  const read = after.body.items.find((x) => x.id === n.id);
  assert.equal(typeof read.read_at, 'number');
  assert.ok(Math.abs(read.read_at - Date.now()) < 60_000);
  assert.equal(after.body.unread, list.body.unread - 1);

  assert.equal((await admin.post(`/api/v1/notifications/${n.id}/read`)).status, 204, 'marking again is fine');
  const again = await admin.get('/api/v1/notifications');
  assert.equal(again.body.items.find((x) => x.id === n.id).read_at, read.read_at, 'read_at kept');
  assert.equal(again.body.unread, after.body.unread);

  assert.equal((await admin.post('/api/v1/notifications/987654321/read')).status, 404);
  assert.equal((await new Client(server.url).post(`/api/v1/notifications/${n.id}/read`)).status, 401);
});

test('notifications paginate with a cursor without duplicates', async () => {
  for (let i = 0; i < 3; i++) assert.equal((await rop.post('/api/v1/api-tokens', { name: `n${i}` })).status, 201);
  const ids = [];
  let cursor = null;
  for (let page = 0; page < 50; page++) {
    const res = await rop.get(`/api/v1/notifications?limit=1${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200);
    assert.ok(res.body.items.length <= 1);
    ids.push(...res.body.items.map((x) => x.id));
    cursor = res.body.next_cursor;
    if (!cursor) break;
  }
  assert.equal(cursor, null);
  assert.ok(ids.length >= 3);
  assert.equal(new Set(ids).size, ids.length);
});
