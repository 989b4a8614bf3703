// Shipments over HTTP (DEAL-8): a designer ships her deal's lines in parts — never more than was sold (422 naming each
// line, nothing changed), a return frees its quantities — through preparing → shipped → delivered / returned; the
// made-to-order kitchen goes to production first and leaves only when the production manager marks it ready; overdue
// shipments per person and team once the manual clock passes their day; and who may do what: the head of sales, a
// designer (own deals), her colleague (404), the analyst (reads only), support and the production manager (no deals).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, admin, rop, designer, colleague, analyst, support, production, kitchen, sink, today;
const demo = (email) => ({ email, password: 'otdel-demo' });
const unique = String(Date.now() % 1_000_000);
const DAY = 24 * 60 * 60 * 1000;

before(async () => {
  // The overdue test moves the clock by days: sessions outlive that.
  server = await startServer({ extraArgs: ['--session-idle-minutes', '100000'] });
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  designer = await signIn(server, demo('designer@otdel.demo'));
  colleague = await signIn(server, demo('designer3@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
  support = await signIn(server, demo('support@otdel.demo'));
  // A production manager placed at the top of the tree (the role catalog has one; the demo has nobody in it).
  const roles = (await admin.get('/api/v1/roles')).body.items;
  const top = (await admin.get('/api/v1/departments')).body.items.find((d) => d.parent_id === null);
  const role = roles.find((r) => r.code === 'production_manager');
  assert.ok(role, 'the role catalog has a production manager');
  const emp = await admin.post('/api/v1/employees', {
    user: { email: `prod${unique}@otdel.demo`, full_name: 'Степан Цехов', password: 'otdel-demo-prod' },
    role_id: role.id, department_id: top.id, position_title: 'Начальник цеха',
  });
  assert.equal(emp.status, 201, emp.text);
  production = await signIn(server, { email: `prod${unique}@otdel.demo`, password: 'otdel-demo-prod' });
  kitchen = await product(`KUH-${unique}`, 'Кухня на заказ «Прованс»', true);
  sink = await product(`MOY-${unique}`, 'Мойка гранитная', false);
});
after(async () => { await server?.dispose(); });

async function product(sku, name, madeToOrder) {
  const r = await rop.post('/api/v1/products', { sku, name, unit: 'шт', made_to_order: madeToOrder });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

// A deal of `who` selling 3 kitchens (made to order) and 2.5 sinks; answers {deal, kitchenLine, sinkLine}.
async function sold(who, title = `Кухня ${unique}`) {
  const d = await who.post('/api/v1/deals', { title });
  assert.equal(d.status, 201, d.text);
  const lines = {};
  for (const [key, productId, qty] of [['kitchenLine', kitchen, 3000], ['sinkLine', sink, 2500]]) {
    const l = await who.post(`/api/v1/deals/${d.body.id}/lines`,
      { product_id: productId, quantity_milli: qty, unit_price_minor: 10_000_000 });
    assert.equal(l.status, 201, l.text);
    lines[key] = l.body.lines.at(-1).id;
  }
  const view = await who.get(`/api/v1/deals/${d.body.id}/shipments`);
  assert.equal(view.status, 200, view.text);
  today = view.body.today;
  return { deal: d.body.id, ...lines };
}

const plan = (who, deal, items, extra = {}) => who.post(`/api/v1/deals/${deal}/shipments`,
  { planned_date: today, address: 'Москва, ул. Лесная, 5', carrier: 'ПЭК', items, ...extra });
const move = (who, id, status, date) => who.post(`/api/v1/shipments/${id}/status`, date ? { status, date } : { status });
const shiftDay = (day, n) => new Date(Date.parse(`${day}T12:00:00Z`) + n * DAY).toISOString().slice(0, 10);

async function audit(action, objectId) {
  const r = await admin.get(`/api/v1/audit-log?object_type=shipment&object_id=${objectId}`);
  assert.equal(r.status, 200, r.text);
  return r.body.items.filter((a) => a.action === action);
}

test('a designer ships her deal in parts: never more than was sold, each over-shipped line named, nothing changed',
  async () => {
    const s = await sold(designer);
    const first = await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 1500 }]);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.status, 'preparing');
    assert.equal(first.body.items[0].name, 'Мойка гранитная');
    assert.equal(first.body.items[0].made_to_order, false);
    assert.equal(first.body.overdue, false);

    const over = await plan(designer, s.deal, [{ deal_line_id: s.kitchenLine, quantity_milli: 3500 },
      { deal_line_id: s.sinkLine, quantity_milli: 1500 }]);
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'validation_failed');
    assertFieldError(over, 'items/0/quantity_milli', 'exceeds_sold');
    assertFieldError(over, 'items/1/quantity_milli', 'exceeds_sold');
    assert.match(over.body.detail, /больше проданного/);
    assert.match(over.body.errors[1].message, /Мойка гранитная: 2\.5, 1\.5/);
    const view = await designer.get(`/api/v1/deals/${s.deal}/shipments`);
    assert.equal(view.body.items.length, 1, 'nothing was written');
    const sinkRow = view.body.lines.find((l) => l.deal_line_id === s.sinkLine);
    assert.deepEqual([sinkRow.quantity_milli, sinkRow.shipped_milli, sinkRow.remaining_milli], [2500, 1500, 1000]);
    assert.equal(view.body.lines.find((l) => l.deal_line_id === s.kitchenLine).made_to_order, true);
    assert.equal(view.body.can_edit, true);

    // The rest fits exactly; an edit counts only the other shipments.
    const rest = await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 1000 }]);
    assert.equal(rest.status, 201, rest.text);
    const grow = await designer.patch(`/api/v1/shipments/${first.body.id}`,
      { items: [{ deal_line_id: s.sinkLine, quantity_milli: 1600 }] });
    assert.equal(grow.status, 422);
    const edit = await designer.patch(`/api/v1/shipments/${first.body.id}`,
      { tracking: 'ПЭК 123-456', items: [{ deal_line_id: s.sinkLine, quantity_milli: 1200 }] });
    assert.equal(edit.status, 200, edit.text);
    assert.equal(edit.body.tracking, 'ПЭК 123-456');
    assert.equal(edit.body.items[0].quantity_milli, 1200);
    const [updated] = await audit('shipment.update', first.body.id);
    assert.equal(updated.before.items[0].quantity_milli, 1500);
    assert.equal(updated.after.items[0].quantity_milli, 1200);
    assert.equal((await audit('shipment.create', first.body.id)).length, 1);
  });

