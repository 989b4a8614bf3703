// Lead routing over HTTP with the manual clock (LEAD-4 … LEAD-7): rules and who may change them, bad rules
// refused with field messages, a form lead routed by round-robin, no response until the deadline → reassigned to
// the other lead manager with everyone notified and the head's SLA board showing it, a first response stopping the
// clock, a restart between assignment and deadline, and the two-tier hand-off booking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, createDatabase } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError, CYRILLIC } from '../lib/checks.js';

const demo = (email) => ({ email, password: 'otdel-demo' });
const HOUR = 3_600_000;
let server;
let phoneN = 100;
const phone = () => `+7 912 700-${String(Math.floor(phoneN / 100)).padStart(2, '0')}-${String(phoneN++ % 100).padStart(2, '0')}`;

before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

const put = (c, path, json) => c.request('PUT', path, { json });

// The manual clock starts at the real time, which may be a night or a weekend: move it hour by hour until the
// seeded web rule would give a lead to someone (the simulator answers without assigning).
async function toWorkingTime(srv) {
  for (let i = 0; i < 24 * 12; i++) {
    const admin = await signInAdmin(srv);
    const sim = await admin.post('/api/v1/routing/simulate', { channel: 'form' });
    assert.equal(sim.status, 200, sim.text);
    if (sim.body.decision.user_id) return;
    assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: HOUR })).status, 200);
  }
  assert.fail('no working time within 12 days');
}

async function setClock(srv, ms) {
  const admin = await signInAdmin(srv);
  const res = await admin.post('/api/v1/admin/clock', { set_ms: ms });
  assert.equal(res.status, 200, res.text);
}

async function newFormLead(srv, text = 'Кухня угловая 3,2 м, бюджет 400 000, нужен замер') {
  const rop = await signInRop(srv);
  const form = await rop.post('/api/v1/intake/forms', { name: `Форма ${Math.random()}`, allowed_origins: [] });
  assert.equal(form.status, 201, form.text);
  const res = await new Client(srv.url).post(`/api/v1/public/forms/${form.body.public_key}/leads`, {
    name: 'Светлана', phone: phone(), message: text,
  });
  assert.ok([200, 201, 202].includes(res.status), res.text);
  const admin = await signInAdmin(srv);
  for (let i = 0; i < 50; i++) {
    const list = await admin.get(`/api/v1/leads?form_id=${form.body.id}&status=all`);
    if (list.body.items?.length) return list.body.items[0];
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the form lead did not appear');
}

const leadOf = async (c, id) => (await c.get(`/api/v1/leads/${id}`)).body;
const kindsOf = async (c) => (await c.get('/api/v1/notifications')).body.items.map((n) => n.kind);

test('rules: heads and admins write, lead managers read, others are refused; bad rules say what is wrong', async () => {
  const rop = await signInRop(server);
  const lead = await signIn(server, demo('lead@otdel.demo'));
  const analyst = await signIn(server, demo('analyst@otdel.demo'));
  const seeded = await rop.get('/api/v1/routing/rules');
  assert.equal(seeded.status, 200, seeded.text);
  assert.equal(seeded.body.items.length, 2, 'the demo seeds two rules');
  assert.deepEqual(seeded.body.items.map((r) => r.position), [1, 2]);
  assert.equal((await lead.get('/api/v1/routing/rules')).status, 200);
  assert.equal((await analyst.get('/api/v1/routing/rules')).status, 403);
  assert.equal((await new Client(server.url).get('/api/v1/routing/rules')).status, 401);

  const dept = seeded.body.items[0].department_id;
  const good = { name: 'Регионы', when: { regions: ['Казань'] }, department_id: dept, strategy: 'least_loaded', sla_minutes: 30 };
  assert.equal((await lead.post('/api/v1/routing/rules', good)).status, 403, 'a lead manager cannot change rules');

  const zero = await rop.post('/api/v1/routing/rules', { ...good, sla_minutes: 0 });
  assert.equal(zero.status, 422, zero.text);
  assertFieldError(zero, 'sla_minutes', 'out_of_range');
  assert.match(zero.body.errors.find((e) => e.field === 'sla_minutes').message, CYRILLIC);
  const negative = await rop.post('/api/v1/routing/rules', { ...good, sla_minutes: -5 });
  assert.equal(negative.status, 422);
  const noDept = await rop.post('/api/v1/routing/rules', { ...good, department_id: 987654 });
  assertFieldError(noDept, 'department_id', 'not_found');
  const ghost = await rop.post('/api/v1/routing/rules', { ...good, department_id: null, members: [{ user_id: 987654 }] });
  assertFieldError(ghost, 'members/0/user_id', 'not_employee');
  const noPool = await rop.post('/api/v1/routing/rules', { ...good, department_id: null });
  assertFieldError(noPool, 'pool', 'pool_empty');
  const badChannel = await rop.post('/api/v1/routing/rules', { ...good, when: { channels: ['pigeon'] } });
  assertFieldError(badChannel, 'when/channels/0', 'not_one_of');
  const unknown = await rop.post('/api/v1/routing/rules', { ...good, colour: 'red' });
  assert.equal(unknown.status, 422);
  assert.equal((await rop.get('/api/v1/routing/rules')).body.items.length, 2, 'nothing half-written');

  const created = await rop.post('/api/v1/routing/rules', good);
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.position, 3);
  const edited = await put(rop, `/api/v1/routing/rules/${created.body.id}`, { ...good, sla_minutes: 15 });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.sla_minutes, 15);
  const ids = (await rop.get('/api/v1/routing/rules')).body.items.map((r) => r.id);
  const partial = await rop.post('/api/v1/routing/rules/reorder', { ids: ids.slice(1) });
  assertFieldError(partial, 'ids', 'must_list_every_rule');
  const reordered = await rop.post('/api/v1/routing/rules/reorder', { ids: [created.body.id, ...ids.slice(0, 2)] });
  assert.equal(reordered.status, 200, reordered.text);
  assert.equal(reordered.body.items[0].id, created.body.id);
  const restore = await rop.post('/api/v1/routing/rules/reorder', { ids });
  assert.equal(restore.status, 200);
  assert.equal((await rop.delete(`/api/v1/routing/rules/${created.body.id}`)).status, 204);
  assert.equal((await rop.get(`/api/v1/routing/rules/${created.body.id}`)).status, 404);
  const admin = await signInAdmin(server);
  const audit = await admin.get(`/api/v1/audit-log?object_type=routing_rule&object_id=${created.body.id}`);
  assert.equal(audit.status, 200, audit.text);
  assert.deepEqual(audit.body.items.map((a) => a.action).sort(),
    ['routing_rule.create', 'routing_rule.delete', 'routing_rule.update']);
});

