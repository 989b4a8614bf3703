// Leads over HTTP: manual entry (validation in ru/en, duplicate warnings, attach_to), the inbox by priority with a
// stable cursor and filters, statuses, convert into a client card, merge, the bin, the timeline — and who may do
// what: admin, head of sales (all), a seller (own), a read-only analyst, a support role without lead rights.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError, CYRILLIC } from '../lib/checks.js';

let server, admin, english, rop, seller, seller2, analyst, support;
const demo = (email) => ({ email, password: 'otdel-demo' });
const uniquePhone = (() => {
  let n = 1000;
  return () => `+7 (913) 555-${String(Math.floor(n / 100)).padStart(2, '0')}-${String(n++ % 100).padStart(2, '0')}`;
})();

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  // The user's locale decides the language: a lead manager who works in English.
  english = await signIn(server, demo('lead2@otdel.demo'));
  assert.equal((await english.patch('/api/v1/me', { locale: 'en' })).status, 200);
  rop = await signInRop(server);
  seller = await signIn(server, demo('sales@otdel.demo'));
  seller2 = await signIn(server, demo('designer@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
  support = await signIn(server, demo('support@otdel.demo'));
});
after(async () => { await server?.dispose(); });

async function listAll(client, query = '') {
  const ids = [];
  let cursor = null;
  for (let i = 0; i < 50; i++) {
    const res = await client.get(`/api/v1/leads?limit=200${query}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200, res.text);
    ids.push(...res.body.items.map((l) => l.id));
    cursor = res.body.next_cursor;
    if (!cursor) break;
  }
  return ids;
}

test('manual entry: a concrete request scores high and explains why, in Russian and in English', async () => {
  const res = await seller.post('/api/v1/leads', {
    contact_name: 'Ирина Волкова',
    request_text: 'Нужна угловая кухня 3,2 метра, бюджет 350 000 руб, хотим до 15 марта',
    phones: [uniquePhone()], emails: ['Irina.Volkova@Mail.RU'],
  });
  assert.equal(res.status, 201, res.text);
  const lead = res.body.lead;
  assert.equal(lead.status, 'new');
  assert.equal(lead.channel, 'manual');
  assert.equal(lead.owner_user_id, seller.me.id);
  assert.equal(lead.points.find((p) => p.kind === 'email').value, 'irina.volkova@mail.ru');
  assert.match(lead.points.find((p) => p.kind === 'phone').value, /^\+7913555\d{4}$/);
  assert.equal(lead.sla, null);
  assert.ok(lead.priority.score >= 80, `score ${lead.priority.score}`);
  const budget = lead.priority.reasons.find((r) => r.code === 'budget');
  assert.equal(budget.text, '+20 указан бюджет: 350 000 ₽');
  assert.equal(budget.params.amount, '350 000 ₽');

  const en = await english.post('/api/v1/leads', { request_text: 'Kitchen cabinets, budget 350 000 руб, by March 15' });
  assert.equal(en.status, 201);
  assert.equal(en.body.lead.priority.reasons.find((r) => r.code === 'budget').text, '+20 budget given: 350 000 ₽');
  assert.equal(en.body.lead.priority.reasons.find((r) => r.code === 'deadline').text, '+15 deadline given: by march 15');

  const vague = await seller.post('/api/v1/leads', { request_text: 'Сколько стоит?' });
  assert.equal(vague.status, 201);
  assert.equal(vague.body.lead.priority.score, 0);
  assert.ok(vague.body.lead.priority.reasons.some((r) => r.code === 'vague' && r.points < 0));
});

test('bad input: impossible phone, malformed e-mail, wrong INN, empty lead — field errors, nothing written', async () => {
  const before = await listAll(admin, '&status=all');
  const bad = await seller.post('/api/v1/leads', {
    request_text: 'Кухня', phones: ['8 912 34'], emails: ['ivan@'], inn: '1234567890',
  });
  assert.equal(bad.status, 422, bad.text);
  assertFieldError(bad, 'phones/0', 'invalid_phone');
  assertFieldError(bad, 'emails/0', 'invalid_email');
  assertFieldError(bad, 'inn', 'invalid_inn');
  assert.match(bad.body.errors.find((e) => e.field === 'inn').message, CYRILLIC);
  const en = await english.post('/api/v1/leads', { phones: ['12'] });
  assert.equal(en.status, 422);
  assert.match(en.body.errors.find((e) => e.field === 'phones/0').message, /phone number/);
  const empty = await seller.post('/api/v1/leads', {});
  assert.equal(empty.status, 422);
  assertFieldError(empty, 'request_text', 'lead_empty');
  const unknown = await seller.post('/api/v1/leads', { request_text: 'x', colour: 'red' });
  assert.equal(unknown.status, 422);
  assertFieldError(unknown, 'colour', 'unknown_field');
  const notJson = await seller.request('POST', '/api/v1/leads', { body: 'request_text=x', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(notJson.status, 415);
  assert.deepEqual(await listAll(admin, '&status=all'), before, 'nothing half-written');
});

test('a duplicate entered by hand is reported, not merged; attach_to adds it to the open lead', async () => {
  const phone = uniquePhone();
  const first = await seller.post('/api/v1/leads', { request_text: 'Шкаф-купе в прихожую', phones: [phone] });
  assert.equal(first.status, 201);
  const spelled = phone.replace('+7 (913) ', '8 913 ');
  const second = await seller.post('/api/v1/leads', { request_text: 'Перезвоните по шкафу', phones: [spelled] });
  assert.equal(second.status, 201);
  assert.notEqual(second.body.lead.id, first.body.lead.id);
  const dup = second.body.duplicates.find((d) => d.type === 'lead' && d.id === first.body.lead.id);
  assert.ok(dup, JSON.stringify(second.body.duplicates));
  assert.equal(dup.match, 'phone');
  assert.equal(dup.visible, true);

  const attached = await seller.post('/api/v1/leads', { request_text: 'И ещё тумбу', phones: [spelled], attach_to: first.body.lead.id });
  assert.equal(attached.status, 200, attached.text);
  assert.equal(attached.body.attached, true);
  assert.equal(attached.body.lead.id, first.body.lead.id);
  assert.equal(attached.body.lead.repeat_count, 1);
  const tl = await seller.get(`/api/v1/leads/${first.body.lead.id}/timeline`);
  assert.equal(tl.status, 200);
  assert.ok(tl.body.items.some((i) => i.kind === 'repeat_request' && i.source === 'event'));
  assert.ok(tl.body.items.some((i) => i.kind === 'lead.create' && i.source === 'audit'));
});

test('the inbox: open leads by priority then newest, a stable cursor, filters by status, channel, owner and text', async () => {
  const made = [];
  for (const text of ['Сколько стоит?', 'Кухня, бюджет 200 тыс, срочно', 'Нужен комод на балкон', 'Нужен стеллаж']) {
    const r = await admin.post('/api/v1/leads', { request_text: text, owner_user_id: null });
    assert.equal(r.status, 201, r.text);
    made.push(r.body.lead);
  }
  const pages = [];
  let cursor = null;
  do {
    const res = await admin.get(`/api/v1/leads?owner=none&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.status, 200);
    pages.push(...res.body.items);
    cursor = res.body.next_cursor;
  } while (cursor);
  for (let i = 1; i < pages.length; i++) {
    const [a, b] = [pages[i - 1], pages[i]];
    assert.ok(a.priority.score > b.priority.score || (a.priority.score === b.priority.score && a.id > b.id),
      `order at ${i}: ${a.priority.score}/${a.id} then ${b.priority.score}/${b.id}`);
  }
  assert.equal(new Set(pages.map((l) => l.id)).size, pages.length, 'no lead twice across pages');
  for (const l of made) assert.ok(pages.some((p) => p.id === l.id));

  const found = await admin.get(`/api/v1/leads?q=${encodeURIComponent('БАЛКОН')}`);
  assert.deepEqual(found.body.items.map((l) => l.id), [made[2].id]);
  const manual = await admin.get('/api/v1/leads?channel=manual&limit=200');
  assert.ok(manual.body.items.every((l) => l.channel === 'manual'));
  const bad = await admin.get('/api/v1/leads?status=lost');
  assert.equal(bad.status, 400);
  const badCursor = await admin.get('/api/v1/leads?cursor=%%%');
  assert.equal(badCursor.status, 400);
});