test('status: delivered only after shipped, days never in the future; a return frees the quantities', async () => {
  const s = await sold(designer);
  const sh = await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 2500 }]);
  assert.equal(sh.status, 201, sh.text);
  const skip = await move(designer, sh.body.id, 'delivered');
  assert.equal(skip.status, 409);
  assert.equal(skip.body.code, 'conflict');
  assert.match(skip.body.detail, /доставка — только после отгрузки/);
  assert.equal((await move(designer, sh.body.id, 'returned')).status, 409);
  const future = await move(designer, sh.body.id, 'shipped', shiftDay(today, 3));
  assert.equal(future.status, 422);
  assertFieldError(future, 'date', 'in_future');
  const shipped = await move(designer, sh.body.id, 'shipped', shiftDay(today, -1));
  assert.equal(shipped.status, 200, shipped.text);
  assert.equal(shipped.body.actual_date, shiftDay(today, -1));
  const early = await move(designer, sh.body.id, 'delivered', shiftDay(today, -2));
  assert.equal(early.status, 422);
  assertFieldError(early, 'date', 'before_start');
  const delivered = await move(designer, sh.body.id, 'delivered');
  assert.equal(delivered.body.delivered_date, today);
  // Nothing left to ship until the client sends it back.
  assert.equal((await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 1 }])).status, 422);
  const locked = await designer.patch(`/api/v1/shipments/${sh.body.id}`, { items: [] });
  assert.equal(locked.status, 409);
  assert.equal((await designer.delete(`/api/v1/shipments/${sh.body.id}`)).status, 409);
  const returned = await move(designer, sh.body.id, 'returned');
  assert.equal(returned.status, 200);
  assert.equal(returned.body.returned_date, today);
  assert.equal((await move(designer, sh.body.id, 'shipped')).status, 409, 'a return is final');
  const again = await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 2500 }]);
  assert.equal(again.status, 201, again.text);
  assert.equal((await designer.delete(`/api/v1/shipments/${again.body.id}`)).status, 204);
  assert.equal((await designer.get(`/api/v1/shipments/${again.body.id}`)).status, 404);
  const statuses = (await audit('shipment.status', sh.body.id)).map((a) => a.after.status).sort();
  assert.deepEqual(statuses, ['delivered', 'returned', 'shipped']);
  assert.equal((await audit('shipment.delete', again.body.id)).length, 1);
});