test('a form lead goes to a lead manager; no response until the deadline moves it to the other one, both and the head notified', async () => {
  await toWorkingTime(server);
  const lead = await newFormLead(server);
  assert.ok(lead.owner_user_id, 'routed on intake');
  assert.equal(lead.sla.state, 'running');
  assert.equal(lead.sla.sla_minutes, 60);
  assert.ok(lead.sla.deadline_at > 0);

  const admin = await signInAdmin(server);
  const history = await admin.get(`/api/v1/leads/${lead.id}/routing`);
  assert.equal(history.status, 200, history.text);
  assert.equal(history.body.assignments.length, 1);
  assert.equal(history.body.assignments[0].reason, 'routed');
  assert.match(history.body.assignments[0].explanation.text, /round_robin/);
  assert.ok(history.body.routing.remaining_working_ms > 0);

  const managers = { 'lead@otdel.demo': null, 'lead2@otdel.demo': null };
  for (const email of Object.keys(managers)) {
    const c = await signIn(server, demo(email));
    managers[email] = { c, id: (await c.get('/api/v1/me')).body.id };
  }
  const first = Object.values(managers).find((m) => m.id === lead.owner_user_id);
  const second = Object.values(managers).find((m) => m.id !== lead.owner_user_id);
  assert.ok(first && second, 'owned by one of the two lead managers');
  assert.ok((await kindsOf(first.c)).includes('routing.assigned'));

  // One minute before the deadline nothing happens.
  await setClock(server, lead.sla.deadline_at - 60_000);
  assert.equal((await leadOf(await signInAdmin(server), lead.id)).owner_user_id, first.id);
  await setClock(server, lead.sla.deadline_at + 60_000);
  const moved = await leadOf(await signInAdmin(server), lead.id);
  assert.equal(moved.owner_user_id, second.id, 'reassigned to the other lead manager');
  assert.equal(moved.sla.reassignments, 1);
  assert.equal(moved.sla.breaches, 1);
  assert.equal(moved.sla.state, 'running');

  const a = await signIn(server, demo(Object.keys(managers).find((e) => managers[e] === first)));
  const b = await signIn(server, demo(Object.keys(managers).find((e) => managers[e] === second)));
  assert.ok((await kindsOf(a)).includes('routing.taken_away'));
  assert.ok((await kindsOf(b)).includes('routing.reassigned_to_you'));
  const rop = await signInRop(server);
  assert.ok((await kindsOf(rop)).includes('routing.breach'));

  const board = await rop.get('/api/v1/routing/board');
  assert.equal(board.status, 200, board.text);
  const row = board.body.items.find((i) => i.lead_id === lead.id);
  assert.ok(row, 'the head sees the clock');
  assert.equal(row.owner_user_id, second.id);
  assert.equal(row.routing.reassignments, 1);
  const ownBoard = await a.get('/api/v1/routing/board');
  assert.equal(ownBoard.status, 200);
  assert.ok(!ownBoard.body.items.some((i) => i.lead_id === lead.id), 'the previous owner no longer sees it');
  const breachAudit = await (await signInAdmin(server)).get(`/api/v1/audit-log?object_type=lead&object_id=${lead.id}`);
  assert.ok(breachAudit.body.items.some((i) => i.action === 'lead.sla_breach'));
});

