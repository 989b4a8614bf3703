// The administrators' manual test clock.
import { test, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signInAdmin, signInRop, checkProblem } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server;
let admin;
before(async () => { server = await startServer(); });
// Moving the clock by hours or days expires sessions (idle timeout), so every test signs in afresh.
beforeEach(async () => { admin = await signInAdmin(server); });
after(async () => { await server?.dispose(); });

const CLOCK = '/api/v1/admin/clock';

test('only administrators see the clock: 401 unauthenticated, 403 for a non-admin', async () => {
  const anon = await new Client(server.url).get(CLOCK);
  assert.equal(anon.status, 401);
  const rop = await signInRop(server);
  const forbidden = await rop.get(CLOCK);
  assert.equal(forbidden.status, 403);
  assert.equal(forbidden.body.code, 'forbidden');
  const move = await rop.post(CLOCK, { advance_ms: 1000 });
  assert.equal(move.status, 403);
  const res = await admin.get(CLOCK);
  assert.equal(res.status, 200);
  assert.equal(res.body.manual, true);
});

test('the manual clock stands still and moves exactly by advance_ms', async () => {
  const a = (await admin.get(CLOCK)).body.now;
  await new Promise((r) => setTimeout(r, 50));
  const b = (await admin.get(CLOCK)).body.now;
  assert.equal(b, a, 'does not move by itself');
  const moved = await admin.post(CLOCK, { advance_ms: 3_600_000 });
  assert.equal(moved.status, 200);
  assert.equal(moved.body.now, a + 3_600_000);
  assert.equal(moved.body.manual, true);
  assert.equal((await admin.get(CLOCK)).body.now, a + 3_600_000);
  const health = await new Client(server.url).get('/api/v1/health');
  assert.equal(health.body.time, a + 3_600_000, 'the whole server uses that clock');
});

test('set_ms forward moves there; backwards -> 409 conflict and the clock stays', async () => {
  const now = (await admin.get(CLOCK)).body.now;
  const fwd = await admin.post(CLOCK, { set_ms: now + 86_400_000 });
  assert.equal(fwd.status, 200);
  assert.equal(fwd.body.now, now + 86_400_000);
  admin = await signInAdmin(server);
  const back = await admin.post(CLOCK, { set_ms: now });
  assert.equal(back.status, 409);
  assert.equal(back.body.code, 'conflict');
  assert.equal((await admin.get(CLOCK)).body.now, now + 86_400_000);
});

test('moving the clock far ahead expires sessions: 401 session_expired', async () => {
  const other = await signInAdmin(server);
  assert.equal((await other.get('/api/v1/me')).status, 200);
  assert.equal((await admin.post(CLOCK, { advance_ms: 366 * 86_400_000 })).status, 200);
  const expired = await other.get('/api/v1/me');
  assert.equal(expired.status, 401);
  assert.equal(expired.body.code, 'session_expired');
  assert.equal((await signInAdmin(server)).me.email, 'admin@otdel.demo', 'a new sign-in works at the new time');
});

test('clock moves need CSRF and a valid body', async () => {
  const noCsrf = await admin.post(CLOCK, { advance_ms: 1 }, { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.code, 'csrf_failed');
  const cases = [
    [{}, null],
    [{ advance_ms: 1, set_ms: 1 }, null],
    [{ advance_ms: -1 }, 'advance_ms'],
    [{ advance_ms: 31_622_400_001 }, 'advance_ms'],
    [{ advance_ms: 'soon' }, 'advance_ms'],
    [{ advance_ms: 1.5 }, 'advance_ms'],
    [{ jump_ms: 1 }, 'jump_ms'],
  ];
  const before = (await admin.get(CLOCK)).body.now;
  for (const [body, field] of cases) {
    const res = await admin.post(CLOCK, body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    if (field) assert.ok(res.body.errors?.some((e) => e.field === field), `${JSON.stringify(body)}: errors[] names ${field}`);
  }
  assertFieldError(await admin.post(CLOCK, { jump_ms: 1 }), 'jump_ms', 'unknown_field');
  assert.equal((await admin.get(CLOCK)).body.now, before, 'refused moves changed nothing');
});

test('test-mode endpoints need an administrator', async () => {
  const anon = new Client(server.url);
  assert.equal((await anon.get('/api/v1/admin/sleep?ms=1')).status, 401);
  assert.equal((await anon.post('/api/v1/admin/jobs', { kind: 'test.echo', run_in_ms: 1, payload: {} })).status, 401);
  const rop = await signInRop(server);
  assert.equal((await rop.get('/api/v1/admin/sleep?ms=1')).status, 403);
  assert.equal((await rop.post('/api/v1/admin/jobs', { kind: 'test.echo', run_in_ms: 1, payload: {} })).status, 403);
  assert.equal((await admin.get('/api/v1/admin/sleep?ms=1')).status, 200);
});

test('without --manual-clock: the clock is real, moves -> 409 conflict, test endpoints do not exist', async () => {
  const real = await startServer({ manualClock: false });
  try {
    const a = await signInAdmin(real);
    const state = await a.get(CLOCK);
    assert.equal(state.status, 200);
    assert.equal(state.body.manual, false);
    assert.ok(Math.abs(state.body.now - Date.now()) < 5000, 'real time');
    const move = await a.post(CLOCK, { advance_ms: 1000 });
    assert.equal(move.status, 409);
    assert.equal(move.body.code, 'conflict');
    // The spec documents these test-mode operations without a 404, so only the problem shape is checked here.
    for (const res of [await a.get('/api/v1/admin/sleep?ms=1', { validate: false }),
      await a.post('/api/v1/admin/jobs', { kind: 'test.echo', run_in_ms: 1, payload: {} }, { validate: false }),
      await a.get('/api/v1/admin/jobs/1', { validate: false })]) {
      assert.equal(res.status, 404, `${res.method} ${res.path}`);
      checkProblem(res);
      assert.equal(res.body.code, 'not_found');
    }
  } finally {
    await real.dispose();
  }
});
