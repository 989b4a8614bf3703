// Organisation: tree, departments (move/cycle, archive with people), roles (retire a used role), employees
// (manager loop, dismissal with handover), absences (overlap, missing/absent substitute), permissions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, admin, rop, seller, roles, depts;
const demo = (email) => ({ email, password: 'otdel-demo' });

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, demo('sales@otdel.demo'));
  roles = Object.fromEntries((await admin.get('/api/v1/roles')).body.items.map((r) => [r.code, r]));
  depts = Object.fromEntries((await admin.get('/api/v1/departments')).body.items.map((d) => [d.name, d]));
});
after(async () => { await server?.dispose(); });

async function userId(email) {
  const list = await admin.get('/api/v1/employees?limit=200');
  return list.body.items.find((e) => e.email === email).user_id;
}

test('the demo org chart: Отдел продаж with three sub-teams, heads and people; someone away this week', async () => {
  const tree = await seller.get('/api/v1/org/tree');
  assert.equal(tree.status, 200);
  const sales = tree.body.roots.find((n) => n.name === 'Отдел продаж');
  assert.ok(sales, 'root department');
  assert.deepEqual(sales.children.map((c) => c.name).sort(), ['Дизайн-проекты', 'Ключевые клиенты', 'Лидогенерация']);
  assert.ok(sales.members.some((m) => m.is_head && m.role_code === 'head_of_sales'));
  const design = sales.children.find((c) => c.name === 'Дизайн-проекты');
  assert.equal(design.members.length, 3);
  assert.equal(design.path, `${sales.path}${design.id}/`);
  assert.ok(design.members.some((m) => m.absent_today), 'a designer is on vacation today');
  const away = await seller.get('/api/v1/org/away');
  assert.equal(away.status, 200);
  const v = away.body.items.find((a) => a.full_name === 'Елена Морозова');
  assert.equal(v.kind, 'vacation');
  assert.equal(v.substitute_full_name, 'Дмитрий Кузнецов');
  assert.equal((await new Client(server.url).get('/api/v1/org/tree')).status, 401);
});

test('the role catalog is seeded with levels, duties in both languages, KPIs and scopes', async () => {
  for (const code of ['sales_leader', 'head_of_sales', 'key_account_manager', 'retail_consultant', 'lead_manager',
    'designer_manager', 'ecommerce_manager', 'marketer', 'sales_analyst', 'support_specialist', 'supervisor']) {
    assert.ok(roles[code], code);
    assert.ok(roles[code].duties_ru.length > 20 && roles[code].duties_en.length > 20, code);
    assert.ok(roles[code].kpis.length > 0, code);
  }
  assert.equal(roles.sales_leader.level, 'L1');
  assert.equal(roles.sales_analyst.scope, 'read_all');
  assert.equal(roles.head_of_sales.active_employees, 1);
});

test('an L3 seller cannot change the structure (403) and sees only their own card', async () => {
  const r = await seller.post('/api/v1/departments', { name: 'Моя команда' });
  assert.equal(r.status, 403);
  assert.equal((await seller.post(`/api/v1/roles/${roles.marketer.id}/retire`)).status, 403);
  const list = await seller.get('/api/v1/employees');
  assert.equal(list.body.items.length, 1);
  assert.equal(list.body.items[0].email, 'sales@otdel.demo');
  const other = (await admin.get('/api/v1/employees?limit=200')).body.items.find((e) => e.email === 'rop@otdel.demo');
  assert.equal((await seller.get(`/api/v1/employees/${other.id}`)).status, 404);
});

test('departments: create, rename, move; moving under own child is 422 and changes nothing', async () => {
  const a = await rop.post('/api/v1/departments', { name: 'Регионы', division: { principle: 'territory', regions: ['Москва', 'Тула'] } });
  assert.equal(a.status, 201, a.text);
  const b = await rop.post('/api/v1/departments', { name: 'Тула', parent_id: a.body.id });
  assert.equal(b.status, 201);
  assert.equal(b.body.path, `${a.body.path}${b.body.id}/`);
  const cycle = await rop.post(`/api/v1/departments/${a.body.id}/move`, { parent_id: b.body.id });
  assert.equal(cycle.status, 422);
  assertFieldError(cycle, 'parent_id', 'cycle');
  assert.equal((await rop.get(`/api/v1/departments/${a.body.id}`)).body.parent_id, null, 'nothing changed');
  const moved = await rop.post(`/api/v1/departments/${a.body.id}/move`, { parent_id: depts['Отдел продаж'].id });
  assert.equal(moved.status, 200);
  const child = await rop.get(`/api/v1/departments/${b.body.id}`);
  assert.equal(child.body.path, `${depts['Отдел продаж'].path}${a.body.id}/${b.body.id}/`, 'subtree path rebased');
  const renamed = await rop.patch(`/api/v1/departments/${b.body.id}`, { name: 'Тульская область' });
  assert.equal(renamed.body.name, 'Тульская область');
  const bad = await rop.post('/api/v1/departments', { name: 'X', division: { principle: 'client_type' } });
  assert.equal(bad.status, 422);
  // archive: children first
  const refused = await rop.post(`/api/v1/departments/${a.body.id}/archive`);
  assert.equal(refused.status, 409);
  assertFieldError(refused, 'id', 'has_children');
  assert.equal((await rop.post(`/api/v1/departments/${b.body.id}/archive`)).status, 200);
  assert.equal((await rop.post(`/api/v1/departments/${a.body.id}/archive`)).status, 200);
  const audit = await admin.get(`/api/v1/audit-log?object_type=department&object_id=${a.body.id}`);
  assert.deepEqual(audit.body.items.map((x) => x.action).sort(), ['department.archive', 'department.create', 'department.move']);
});

