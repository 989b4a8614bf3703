// Plans, KPIs and goals over HTTP (PLAN-1 … PLAN-3) on the demo workspace: the head of sales sees the department's
// 3,500,000 ₽ plan split over the sellers with facts from the deals and a pace; he sets and splits plans (the split
// adds up exactly; a split that does not add up, a negative target, a period ending before it starts, an unknown
// metric are 422 in the caller's language and change nothing); a designer sees only her own plan and may set none;
// the analyst reads everything and sets nothing; goals measure themselves and overdue ones are listed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, admin, rop, designer, analyst, support;
const demo = (email) => ({ email, password: 'otdel-demo' });

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  designer = await signIn(server, demo('designer@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
  support = await signIn(server, demo('support@otdel.demo'));
});
after(async () => { await server?.dispose(); });

const line = (row, metric = 'revenue') => row.lines.find((l) => l.metric === metric);
const vsFact = async (who, query = 'metrics=revenue') => {
  const r = await who.get(`/api/v1/plans/vs-fact?${query}`);
  assert.equal(r.status, 200, r.text);
  return r.body;
};

test('the head sees the demo month: 3.5M ₽ split over the sellers, facts rolled up the tree, a pace', async () => {
  const v = await vsFact(rop);
  const top = v.rows[0];
  assert.equal(top.kind, 'department');
  assert.equal(line(top).target, 350_000_000);
  assert.equal(line(top).children_target, 350_000_000, 'the split adds up to the department plan');
  const people = v.rows.filter((r) => r.kind === 'person');
  const planned = people.filter((p) => line(p).target !== null);
  assert.equal(planned.length, 4, 'four sellers carry a plan');
  assert.equal(planned.reduce((s, p) => s + line(p).target, 0), 350_000_000);
  // The department's fact is its people's facts summed (every deal has one owner placed in the tree).
  assert.equal(line(top).fact, people.reduce((s, p) => s + line(p).fact, 0));
  assert.ok(line(top).fact > 0, 'the demo has won deals this month');
  assert.ok(v.pace.working_days_total >= v.pace.working_days_elapsed);
  assert.ok(line(top).projected >= line(top).fact);
  assert.ok(top.can_edit);
  // The KPI figure is the same number.
  const k = await rop.get('/api/v1/kpis?kpis=revenue,deals_won,win_rate');
  assert.equal(k.status, 200, k.text);
  assert.equal(k.body.items.find((i) => i.kpi === 'revenue').value, line(top).fact);
  assert.equal(k.body.items.length, 3);
});

test('a designer sees her own plan and her team only, and cannot set a plan or a goal', async () => {
  const me = (await designer.get('/api/v1/me')).body;
  const v = await vsFact(designer);
  const people = v.rows.filter((r) => r.kind === 'person');
  assert.ok(people.some((p) => p.id === me.id), 'her own row');
  // Besides herself only whom she substitutes this week (Елена is on vacation: ORG-4), never the other team.
  const everyone = (await vsFact(rop)).rows.filter((r) => r.kind === 'person');
  const elena = everyone.find((p) => p.name === 'Елена Морозова');
  for (const p of people) assert.ok(p.id === me.id || p.id === elena?.id, `never a colleague: ${p.name}`);
  assert.ok(!people.some((p) => p.name === 'Мария Соколова' || p.name === 'Павел Волков'));
  assert.ok(v.rows.every((r) => !r.can_edit));
  const top = (await vsFact(rop)).rows[0];
  const refused = await designer.post('/api/v1/plans',
    { period: 'month', first_day: v.period.first_day, department_id: top.id, metric: 'revenue', target: 1 });
  assert.equal(refused.status, 403, refused.text);
  const goal = await designer.post('/api/v1/goals', {
    title: 'Сама себе', kpi: 'revenue', target: 1, owner_user_id: people[0].id,
    starts_on: v.period.first_day, deadline: v.period.last_day,
  });
  assert.equal(goal.status, 403, goal.text);
  // Her KPIs count only her own records.
  const mine = (await designer.get('/api/v1/kpis?kpis=revenue')).body.items[0].value;
  const all = (await rop.get('/api/v1/kpis?kpis=revenue')).body.items[0].value;
  assert.ok(mine <= all);
  assert.equal(mine, people.reduce((sum, p) => sum + line(p).fact, 0));
});

test('the analyst reads everything and sets nothing; support has no plans at all', async () => {
  const v = await vsFact(analyst);
  assert.equal(line(v.rows[0]).target, 350_000_000);
  const refused = await analyst.post('/api/v1/plans',
    { period: 'month', first_day: v.period.first_day, department_id: v.rows[0].id, metric: 'calls', target: 10 });
  assert.equal(refused.status, 403, refused.text);
  const none = await support.get('/api/v1/plans/vs-fact');
  assert.equal(none.status, 403, none.text);
});