test('made to order: production first — the production manager takes it, marks it ready, then it leaves', async () => {
  const s = await sold(designer);
  const sh = await plan(designer, s.deal, [{ deal_line_id: s.kitchenLine, quantity_milli: 3000 },
    { deal_line_id: s.sinkLine, quantity_milli: 2500 }]);
  assert.equal(sh.status, 201, sh.text);
  assert.equal(sh.body.items[0].made_to_order, true);
  const early = await move(designer, sh.body.id, 'shipped');
  assert.equal(early.status, 409);
  assert.match(early.body.detail, /сначала передайте их в производство/);

  const plain = await plan(designer, s.deal, [], {});
  assert.equal(plain.status, 422, 'a shipment has items');
  const handed = await designer.post(`/api/v1/shipments/${sh.body.id}/production`, { note: 'Фасады матовые' });
  assert.equal(handed.status, 201, handed.text);
  assert.equal(handed.body.production.status, 'requested');
  assert.deepEqual(handed.body.production.items.map((i) => i.quantity_milli), [3000], 'only the kitchen');
  assert.equal((await designer.post(`/api/v1/shipments/${sh.body.id}/production`, {})).status, 409);

  // The production manager sees the request (not the deal) and moves it on; the seller sees it and may not.
  const queue = await production.get('/api/v1/production-requests?status=requested');
  assert.equal(queue.status, 200, queue.text);
  const req = queue.body.items.find((r) => r.shipment_id === sh.body.id);
  assert.ok(req);
  assert.equal(req.deal_title, `Кухня ${unique}`);
  assert.equal(req.note, 'Фасады матовые');
  assert.equal((await production.get(`/api/v1/deals/${s.deal}/shipments`)).status, 404);
  assert.equal((await production.get(`/api/v1/deals/${s.deal}`)).status, 404);
  const mine = await designer.get('/api/v1/production-requests');
  assert.ok(mine.body.items.some((r) => r.id === req.id), 'the seller follows her request');
  assert.equal((await designer.post(`/api/v1/production-requests/${req.id}/status`, { status: 'in_production' })).status,
    403);
  assert.equal((await colleague.post(`/api/v1/production-requests/${req.id}/status`, { status: 'in_production' }))
    .status, 404);
  assert.equal((await production.post(`/api/v1/production-requests/${req.id}/status`, { status: 'ready' })).status, 409);
  const started = await production.post(`/api/v1/production-requests/${req.id}/status`, { status: 'in_production' });
  assert.equal(started.status, 200, started.text);
  assert.ok(started.body.started_at);
  const notYet = await move(designer, sh.body.id, 'shipped');
  assert.equal(notYet.status, 409);
  assert.match(notYet.body.detail, /ещё не отметило/);
  const ready = await production.post(`/api/v1/production-requests/${req.id}/status`, { status: 'ready' });
  assert.equal(ready.body.status, 'ready');
  const shipped = await move(designer, sh.body.id, 'shipped');
  assert.equal(shipped.status, 200, shipped.text);
  assert.equal(shipped.body.production.status, 'ready');
  const log = await admin.get(`/api/v1/audit-log?object_type=production_request&object_id=${req.id}`);
  assert.deepEqual(log.body.items.map((a) => a.action).sort(),
    ['production_request.create', 'production_request.status', 'production_request.status']);
});