test('a logged first response stops the clock; the lead stays with its owner past the deadline', async () => {
  await toWorkingTime(server);
  const lead = await newFormLead(server);
  const owner = lead.owner_user_id;
  const admin = await signInAdmin(server);
  const bad = await admin.post(`/api/v1/leads/${lead.id}/first-response`, { kind: 'telepathy' });
  assert.equal(bad.status, 422);
  const stopped = await admin.post(`/api/v1/leads/${lead.id}/first-response`, { kind: 'call' });
  assert.equal(stopped.status, 200, stopped.text);
  assert.equal(stopped.body.stopped, true);
  assert.equal((await admin.post(`/api/v1/leads/${lead.id}/first-response`, { kind: 'call' })).body.stopped, false);
  await setClock(server, lead.sla.deadline_at + 5 * 60_000);
  const after = await leadOf(await signInAdmin(server), lead.id);
  assert.equal(after.owner_user_id, owner);
  assert.equal(after.sla.state, 'responded');
  const facts = await (await signInRop(server)).get('/api/v1/routing/facts');
  assert.equal(facts.status, 200, facts.text);
  assert.ok(facts.body.items.some((p) => p.user_id === owner && p.responded >= 1));
});

test('the hand-off books a designer-manager\'s free slot once; overlaps, off-hours and non-hosts are refused', async () => {
  await toWorkingTime(server);
  const lead = await newFormLead(server);
  const owner = await signIn(server, demo(lead.owner_user_id === (await (await signIn(server, demo('lead@otdel.demo'))).get('/api/v1/me')).body.id
    ? 'lead@otdel.demo' : 'lead2@otdel.demo'));
  const slots = await owner.get(`/api/v1/leads/${lead.id}/handoff/slots?days=14&minutes=90`);
  assert.equal(slots.status, 200, slots.text);
  const host = slots.body.items.find((h) => h.slots.length > 0);
  assert.ok(host, JSON.stringify(slots.body));
  const slot = host.slots[0];
  assert.equal(slot.ends_at - slot.starts_at, 90 * 60_000);
  const booked = await owner.post(`/api/v1/leads/${lead.id}/handoff`, { host_user_id: host.user_id, starts_at: slot.starts_at, minutes: 90, place: 'Замер у клиента' });
  assert.equal(booked.status, 201, booked.text);
  // The designer takes the client over: the hand-off created their deal from the lead.
  assert.ok(booked.body.deal_id, booked.text);
  const deal = await (await signInRop(server)).get(`/api/v1/deals/${booked.body.deal_id}`);
  assert.equal(deal.status, 200, deal.text);
  assert.equal(deal.body.owner_user_id, host.user_id);
  assert.equal(deal.body.source_lead_id, lead.id);
  assert.equal(deal.body.status, 'open');
  assert.equal((await owner.get(`/api/v1/deals/${booked.body.deal_id}`)).status, 404, 'the lead manager does not own it');
  const again = await owner.post(`/api/v1/leads/${lead.id}/handoff`, { host_user_id: host.user_id, starts_at: slot.starts_at + 30 * 60_000, minutes: 60 });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.code, 'conflict');
  const night = new Date(slot.starts_at);
  const lateStart = slot.starts_at - (slot.starts_at % 86_400_000) + 20 * HOUR;  // 23:00 Moscow
  const offHours = await owner.post(`/api/v1/leads/${lead.id}/handoff`, { host_user_id: host.user_id, starts_at: lateStart + 86_400_000 * 2, minutes: 60 });
  assert.equal(offHours.status, 409, `${night.toISOString()} ${offHours.text}`);
  const notHost = await owner.post(`/api/v1/leads/${lead.id}/handoff`, { host_user_id: lead.owner_user_id, starts_at: slot.starts_at + 2 * HOUR });
  assertFieldError(notHost, 'host_user_id', 'not_a_host');
  const after = await leadOf(owner, lead.id);
  assert.equal(after.status, 'qualified');
  assert.equal(after.sla.state, 'responded');
  const history = await owner.get(`/api/v1/leads/${lead.id}/routing`);
  assert.equal(history.body.meetings.length, 1);
  assert.equal(history.body.meetings[0].deal_id, booked.body.deal_id);
});

test('a restart between assignment and deadline loses nothing and reassigns exactly once', async () => {
  const db = await createDatabase();
  const first = await startServer({ db, seed: true });
  let stopped = false;
  try {
    await toWorkingTime(first);
    const lead = await newFormLead(first);
    const owner = lead.owner_user_id;
    await first.stop();
    stopped = true;
    const second = await startServer({ db, seed: false });
    try {
      await setClock(second, lead.sla.deadline_at + 60_000);
      const admin = await signInAdmin(second);
      const moved = await leadOf(admin, lead.id);
      assert.notEqual(moved.owner_user_id, owner);
      assert.equal(moved.sla.reassignments, 1);
      await setClock(second, lead.sla.deadline_at + 2 * 60_000);
      const history = await (await signInAdmin(second)).get(`/api/v1/leads/${lead.id}/routing`);
      assert.equal(history.body.assignments.length, 2, JSON.stringify(history.body.assignments));
    } finally {
      await second.stop();
    }
  } finally {
    if (!stopped) await first.stop();
    await db.drop();
  }
});