test('statuses follow the table: junk needs a reason, converted only by convert, junk can be reopened', async () => {
  const id = (await seller.post('/api/v1/leads', { request_text: 'Кухня' })).body.lead.id;
  const work = await seller.post(`/api/v1/leads/${id}/status`, { status: 'in_work' });
  assert.equal(work.status, 200);
  assert.equal(work.body.status, 'in_work');
  const noReason = await seller.post(`/api/v1/leads/${id}/status`, { status: 'junk' });
  assert.equal(noReason.status, 422);
  assertFieldError(noReason, 'junk_reason', 'required');
  const wrongReason = await seller.post(`/api/v1/leads/${id}/status`, { status: 'junk', junk_reason: 'boring' });
  assert.equal(wrongReason.status, 422);
  const converted = await seller.post(`/api/v1/leads/${id}/status`, { status: 'converted' });
  assert.equal(converted.status, 409);
  assert.match(converted.body.detail, /конверт/);
  const junk = await seller.post(`/api/v1/leads/${id}/status`, { status: 'junk', junk_reason: 'spam', comment: 'рассылка' });
  assert.equal(junk.status, 200);
  assert.equal(junk.body.junk_reason, 'spam');
  assert.ok(!(await listAll(seller)).includes(id), 'junk leaves the inbox');
  assert.ok((await listAll(seller, '&status=junk')).includes(id));
  const sideways = await seller.post(`/api/v1/leads/${id}/status`, { status: 'qualified' });
  assert.equal(sideways.status, 409);
  const reopen = await seller.post(`/api/v1/leads/${id}/status`, { status: 'new' });
  assert.equal(reopen.status, 200);
  assert.equal(reopen.body.junk_reason, null);
});