test('who may: a colleague 404, the analyst reads only, support and anonymous nothing, the head everything',
  async () => {
    const s = await sold(designer);
    const sh = await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 500 }]);
    assert.equal(sh.status, 201);
    for (const [path, method, body] of [
      [`/api/v1/deals/${s.deal}/shipments`, 'GET'],
      [`/api/v1/shipments/${sh.body.id}`, 'GET'],
      [`/api/v1/deals/${s.deal}/shipments`, 'POST', { planned_date: today, items: [{ deal_line_id: s.sinkLine, quantity_milli: 1 }] }],
      [`/api/v1/shipments/${sh.body.id}`, 'PATCH', { note: 'x' }],
      [`/api/v1/shipments/${sh.body.id}/status`, 'POST', { status: 'shipped' }],
      [`/api/v1/shipments/${sh.body.id}`, 'DELETE'],
    ]) {
      assert.equal((await colleague.request(method, path, { json: body })).status, 404, `colleague ${method} ${path}`);
      assert.equal((await support.request(method, path, { json: body })).status, 404, `support ${method} ${path}`);
    }
    const read = await analyst.get(`/api/v1/deals/${s.deal}/shipments`);
    assert.equal(read.status, 200);
    assert.equal(read.body.can_edit, false);
    assert.equal((await analyst.patch(`/api/v1/shipments/${sh.body.id}`, { note: 'x' })).status, 403);
    assert.equal((await analyst.post(`/api/v1/shipments/${sh.body.id}/status`, { status: 'shipped' })).status, 403);
    assert.equal((await support.get('/api/v1/production-requests')).status, 403);
    assert.equal((await support.get('/api/v1/shipments/overdue')).status, 403);
    const anon = new Client(server.url);
    assert.equal((await anon.get(`/api/v1/deals/${s.deal}/shipments`)).status, 401);
    const head = await move(rop, sh.body.id, 'shipped');
    assert.equal(head.status, 200, head.text);
    assert.equal(head.body.owner_user_id, designer.me.id);
  });

