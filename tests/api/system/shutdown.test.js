// Graceful shutdown: SIGTERM lets in-flight requests finish, exits 0, and stops accepting connections.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer } from '../lib/server.js';
import { signInAdmin } from '../lib/client.js';
import { sleep } from '../lib/checks.js';

let server;
after(async () => { await server?.dispose(); });

function connect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.setTimeout(3000);
    s.on('connect', () => { s.destroy(); resolve('connected'); });
    s.on('error', (e) => resolve(e.code));
    s.on('timeout', () => { s.destroy(); resolve('timeout'); });
  });
}

test('SIGTERM during a request: the request completes, the process exits 0, new connections are refused', async () => {
  server = await startServer();
  const admin = await signInAdmin(server);
  const started = Date.now();
  const inflight = admin.get('/api/v1/admin/sleep?ms=1500');
  await sleep(300);
  server.proc.kill('SIGTERM');

  const res = await inflight;
  assert.equal(res.status, 200, `in-flight request: ${res.text}`);
  assert.ok(Date.now() - started >= 1400, 'the sleep really ran to its end');

  let timer;
  const exit = await Promise.race([
    server.exited,
    new Promise((r) => { timer = setTimeout(() => r('timeout'), 10_000); }),
  ]);
  clearTimeout(timer);
  assert.notEqual(exit, 'timeout', `process did not exit within 10 s after SIGTERM; log:\n${server.log}`);
  assert.deepEqual(exit, { code: 0, signal: null }, `exit status; log:\n${server.log}`);
  assert.equal(await connect(server.port), 'ECONNREFUSED', 'new connections are refused');
});
