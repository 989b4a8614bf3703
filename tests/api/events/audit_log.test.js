// Audit log: every change and sign-in leaves a row written with the change; administrators read it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signInAdmin, signInRop } from '../lib/client.js';

let server;
let admin;
let rop;
before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
});
after(async () => { await server?.dispose(); });

test('sign-ins, profile changes and token creation are audited with actor, request id and before/after', async () => {
  const patch = await rop.patch('/api/v1/me', { full_name: 'Игорь Петрович Петров' }, { headers: { 'X-Request-Id': 'audit-test-1' } });
  assert.equal(patch.status, 200);
  const token = await rop.post('/api/v1/api-tokens', { name: 'Телефония' });
  assert.equal(token.status, 201);

  const log = await admin.get('/api/v1/audit-log?limit=200');
  assert.equal(log.status, 200);
  const actions = log.body.items.map((r) => r.action);
  assert.ok(actions.includes('user.login'), 'sign-in audited');
  const update = log.body.items.find((r) => r.action === 'user.update' && r.actor_user_id === rop.me.id);
  assert.ok(update, 'profile change audited');
  assert.equal(update.request_id, 'audit-test-1', 'request id recorded');
  assert.equal(update.actor_kind, 'user');
  assert.equal(update.ip, '127.0.0.1');
  assert.equal(update.object_type, 'user');
  assert.equal(update.object_id, rop.me.id);
  assert.equal(update.before.full_name, 'Игорь Петров');
  assert.equal(update.after.full_name, 'Игорь Петрович Петров');
  const created = log.body.items.find((r) => r.action === 'api_token.create');
  assert.ok(created, 'token creation audited');
  assert.ok(!JSON.stringify(log.body).includes(token.body.token), 'the token secret is never in the audit log');
  assert.ok(!JSON.stringify(log.body).includes('otdel-rop'), 'passwords are never in the audit log');
  for (let i = 1; i < log.body.items.length; i++) assert.ok(log.body.items[i - 1].id > log.body.items[i].id, 'newest first');
});

test('filters by object and pages with a cursor without repeats', async () => {
  const byUser = await admin.get(`/api/v1/audit-log?object_type=user&object_id=${rop.me.id}`);
  assert.equal(byUser.status, 200);
  assert.ok(byUser.body.items.length >= 1);
  for (const r of byUser.body.items) {
    assert.equal(r.object_type, 'user');
    assert.equal(r.object_id, rop.me.id);
  }
  const seen = [];
  let cursor = null;
  // Small pages over the whole log (the seeded workspace writes a few hundred rows): every page is followed.
  for (let i = 0; i < 2000; i++) {
    const res = await admin.get(`/api/v1/audit-log?limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.ok(res.body.items.length <= 3, 'a page holds at most limit rows');
    assert.equal(res.status, 200);
    seen.push(...res.body.items.map((r) => r.id));
    cursor = res.body.next_cursor;
    if (!cursor) break;
  }
  assert.equal(cursor, null, 'pagination ends');
  assert.equal(new Set(seen).size, seen.length, 'no repeats');
});

test('bad filters are 400 with the field named; non-admins get 403, anonymous 401', async () => {
  const badType = await admin.get('/api/v1/audit-log?object_type=User;DROP');
  assert.equal(badType.status, 400);
  assert.equal(badType.body.errors[0].field, 'object_type');
  const badId = await admin.get('/api/v1/audit-log?object_id=abc');
  assert.equal(badId.status, 400);
  assert.equal(badId.body.errors[0].field, 'object_id');
  const badCursor = await admin.get('/api/v1/audit-log?cursor=zzz');
  assert.equal(badCursor.status, 400);
  assert.equal((await rop.get('/api/v1/audit-log')).status, 403);
  assert.equal((await new Client(server.url).get('/api/v1/audit-log')).status, 401);
});
