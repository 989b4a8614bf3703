// The head's believable demo month and the drill-downs behind it (issue 8): the head of sales opens the dashboard and
// sees a 3.5M ₽ plan with a fact that fits the day of the month, the month's funnel with real times in stage, SLA
// breaches and overdue instalments; each plan vs fact figure opens down to the deals, payments or activities that
// add up to it, and each lead / response / SLA column of manager activity down to the lead assignments. Every role
// sees only what its visibility allows: a seller her own plan and funnel, the analyst everything, support nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { signIn, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, rop, seller, analyst, support;
const demo = (email) => ({ email, password: 'otdel-demo' });

before(async () => {
  server = await startServer();
  rop = await signInRop(server);
  seller = await signIn(server, demo('designer@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
  support = await signIn(server, demo('support@otdel.demo'));
});
after(async () => { await server?.dispose(); });

const MONEY = new Set(['revenue', 'payments_received']);
const cellOf = (l) => (l.user_id ? `cell_owner=${l.user_id}` : `cell_department_id=${l.department_id}`);

test('the demo month is believable: the plan, a fact that fits the day, the funnel, SLA breaches, overdue money', async () => {
  const d = await rop.get('/api/v1/reports/dashboard');
  assert.equal(d.status, 200, d.text);
  const { from, to, today } = d.body.scope;
  const days = (a, b) => (Date.parse(b) - Date.parse(a)) / 86_400_000 + 1;
  const gone = days(from, today), total = days(from, to);
  const top = d.body.plan_fact.lines.find((l) => l.metric === 'revenue' && l.department_id !== null);
  assert.equal(top.plan, 350_000_000, 'the department plan is 3.5M ₽');
  assert.ok(top.fact > 0, 'something was sold this month');
  // The fact follows the days gone: about the plan's pace, never a third of the month's plan in its first days.
  const expected = (350_000_000 * gone) / total;
  assert.ok(top.fact <= expected + 90_000_000, `fact ${top.fact} fits day ${gone} of ${total} (≈ ${expected})`);
  assert.ok(top.fact >= expected * 0.5 || gone <= 3, `fact ${top.fact} is not far behind day ${gone} of ${total}`);
  // The funnel of the month has deals, and they took real time in their stages.
  assert.ok(d.body.funnel.total.deals > 0, 'deals came this month');
  const stays = d.body.funnel.total.stages.filter((s) => s.median_stay_ms !== null);
  assert.ok(stays.some((s) => s.median_stay_ms >= 60 * 60 * 1000), 'a median stay of an hour or more');
  // The lead desk breached some SLAs this month, and some money is overdue (an instalment among it).
  assert.ok(d.body.sla.assigned > 0, 'leads were given out this month');
  assert.ok(d.body.sla.breaches > 0, 'some were answered too late');
  assert.ok(d.body.overdue_invoices.length > 0, 'some money is overdue');
  // The dashboard's SLA breaches open down to the assignments (the same count).
  const b = await rop.get('/api/v1/reports/activity/drilldown?period=month&measure=breaches');
  assert.equal(b.status, 200, b.text);
  assert.equal(b.body.kind, 'responses');
  assert.equal(b.body.count, d.body.sla.breaches);
  for (const i of b.body.items) assert.ok(i.breached_at !== null && i.breached_at >= i.at, 'a breach is after its assignment');
});

test('each plan vs fact figure opens down to the records that add up to it', async () => {
  const p = await rop.get('/api/v1/reports/plan-fact?period=month');
  assert.equal(p.status, 200, p.text);
  const lines = p.body.lines.filter((l) => l.fact > 0);
  const metrics = new Set(lines.map((l) => l.metric));
  for (const m of ['revenue', 'deals_won', 'calls', 'payments_received']) assert.ok(metrics.has(m), `a ${m} fact`);
  for (const l of lines) {
    const r = await rop.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=${l.metric}&${cellOf(l)}`);
    assert.equal(r.status, 200, r.text);
    const where = `${l.label.trim()} ${l.metric}`;
    assert.equal(MONEY.has(l.metric) ? r.body.amount_minor : r.body.count, l.fact, `${where}: the records add up`);
    assert.equal(r.body.items.length, r.body.count, `${where}: all listed`);
    const kind = l.metric === 'payments_received' ? 'payments' : l.metric === 'calls' || l.metric === 'meetings' ? 'activities' : 'deals';
    assert.equal(r.body.kind, kind, where);
    if (MONEY.has(l.metric)) assert.equal(r.body.items.reduce((x, i) => x + i.amount_minor, 0), l.fact, `${where}: sums`);
    if (l.metric === 'calls') assert.ok(r.body.items.every((i) => i.kind === 'call'), `${where}: calls only`);
  }
  // A department's list is its people's lists together.
  const dept = lines.find((l) => l.metric === 'revenue' && l.department_id !== null);
  const people = lines.filter((l) => l.metric === 'revenue' && l.user_id !== null);
  const all = await rop.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&${cellOf(dept)}`);
  const ids = new Set(all.body.items.map((i) => i.id));
  for (const l of people) {
    const r = await rop.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&${cellOf(l)}`);
    for (const i of r.body.items) assert.ok(ids.has(i.id), `deal ${i.id} of ${l.label.trim()} is in the department's`);
    for (const i of r.body.items) assert.equal(i.owner_user_id, l.user_id);
  }
});

test('plan vs fact drill-down: bad cells are 400 naming the field, in the caller\'s language', async () => {
  const none = await rop.get('/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue');
  assert.equal(none.status, 400, none.text);
  assertFieldError(none, 'cell_owner', 'either_or');
  const bad = await rop.get('/api/v1/reports/plan-fact/drilldown?period=month&measure=profit&cell_owner=4', { headers: { 'Accept-Language': 'en' } });
  assert.equal(bad.status, 422, bad.text);
  assertFieldError(bad, 'measure', 'unknown_metric');
  const owner = await rop.get('/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&cell_owner=x');
  assert.equal(owner.status, 400, owner.text);
  assertFieldError(owner, 'cell_owner', 'invalid');
});

test('manager activity: leads taken, answered and SLA breaches open down to the assignments', async () => {
  const a = await rop.get('/api/v1/reports/activity?period=month');
  assert.equal(a.status, 200, a.text);
  assert.ok(a.body.total.leads_taken > 0, 'the demo desk took leads this month');
  for (const measure of ['leads_taken', 'responded', 'breaches']) {
    const all = await rop.get(`/api/v1/reports/activity/drilldown?period=month&measure=${measure}`);
    assert.equal(all.status, 200, all.text);
    assert.equal(all.body.count, a.body.total[measure], `${measure}: total`);
    for (const row of a.body.by_person.filter((r) => r[measure] > 0)) {
      const cell = `cell_owner=${row.owner_user_id ?? 'none'}`;
      const r = await rop.get(`/api/v1/reports/activity/drilldown?period=month&measure=${measure}&${cell}`);
      assert.equal(r.body.count, row[measure], `${row.owner_name} ${measure}`);
      assert.ok(r.body.items.every((i) => i.owner_user_id === row.owner_user_id));
      if (measure === 'responded') assert.ok(r.body.items.every((i) => i.response_ms !== null));
    }
  }
  const day = a.body.by_person_day.find((r) => r.leads_taken > 0);
  const r = await rop.get(`/api/v1/reports/activity/drilldown?period=month&measure=leads_taken&cell_owner=${day.owner_user_id}&day=${day.day}`);
  assert.equal(r.body.count, day.leads_taken, 'one person, one day');
});

test('a seller\'s dashboard is her own plan, her funnel and her day; she opens only her own records', async () => {
  const me = seller.me.id;
  const s = await seller.get('/api/v1/reports/dashboard');
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.kind, 'seller');
  assert.equal(s.body.plan_fact.available, true);
  const mine = s.body.plan_fact.lines.filter((l) => l.user_id !== null);
  assert.ok(mine.length > 0, 'her own plan lines');
  assert.ok(mine.every((l) => l.user_id === me), 'only her own person lines');
  assert.ok(mine.some((l) => l.metric === 'revenue' && l.plan > 0), 'her revenue plan');
  assert.equal(s.body.sla, null);
  assert.deepEqual(s.body.overdue_invoices, []);
  // Her funnel is her own deals.
  for (const st of s.body.funnel.total.stages.filter((x) => x.reached > 0).slice(0, 2)) {
    const d = await seller.get(`/api/v1/reports/funnel/drilldown?period=month&owner=me&stage_id=${st.stage_id}&measure=reached`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.count, st.reached);
    assert.ok(d.body.items.every((i) => i.owner_user_id === me));
  }
  // Her own plan line opens; the head's department and other sellers' lines do not.
  const own = mine.find((l) => l.metric === 'revenue');
  const r = await seller.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&cell_owner=${me}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.amount_minor, own.fact);
  const head = await rop.get('/api/v1/reports/plan-fact?period=month');
  const other = head.body.lines.find((l) => l.user_id !== null && l.user_id !== me && l.metric === 'revenue' && l.fact > 0
    && !s.body.plan_fact.lines.some((x) => x.user_id === l.user_id));
  if (other) {
    const theirs = await seller.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&cell_owner=${other.user_id}`);
    assert.equal(theirs.status, 404, `${other.label.trim()} is not hers to open`);
  }
  const key = head.body.lines.find((l) => l.department_id !== null && l.label.trim() === 'Ключевые клиенты');
  if (key) {
    const dept = await seller.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=calls&cell_department_id=${key.department_id}`);
    assert.equal(dept.status, 404, 'another team is not hers to open');
  }
});

test('the analyst\'s dashboard: funnel, win/loss, forecast; she opens any figure; support has no reports', async () => {
  const a = await analyst.get('/api/v1/reports/dashboard');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.kind, 'analyst');
  assert.ok(a.body.forecast && a.body.win_loss, 'the forecast and win/loss');
  const head = await rop.get('/api/v1/reports/dashboard');
  assert.equal(a.body.funnel.total.deals, head.body.funnel.total.deals, 'she reads the whole workspace');
  const line = head.body.plan_fact.lines.find((l) => l.metric === 'revenue' && l.department_id !== null);
  const r = await analyst.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&${cellOf(line)}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.amount_minor, line.fact);
  const s = await support.get('/api/v1/reports/dashboard');
  assert.equal(s.status, 403, s.text);
  const sd = await support.get(`/api/v1/reports/plan-fact/drilldown?period=month&measure=revenue&${cellOf(line)}`);
  assert.equal(sd.status, 403, sd.text);
});
