// SMART goals are edited and deleted (PLAN-1): the head of sales changes a goal's target, title and deadline and the
// progress is measured again, never typed; he deletes one; each change writes its audit row; bad input is 422 in the
// caller's language and changes nothing; a designer, the analyst and support may not change or delete goals; the
// overdue goals stay on the head's list.
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

async function newGoal(title) {
  const v = await rop.get('/api/v1/plans/vs-fact?metrics=deals_won');
  assert.equal(v.status, 200, v.text);
  const person = v.body.rows.find((r) => r.kind === 'person' && r.can_edit);
  const g = await rop.post('/api/v1/goals', {
    title, kpi: 'deals_won', target: 2, owner_user_id: person.id,
    starts_on: v.body.period.first_day, deadline: v.body.period.last_day,
  });
  assert.equal(g.status, 201, g.text);
  return g.body;
}

const audit = async (id) => {
  const r = await admin.get(`/api/v1/audit-log?object_type=goal&object_id=${id}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.map((a) => a.action);
};

test('the head edits a goal: target, title and deadline change, the progress is measured again, audited', async () => {
  const g = await newGoal('Две сделки за месяц');
  const patched = await rop.patch(`/api/v1/goals/${g.id}`, { title: 'Одна сделка за месяц', target: 1 });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(patched.body.title, 'Одна сделка за месяц');
  assert.equal(patched.body.target, 1);
  assert.equal(patched.body.value, g.value, 'the value is measured from the records, not typed');
  if (g.value >= 1) assert.equal(patched.body.state, 'achieved');
  const one = await rop.get(`/api/v1/goals/${g.id}`);
  assert.equal(one.body.target, 1);
  assert.ok((await audit(g.id)).includes('goal.update'));
  // A value typed in is not a field of a goal.
  const typed = await rop.patch(`/api/v1/goals/${g.id}`, { value: 5 });
  assert.equal(typed.status, 422, typed.text);
  assertFieldError(typed, 'value', 'unknown_field');
});

test('bad edits are refused with field errors in the caller\'s language and change nothing', async () => {
  const g = await newGoal('Цель для проверки ошибок');
  const neg = await rop.patch(`/api/v1/goals/${g.id}`, { target: -1 }, { headers: { 'Accept-Language': 'en' } });
  assert.equal(neg.status, 422, neg.text);
  assertFieldError(neg, 'target', 'negative_target');
  const back = await rop.patch(`/api/v1/goals/${g.id}`, { deadline: '2000-01-01' });
  assert.equal(back.status, 422, back.text);
  assertFieldError(back, 'deadline', 'before_start');
  const kpi = await rop.patch(`/api/v1/goals/${g.id}`, { kpi: 'happiness' });
  assert.equal(kpi.status, 422, kpi.text);
  assertFieldError(kpi, 'kpi', 'unknown_metric');
  const same = await rop.get(`/api/v1/goals/${g.id}`);
  assert.equal(same.body.target, g.target);
  assert.equal(same.body.deadline, g.deadline);
  assert.equal(same.body.kpi, g.kpi);
  assert.ok(!(await audit(g.id)).includes('goal.update'), 'nothing was written');
});

test('a designer, the analyst and support may not change or delete the head\'s goals', async () => {
  const g = await newGoal('Цель руководителя');
  for (const [who, name] of [[designer, 'designer'], [analyst, 'analyst'], [support, 'support']]) {
    const p = await who.patch(`/api/v1/goals/${g.id}`, { target: 9 });
    assert.ok([403, 404].includes(p.status), `${name} PATCH: ${p.status} ${p.text}`);
    const d = await who.delete(`/api/v1/goals/${g.id}`);
    assert.ok([403, 404].includes(d.status), `${name} DELETE: ${d.status} ${d.text}`);
  }
  const same = await rop.get(`/api/v1/goals/${g.id}`);
  assert.equal(same.status, 200);
  assert.equal(same.body.target, 2, 'unchanged');
});

test('the head deletes a goal: gone from the list and the card, audited; overdue goals stay listed', async () => {
  const g = await newGoal('Цель на удаление');
  const del = await rop.delete(`/api/v1/goals/${g.id}`);
  assert.equal(del.status, 204, del.text);
  assert.equal((await rop.get(`/api/v1/goals/${g.id}`)).status, 404);
  const list = await rop.get('/api/v1/goals?limit=200');
  assert.ok(!list.body.items.some((x) => x.id === g.id));
  assert.ok((await audit(g.id)).includes('goal.delete'));
  assert.equal((await rop.delete(`/api/v1/goals/${g.id}`)).status, 404, 'twice is not found');
  const overdue = await rop.get('/api/v1/goals?overdue=true');
  assert.ok(overdue.body.items.length >= 1, 'the demo\'s overdue goal is on the head\'s list');
  assert.ok(overdue.body.items.every((x) => x.state === 'overdue'));
});