test('convert: a company and a contact with the lead\'s phones, once; the client card shows where it came from', async () => {
  const phone = uniquePhone();
  const lead = (await seller.post('/api/v1/leads', {
    contact_name: 'Соколов Андрей Павлович', company_name: 'ООО «Дом и кухня»', inn: '7707083893',
    request_text: 'Кухни для шоурума, 4 штуки', phones: [phone], emails: ['sokolov@domkuhnya.ru'],
  })).body.lead;
  const missing = await seller.post(`/api/v1/leads/${lead.id}/convert`, {});
  assert.equal(missing.status, 422);
  const both = await seller.post(`/api/v1/leads/${lead.id}/convert`, { company: { name: 'X' }, company_id: 1 });
  assert.equal(both.status, 422);

  const res = await seller.post(`/api/v1/leads/${lead.id}/convert`, {
    company: { legal_form: 'ooo' }, contact: {}, position: 'Закупщик',
  });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.body.lead.status, 'converted');
  assert.equal(res.body.lead.converted_company_id, res.body.company_id);
  const company = await seller.get(`/api/v1/companies/${res.body.company_id}`);
  assert.equal(company.status, 200, company.text);
  assert.equal(company.body.name, 'ООО «Дом и кухня»');
  assert.equal(company.body.inn, '7707083893');
  const contact = await seller.get(`/api/v1/contacts/${res.body.contact_id}`);
  assert.equal(contact.status, 200);
  assert.equal(contact.body.last_name, 'Соколов');
  assert.ok(contact.body.phones.some((p) => p.value === lead.points.find((x) => x.kind === 'phone').value));
  const tl = await seller.get(`/api/v1/companies/${res.body.company_id}/timeline`);
  assert.ok(tl.body.items.some((i) => i.kind === 'converted_from_lead' && i.summary.includes(`#${lead.id}`)));

  const again = await seller.post(`/api/v1/leads/${lead.id}/convert`, { company: {} });
  assert.equal(again.status, 409);
  const status = await seller.post(`/api/v1/leads/${lead.id}/status`, { status: 'new' });
  assert.equal(status.status, 409);
});