test('bad plans are refused with field errors in the caller language and change nothing', async () => {
  const v = await vsFact(rop);
  const dept = v.rows[0].id;
  const base = { period: 'month', first_day: v.period.first_day, department_id: dept, metric: 'revenue' };
  const negative = await rop.post('/api/v1/plans', { ...base, target: -100 });
  assert.equal(negative.status, 422, negative.text);
  assertFieldError(negative, 'target', 'negative_target');
  assert.match(negative.body.errors[0].message, /отрицательн/);
  assert.equal((await rop.patch('/api/v1/me', { locale: 'en' })).status, 200);
  const backwards = await rop.post('/api/v1/plans', { ...base, target: 5, last_day: '2000-01-01' });
  assert.equal(backwards.status, 422, backwards.text);
  assertFieldError(backwards, 'last_day', 'before_start');
  const unknown = await rop.post('/api/v1/plans', { ...base, target: 5, metric: 'karma' });
  assertFieldError(unknown, 'metric', 'unknown_metric');
  assert.match(unknown.body.errors[0].message, /Unknown metric/);
  assert.equal((await rop.patch('/api/v1/me', { locale: 'ru' })).status, 200);
  const badKpi = await rop.get('/api/v1/kpis?kpis=happiness');
  assert.equal(badKpi.status, 422, badKpi.text);
  assert.equal(line((await vsFact(rop)).rows[0]).target, 350_000_000, 'nothing changed');
});

test('the head splits a plan: amounts must add up, weights share the remainder exactly, every change audited',
  async () => {
    const v = await vsFact(rop, 'metrics=calls');
    const dept = v.rows[0];
    const people = v.rows.filter((r) => r.kind === 'person').slice(0, 3);
    assert.equal(people.length, 3);
    const set = await rop.post('/api/v1/plans',
      { period: 'month', first_day: v.period.first_day, department_id: dept.id, metric: 'calls', target: 100 });
    assert.equal(set.status, 201, set.text);
    const bad = await rop.post(`/api/v1/plans/${set.body.id}/split`,
      { mode: 'amounts', people: people.map((p) => ({ user_id: p.id, amount: 30 })) });
    assert.equal(bad.status, 422, bad.text);
    assertFieldError(bad, 'people', 'plan_split_sum');
    const after1 = await vsFact(rop, 'metrics=calls');
    assert.ok(after1.rows.filter((r) => r.kind === 'person').every((r) => line(r, 'calls').target === null));
    const good = await rop.post(`/api/v1/plans/${set.body.id}/split`,
      { mode: 'weights', people: people.map((p) => ({ user_id: p.id, weight: 1 })) });
    assert.equal(good.status, 200, good.text);
    assert.deepEqual(good.body.items.map((p) => p.target), [34, 33, 33]);
    const audit = await admin.get(`/api/v1/audit-log?object_type=plan&object_id=${set.body.id}`);
    assert.equal(audit.status, 200, audit.text);
    assert.ok(audit.body.items.some((a) => a.action === 'plan.split'));
    assert.ok(audit.body.items.some((a) => a.action === 'plan.create'));
    const del = await rop.delete(`/api/v1/plans/${set.body.id}`);
    assert.equal(del.status, 204, del.text);
  });

test('goals measure their progress; the overdue one from last month is on the head list', async () => {
  const overdue = await rop.get('/api/v1/goals?overdue=true');
  assert.equal(overdue.status, 200, overdue.text);
  assert.ok(overdue.body.items.length >= 1, 'the demo has an overdue goal');
  for (const g of overdue.body.items) {
    assert.equal(g.state, 'overdue');
    assert.ok(g.deadline < overdue.body.today);
  }
  const v = await vsFact(rop);
  const person = v.rows.find((r) => r.kind === 'person');
  const created = await rop.post('/api/v1/goals', {
    title: 'Две сделки за месяц', kpi: 'deals_won', target: 2, owner_user_id: person.id,
    starts_on: v.period.first_day, deadline: v.period.last_day,
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(typeof created.body.value, 'number');
  const typed = await rop.post('/api/v1/goals', {
    title: 'x', kpi: 'deals_won', target: 2, owner_user_id: person.id,
    starts_on: v.period.last_day, deadline: v.period.first_day,
  });
  assertFieldError(typed, 'deadline', 'before_start');
  const one = await rop.get(`/api/v1/goals/${created.body.id}`);
  assert.equal(one.status, 200, one.text);
  assert.equal(one.body.value, created.body.value);
});
