// Durable jobs survive a restart: a job scheduled before a restart runs once, when its time comes.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createDatabase } from '../lib/server.js';
import { signInAdmin } from '../lib/client.js';

const servers = [];
let db;
after(async () => {
  for (const s of servers) await s.stop();
  await db?.drop();
});

const job = (c, id) => c.get(`/api/v1/admin/jobs/${id}`);

test('a scheduled job is kept across a restart and runs exactly once after the clock passes its time', async () => {
  db = await createDatabase();
  const first = await startServer({ db, seed: true });
  servers.push(first);
  let admin = await signInAdmin(first);

  const created = await admin.post('/api/v1/admin/jobs', { kind: 'test.echo', run_in_ms: 60_000, payload: { note: 'x' } });
  assert.ok([200, 201].includes(created.status), created.text);
  const id = created.body.id;
  assert.ok(Number.isSafeInteger(id) && id > 0, `job id ${id}`);

  // Not yet due: moving the clock by half the delay runs nothing.
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 30_000 })).status, 200);
  const pending = await job(admin, id);
  assert.equal(pending.status, 200, pending.text);
  assert.notEqual(pending.body.status, 'done', 'not run before its time');
  assert.equal(pending.body.attempts, 0);

  const stopped = await first.stop();
  assert.deepEqual({ code: stopped.code, forced: stopped.forced }, { code: 0, forced: false }, 'clean shutdown');

  // The manual clock starts at the real time on each start, so the job is still ~60 s ahead.
  const second = await startServer({ db, seed: false });
  servers.push(second);
  admin = await signInAdmin(second);
  const still = await job(admin, id);
  assert.equal(still.status, 200, 'the job survived the restart');
  assert.notEqual(still.body.status, 'done');

  const moved = await admin.post('/api/v1/admin/clock', { advance_ms: 120_000 });
  assert.equal(moved.status, 200);
  assert.ok(moved.body.jobs_run === undefined || moved.body.jobs_run >= 1, `jobs_run ${moved.body.jobs_run}`);
  const done = await job(admin, id);
  assert.equal(done.status, 200);
  assert.equal(done.body.status, 'done', JSON.stringify(done.body));
  assert.equal(done.body.attempts, 1);

  // Running is not repeated by later moves.
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 600_000 })).status, 200);
  assert.equal((await job(admin, id)).body.attempts, 1, 'ran exactly once');

  assert.equal((await job(admin, 987654321)).status, 404);
});
