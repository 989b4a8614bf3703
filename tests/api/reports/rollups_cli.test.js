// `otdel migrate` builds the reports' rollups (migrations 0021, 0024) for every workspace that lacks them, so an
// upgrade that drops them does not leave a million-deal build to the first report's request; the reports then read
// them (the funnel's median time in stage included) with the same figures as before.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDatabase, runCli, startServer } from '../lib/server.js';
import { signInRop } from '../lib/client.js';

let db, server;
after(async () => {
  await server?.dispose();
  await db?.drop();
});

const year = '?from=2000-01-01&to=2100-12-31';

test('migrate builds the report rollups of an existing workspace; the funnel answers from them', async () => {
  db = await createDatabase();
  const fresh = await runCli(['migrate', '--db', db.url]);
  assert.doesNotMatch(fresh.stdout, /report rollups/, 'a new database has no workspace yet');
  await runCli(['seed-demo', '--db', db.url]);

  const again = await runCli(['migrate', '--db', db.url]);
  assert.match(again.stdout, /report rollups of workspace \d+ ready \(\d+ ms\)/, again.stdout);

  server = await startServer({ db });
  const rop = await signInRop(server);
  const f = await rop.get(`/api/v1/reports/funnel${year}`);
  assert.equal(f.status, 200, f.text);
  assert.ok(f.body.total.deals > 0, 'the demo has deals');
  const timed = f.body.total.stages.filter((s) => s.stays > 0);
  assert.ok(timed.length > 0, 'the demo has completed stays');
  for (const s of timed) assert.ok(Number.isInteger(s.median_stay_ms) && s.median_stay_ms >= 0, JSON.stringify(s));
});
