// An imported row matching an existing contact fills the card's empty fields and adds its new phones and e-mails
// (values already on the card are never overwritten); the card's timeline shows the change with before/after, the
// merge event says what was filled, and search finds the card by the added e-mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { signInAdmin } from '../lib/client.js';

let server, admin;
before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
});
after(async () => { await server?.dispose(); });

async function waitDone(c, id) {
  for (let i = 0; i < 200; i++) {
    const r = await c.get(`/api/v1/imports/${id}`);
    assert.equal(r.status, 200);
    if (['done', 'failed', 'cancelled'].includes(r.body.status)) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.fail('import did not finish');
}

test('a merged import row fills the gaps of the matched contact and never overwrites', async () => {
  const u = String(Date.now() % 100000).padStart(5, '0');
  const phone1 = `+7 917 ${u.slice(0, 3)} ${u.slice(3)} 01`;
  const phone2 = `8 917 ${u.slice(0, 3)} ${u.slice(3)} 02`;
  const email = `fill${u}@vega-import.ru`;
  const card = await admin.post('/api/v1/contacts', { last_name: 'Заполнов', first_name: 'Игорь', phones: [phone1] });
  assert.equal(card.status, 201, card.text);

  const csv = 'Фамилия;Имя;Отчество;Телефон;Почта\r\n' +
    `Заполнова;Игорь;Петрович;"${phone1}, ${phone2}";${email}\r\n`;
  const up = await admin.request('POST', '/api/v1/imports?entity=contact&file_name=fill.csv',
    { body: Buffer.from(csv), headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(up.status, 201, up.text);
  const columns = { 'Фамилия': 'last_name', 'Имя': 'first_name', 'Отчество': 'middle_name', 'Телефон': 'phone',
    'Почта': 'email' };
  assert.equal((await admin.post(`/api/v1/imports/${up.body.id}/start`, { mapping: { columns } })).status, 202);
  const done = await waitDone(admin, up.body.id);
  assert.equal(done.status, 'done');
  assert.equal(done.merged_rows, 1);
  assert.equal(done.created_rows, 0);

  const after = (await admin.get(`/api/v1/contacts/${card.body.id}`)).body;
  assert.equal(after.last_name, 'Заполнов', 'a filled field is not overwritten');
  assert.equal(after.middle_name, 'Петрович');
  assert.equal(after.full_name, 'Заполнов Игорь Петрович');
  assert.deepEqual(after.phones.map((p) => [p.value, p.is_primary]),
    [[`+7917${u}01`, true], [`+7917${u}02`, false]]);
  assert.deepEqual(after.emails.map((p) => p.value), [email]);

  const tl = (await admin.get(`/api/v1/contacts/${card.body.id}/timeline`)).body.items;
  const update = tl.find((i) => i.kind === 'contact.update' && i.source === 'audit');
  assert.ok(update, JSON.stringify(tl));
  const merged = tl.find((i) => i.kind === 'import_merged');
  assert.ok(merged, JSON.stringify(tl));
  assert.deepEqual(merged.payload.filled, ['middle_name']);
  assert.equal(merged.payload.points_added, 2);

  const found = await admin.get(`/api/v1/search?q=${encodeURIComponent(email)}`);
  assert.ok(found.body.items.some((i) => i.type === 'contact' && i.id === card.body.id), JSON.stringify(found.body));
  const byPhone = await admin.get(`/api/v1/search?q=${encodeURIComponent(phone2)}`);
  assert.ok(byPhone.body.items.some((i) => i.type === 'contact' && i.id === card.body.id));
});