test('archiving a department with people is 409; retiring a used role is 409 with the count', async () => {
  const r = await admin.post(`/api/v1/departments/${depts['Дизайн-проекты'].id}/archive`);
  assert.equal(r.status, 409);
  assertFieldError(r, 'id', 'has_people');
  assert.equal(r.body.errors[0].message.includes('3'), true, r.text);
  const role = await admin.post(`/api/v1/roles/${roles.designer_manager.id}/retire`);
  assert.equal(role.status, 409);
  assert.ok(role.body.errors.some((e) => e.code === 'in_use' && e.message.includes('3')), role.text);
  const unused = await admin.post(`/api/v1/roles/${roles.retail_consultant.id}/retire`);
  assert.equal(unused.status, 200);
  assert.ok(unused.body.retired_at);
});

test('employees: create with a new user, manager derived from the head; a manager loop is 422', async () => {
  const created = await rop.post('/api/v1/employees', {
    user: { email: 'new.seller@otdel.demo', full_name: 'Олег Новиков', password: 'new-seller-1' },
    role_id: roles.sales_manager.id, department_id: depts['Ключевые клиенты'].id, position_title: 'Менеджер',
  });
  assert.equal(created.status, 201, created.text);
  const ropId = await userId('rop@otdel.demo');
  assert.equal(created.body.effective_manager_user_id, ropId, 'no head in the team: the parent department head');
  // rop's explicit manager = the new seller, while the seller reports to rop: a loop
  const ropEmp = (await admin.get(`/api/v1/employees?user_id=${ropId}`)).body.items[0];
  const loop = await admin.patch(`/api/v1/employees/${ropEmp.id}`, { manager_user_id: created.body.user_id });
  assert.equal(loop.status, 422);
  assertFieldError(loop, 'manager_user_id', 'manager_loop');
  assert.equal((await admin.get(`/api/v1/employees/${ropEmp.id}`)).body.manager_user_id, null, 'nothing changed');
  const s = await signIn(server, { email: 'new.seller@otdel.demo', password: 'new-seller-1' });
  assert.equal((await s.get(`/api/v1/employees/${created.body.id}`)).status, 200, 'reads own card');
});

test('absences: overlap 409, missing substitute 422, absent substitute 409, self-substitute 422', async () => {
  const d1 = await userId('designer3@otdel.demo');
  const d2 = await userId('designer2@otdel.demo'); // on vacation this week (demo)
  const lead = await userId('lead2@otdel.demo');
  const away = (await admin.get('/api/v1/org/away')).body;
  const missing = await admin.post('/api/v1/absences', { user_id: d1, kind: 'vacation', starts_on: away.from, ends_on: away.to });
  assert.equal(missing.status, 422);
  assertFieldError(missing, 'substitute_user_id', 'required');
  const absentSub = await admin.post('/api/v1/absences', { user_id: d1, kind: 'vacation', starts_on: away.from, ends_on: away.to, substitute_user_id: d2 });
  assert.equal(absentSub.status, 409);
  assert.equal(absentSub.body.errors[0].field, 'substitute_user_id');
  const self = await admin.post('/api/v1/absences', { user_id: d1, kind: 'sick_leave', starts_on: away.from, ends_on: away.from, substitute_user_id: d1 });
  assert.equal(self.status, 422);
  const ok = await admin.post('/api/v1/absences', { user_id: d1, kind: 'business_trip', starts_on: away.from, ends_on: away.from, substitute_user_id: lead });
  assert.equal(ok.status, 201, ok.text);
  const overlap = await admin.post('/api/v1/absences', { user_id: d1, kind: 'day_off', starts_on: away.from, ends_on: away.from });
  assert.equal(overlap.status, 409);
  assertFieldError(overlap, 'starts_on', 'conflict');
  const loop = await admin.post('/api/v1/absences', { user_id: lead, kind: 'day_off', starts_on: away.from, ends_on: away.from, substitute_user_id: d1 });
  assert.equal(loop.status, 409);
  const cancelled = await admin.post(`/api/v1/absences/${ok.body.id}/cancel`);
  assert.equal(cancelled.status, 200);
  assert.ok(cancelled.body.cancelled_at);
  const bad = await admin.post('/api/v1/absences', { user_id: d1, kind: 'vacation', starts_on: '2025-02-30', ends_on: '2025-03-01', substitute_user_id: lead });
  assertFieldError(bad, 'starts_on', 'invalid_date');
});

test('dismissal needs a handover target, disables the user and ends their sessions', async () => {
  const victim = await signIn(server, demo('support@otdel.demo'));
  const emp = (await admin.get(`/api/v1/employees?user_id=${victim.me.id}`)).body.items[0];
  const noTarget = await admin.post(`/api/v1/employees/${emp.id}/dismiss`, { handover: 'user' });
  assert.equal(noTarget.status, 422);
  const self = await admin.post(`/api/v1/employees/${emp.id}/dismiss`, { handover: 'user', to_user_id: victim.me.id });
  assert.equal(self.status, 422);
  assert.equal((await seller.post(`/api/v1/employees/${emp.id}/dismiss`, { handover: 'routing' })).status, 403);
  // Used a moment before the dismissal: the server's session cache must not keep it alive.
  assert.equal((await victim.get('/api/v1/me')).status, 200);
  const r = await admin.post(`/api/v1/employees/${emp.id}/dismiss`, { handover: 'routing' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.employee.status, 'dismissed');
  assert.equal(r.body.handover.target, 'routing');
  assert.equal((await victim.get('/api/v1/me')).status, 401, 'session ended');
  const again = new Client(server.url);
  const login = await again.post('/api/v1/auth/login', demo('support@otdel.demo'));
  assert.equal(login.status, 401, 'sign-in refused');
});