test('merge keeps both leads\' phones and history; the bin hides and restores a lead', async () => {
  const a = (await seller.post('/api/v1/leads', { request_text: 'Кухня', phones: [uniquePhone()] })).body.lead;
  const b = (await seller.post('/api/v1/leads', { request_text: 'Столешница', phones: [uniquePhone()] })).body.lead;
  const merged = await seller.post(`/api/v1/leads/${a.id}/merge`, { merged_id: b.id });
  assert.equal(merged.status, 200, merged.text);
  assert.equal(merged.body.points.length, 2);
  const gone = await seller.get(`/api/v1/leads/${b.id}`);
  assert.equal(gone.body.merged_into_id, a.id);
  assert.ok(gone.body.deleted_at);
  const self = await seller.post(`/api/v1/leads/${a.id}/merge`, { merged_id: a.id });
  assert.equal(self.status, 422);
  const tl = await seller.get(`/api/v1/leads/${a.id}/timeline`);
  assert.ok(tl.body.items.some((i) => i.kind === 'merged'));

  // Deleting needs lead:delete: the seller's role has none, the head of sales has it.
  assert.equal((await seller.delete(`/api/v1/leads/${a.id}`)).status, 404);
  const del = await rop.delete(`/api/v1/leads/${a.id}`);
  assert.equal(del.status, 200);
  assert.ok(!(await listAll(seller)).includes(a.id));
  assert.ok((await listAll(rop, '&deleted=true')).includes(a.id));
  const restored = await rop.post(`/api/v1/leads/${a.id}/restore`);
  assert.equal(restored.status, 200);
  assert.ok((await listAll(seller)).includes(a.id));
  assert.equal((await rop.post(`/api/v1/leads/${a.id}/restore`)).status, 409);
});

test('permissions: a seller sees only own leads, the head of sales all, the analyst reads only, support has no inbox', async () => {
  const mine = (await seller.post('/api/v1/leads', { request_text: 'Мой лид: кухня' })).body.lead;
  const other = (await seller2.post('/api/v1/leads', { request_text: 'Чужой лид: шкаф' })).body.lead;
  const sellerSees = await listAll(seller, '&status=all');
  assert.ok(sellerSees.includes(mine.id));
  assert.ok(!sellerSees.includes(other.id));
  assert.equal((await seller.get(`/api/v1/leads/${other.id}`)).status, 404);
  assert.equal((await seller.patch(`/api/v1/leads/${other.id}`, { title: 'взлом' })).status, 404);
  assert.equal((await seller.post(`/api/v1/leads/${other.id}/status`, { status: 'in_work' })).status, 404);
  assert.equal((await seller.get(`/api/v1/leads/${other.id}/timeline`)).status, 404);
  assert.equal((await seller.post(`/api/v1/leads/${mine.id}/merge`, { merged_id: other.id })).status, 422);
  const assign = await seller.post('/api/v1/leads', { request_text: 'Кухня', owner_user_id: seller2.me.id });
  assert.equal(assign.status, 403, 'a seller cannot give a lead to someone else');

  const ropSees = await listAll(rop, '&status=all');
  assert.ok(ropSees.includes(mine.id) && ropSees.includes(other.id));
  const moved = await rop.patch(`/api/v1/leads/${other.id}`, { owner_user_id: seller.me.id });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.owner_user_id, seller.me.id);
  assert.ok((await listAll(seller)).includes(other.id), 'reassigned lead now visible to the new owner');

  assert.ok((await listAll(analyst, '&status=all')).includes(mine.id));
  assert.equal((await analyst.patch(`/api/v1/leads/${mine.id}`, { title: 'x' })).status, 404);
  assert.equal((await analyst.post('/api/v1/leads', { request_text: 'x' })).status, 403);

  assert.equal((await support.get('/api/v1/leads')).status, 403);
  assert.equal((await support.post('/api/v1/leads', { request_text: 'Кухня' })).status, 403);
  assert.equal((await new Client(server.url).get('/api/v1/leads')).status, 401);
});

test('edit: fields change, the priority is scored again, phones replace only phones', async () => {
  const lead = (await seller.post('/api/v1/leads', {
    request_text: 'Вопрос', phones: [uniquePhone()], emails: ['q@example.ru'],
  })).body.lead;
  const res = await seller.patch(`/api/v1/leads/${lead.id}`, {
    request_text: 'Гардеробная 2 метра, бюджет 120 тыс', phones: [uniquePhone()],
  });
  assert.equal(res.status, 200, res.text);
  assert.ok(res.body.priority.score > lead.priority.score);
  assert.equal(res.body.points.filter((p) => p.kind === 'phone').length, 1);
  assert.notEqual(res.body.points.find((p) => p.kind === 'phone').value, lead.points.find((p) => p.kind === 'phone').value);
  assert.equal(res.body.points.find((p) => p.kind === 'email').value, 'q@example.ru');
  const empty = await seller.patch(`/api/v1/leads/${lead.id}`, { title: '' });
  assert.equal(empty.status, 422);
  const tl = await seller.get(`/api/v1/leads/${lead.id}/timeline`);
  assert.ok(tl.body.items.some((i) => i.kind === 'lead.update'));
});