test('bad input: types, unknown fields, negative or zero quantities, lines of another deal, bad days', async () => {
  const s = await sold(designer);
  const other = await sold(designer, `Другая ${unique}`);
  const cases = [
    [{ planned_date: today, items: [{ deal_line_id: s.sinkLine, quantity_milli: -5 }] }, 'items/0/quantity_milli', 'out_of_range'],
    [{ planned_date: today, items: [{ deal_line_id: s.sinkLine, quantity_milli: 0 }] }, 'items/0/quantity_milli', 'out_of_range'],
    [{ planned_date: today, items: [{ deal_line_id: other.sinkLine, quantity_milli: 1 }] }, 'items/0/deal_line_id', 'invalid'],
    [{ planned_date: today, items: [{ deal_line_id: s.sinkLine, quantity_milli: 1 }, { deal_line_id: s.sinkLine, quantity_milli: 1 }] },
      'items/1/deal_line_id', 'not_unique'],
    [{ planned_date: '31.12.2026', items: [{ deal_line_id: s.sinkLine, quantity_milli: 1 }] }, 'planned_date', 'invalid_date'],
    [{ planned_date: today, items: [{ deal_line_id: 'x', quantity_milli: 1.5 }] }, 'items/0/deal_line_id', 'wrong_type'],
    [{ planned_date: today, items: [{ deal_line_id: s.sinkLine, quantity_milli: 1, price: 1 }] }, 'items/0/price', 'unknown_field'],
    [{ planned_date: today }, 'items', 'required'],
    [{ planned_date: today, items: [], colour: 'red' }, 'colour', 'unknown_field'],
  ];
  for (const [body, field, code] of cases) {
    const r = await designer.post(`/api/v1/deals/${s.deal}/shipments`, body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assertFieldError(r, field, code);
  }
  assert.equal((await designer.get(`/api/v1/deals/${s.deal}/shipments`)).body.items.length, 0, 'nothing written');
  const sh = await plan(designer, s.deal, [{ deal_line_id: s.sinkLine, quantity_milli: 1 }]);
  const bad = await designer.post(`/api/v1/shipments/${sh.body.id}/status`, { status: 'lost' });
  assert.equal(bad.status, 422);
  const badDay = await designer.post(`/api/v1/shipments/${sh.body.id}/status`, { status: 'shipped', date: '2026-13-01' });
  assertFieldError(badDay, 'date', 'invalid_date');
  assert.equal((await designer.post(`/api/v1/shipments/${sh.body.id}/production`, {})).status, 422,
    'a shipment without made-to-order items has nothing for production');
  assert.equal((await designer.get('/api/v1/shipments/overdue?department_id=999999')).status, 400);
  assert.equal((await designer.get('/api/v1/shipments/overdue?owner=someone')).status, 400);
});

test('overdue shipments per person and team once the planned day has passed', async () => {
  const mine = await sold(designer, `Просрочка ${unique}`);
  const theirs = await sold(colleague, `Чужая просрочка ${unique}`);
  const a = await plan(designer, mine.deal, [{ deal_line_id: mine.sinkLine, quantity_milli: 1000 }],
    { planned_date: shiftDay(today, 1) });
  const b = await plan(colleague, theirs.deal, [{ deal_line_id: theirs.sinkLine, quantity_milli: 1000 }],
    { planned_date: shiftDay(today, 2) });
  const shippedOnTime = await plan(designer, mine.deal, [{ deal_line_id: mine.sinkLine, quantity_milli: 500 }],
    { planned_date: shiftDay(today, 1) });
  assert.ok(a.status === 201 && b.status === 201 && shippedOnTime.status === 201);
  assert.equal((await move(designer, shippedOnTime.body.id, 'shipped')).status, 200);
  const ids = (page) => page.body.items.map((x) => x.id).filter((id) => [a.body.id, b.body.id, shippedOnTime.body.id].includes(id));
  assert.deepEqual(ids(await rop.get('/api/v1/shipments/overdue')), []);

  const clock = await admin.post('/api/v1/admin/clock', { advance_ms: 4 * DAY });
  assert.equal(clock.status, 200, clock.text);
  const all = await rop.get('/api/v1/shipments/overdue');
  assert.equal(all.status, 200, all.text);
  assert.equal(all.body.today, shiftDay(today, 4));
  assert.deepEqual(ids(all), [a.body.id, b.body.id], 'oldest planned first; the shipped one is not late');
  assert.ok(all.body.items.every((x) => x.overdue));
  const counts = Object.fromEntries(all.body.by_owner.map((o) => [o.owner_user_id, o.count]));
  assert.ok(counts[designer.me.id] >= 1 && counts[colleague.me.id] >= 1);
  const view = await designer.get(`/api/v1/deals/${mine.deal}/shipments`);
  assert.equal(view.body.items.find((x) => x.id === a.body.id).overdue, true);

  assert.deepEqual(ids(await designer.get('/api/v1/shipments/overdue')), [a.body.id], 'a designer sees her own');
  assert.deepEqual(ids(await rop.get(`/api/v1/shipments/overdue?owner=${colleague.me.id}`)), [b.body.id]);
  assert.deepEqual(ids(await colleague.get('/api/v1/shipments/overdue?owner=me')), [b.body.id]);
  const depts = (await admin.get('/api/v1/departments')).body.items;
  const leads = depts.find((d) => d.name === 'Лидогенерация');
  assert.deepEqual(ids(await rop.get(`/api/v1/shipments/overdue?department_id=${leads.id}`)), []);
  const top = depts.find((d) => d.parent_id === null);
  assert.deepEqual(ids(await rop.get(`/api/v1/shipments/overdue?department_id=${top.id}`)), [a.body.id, b.body.id]);
  assert.equal((await analyst.get('/api/v1/shipments/overdue')).status, 200);
  assert.deepEqual(ids(await production.get('/api/v1/shipments/overdue')), [a.body.id, b.body.id]);
  const page = await rop.get('/api/v1/shipments/overdue?limit=1');
  assert.ok(page.body.next_cursor);
  const next = await rop.get(`/api/v1/shipments/overdue?limit=1&cursor=${page.body.next_cursor}`);
  assert.equal(next.status, 200, next.text);
  assert.notEqual(next.body.items[0].id, page.body.items[0].id);
});
