// Intake-to-notification latency (issue 5 budget: p99 ≤ 100 ms on loopback): a website form lead is posted to
// `otdel serve` (SQLite, synchronous=FULL), routed by the demo's round-robin rule, and the assignee's open live
// channel (SSE, as the browser holds it) receives the "routing.assigned" notification. Measures post → event.
//   OTDEL_BIN=build/release/src/app/otdel node bench/routing_notify.mjs [leads]
// Prints a Markdown table row; bench/results/routing.md keeps the last figures.
import { startServer } from '../tests/api/lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../tests/api/lib/client.js';
import { openSse } from '../tests/api/lib/sse.js';

const N = Number(process.argv[2] || 200);
const HOUR = 3_600_000;
const server = await startServer();
try {
  // The manual clock starts at the real time: move it to working hours so that somebody is on shift.
  for (let i = 0; i < 24 * 12; i++) {
    const admin = await signInAdmin(server);
    const sim = await admin.post('/api/v1/routing/simulate', { channel: 'form' });
    if (sim.body.decision.user_id) break;
    await admin.post('/api/v1/admin/clock', { advance_ms: HOUR });
  }
  const rop = await signInRop(server);
  const form = await rop.post('/api/v1/intake/forms', {
    name: 'Bench', allowed_origins: [], rate_per_ip_per_min: 100000, rate_per_key_per_min: 1000000,
  });
  if (form.status !== 201) throw new Error(form.text);
  const managers = [];
  for (const email of ['lead@otdel.demo', 'lead2@otdel.demo']) {
    const c = await signIn(server, { email, password: 'otdel-demo' });
    managers.push(await openSse(c));
  }
  const anon = new Client(server.url);
  const path = `/api/v1/public/forms/${form.body.public_key}/leads`;
  const ms = [];
  for (let i = 0; i < N; i++) {
    const title = `Кухня bench-${i}-${Date.now()}`;
    const arrived = Promise.any(managers.map((m) => m.waitFor((e) => {
      if (e.event !== 'notification') return false;
      const d = JSON.parse(e.data);
      return d.kind === 'routing.assigned' && d.params?.title === title;
    }, 5000)));
    const t0 = process.hrtime.bigint();
    const res = await anon.post(path, { name: 'Покупатель', phone: `+7 913 ${String(1000000 + i)}`, message: title });
    if (![200, 201, 202].includes(res.status)) throw new Error(`${res.status} ${res.text}`);
    await arrived;
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  for (const m of managers) m.close();
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))].toFixed(1);
  const p99 = Number(q(0.99));
  console.log(`| form post → assignee's live notification (${N} leads, one at a time) | p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${ms[ms.length - 1].toFixed(1)} ms | p99 ≤ 100 ms | ${p99 <= 100 ? 'met' : 'NOT met'} |`);
} finally {
  await server.dispose();
}
