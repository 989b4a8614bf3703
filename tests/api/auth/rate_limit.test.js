// Brute-force protection on sign-in (its own server: the limiter's state must not leak into other tests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_ADMIN, DEMO_ROP } from '../lib/server.js';
import { Client } from '../lib/client.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

const MAX_ATTEMPTS = 50;

test('repeated failed logins -> 429 rate_limited with Retry-After; the right password is refused too meanwhile', async () => {
  const c = new Client(server.url);
  let limited = null;
  let failures = 0;
  for (let i = 0; i < MAX_ATTEMPTS; i++) {
    const res = await c.post('/api/v1/auth/login', { email: DEMO_ROP.email, password: `wrong-${i}` });
    if (res.status === 429) { limited = res; break; }
    assert.equal(res.status, 401, `attempt ${i}`);
    failures++;
  }
  assert.ok(limited, `no 429 after ${MAX_ATTEMPTS} failed logins`);
  assert.ok(failures >= 3, `a few honest typos are allowed first (got 429 after ${failures})`);
  assert.equal(limited.body.code, 'rate_limited');
  const retry = limited.headers.get('retry-after');
  assert.match(retry || '', /^\d+$/, `Retry-After in seconds: ${retry}`);
  assert.ok(Number(retry) >= 1 && Number(retry) <= 3600, `Retry-After ${retry}`);

  const right = await c.post('/api/v1/auth/login', DEMO_ROP);
  assert.equal(right.status, 429, 'while limited even the right password is refused (no oracle)');
  assert.equal(right.setCookies.filter((x) => x.value).length, 0, 'no session while limited');
});
