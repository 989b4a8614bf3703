// Imports over HTTP: upload with preview and suggested mapping (CSV in UTF-8 and cp1251, XLSX), start, progress to
// done, the error report (reasons in the caller's language, formula cells neutralised), dry run, saved and ready
// mappings, 413 for an oversized upload, 422 for a zip bomb, and permissions by role (admin, head of sales, a seller
// with scope own, an analyst without client:create).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';
import { zip } from '../lib/zip.js';

let server, admin, rop, seller, analyst;
const demo = (email) => ({ email, password: 'otdel-demo' });

before(async () => {
  server = await startServer({ extraArgs: ['--import-max-upload', '2000000'] });
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, demo('designer@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
});
after(async () => { await server?.dispose(); });

const upload = (c, entity, name, bytes, extra = '') => c.request('POST',
  `/api/v1/imports?entity=${entity}&file_name=${encodeURIComponent(name)}${extra}`,
  { body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });

async function waitDone(c, id) {
  for (let i = 0; i < 200; i++) {
    const r = await c.get(`/api/v1/imports/${id}`);
    assert.equal(r.status, 200);
    if (['done', 'failed', 'cancelled'].includes(r.body.status)) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.fail('import did not finish');
}

const unique = Date.now() % 100000;
const phone = (n) => `+7 916 ${String(unique).padStart(5, '0').slice(0, 3)} ${String(n).padStart(2, '0')} ${String(unique % 100).padStart(2, '0')}`;

test('upload → preview → start → done; duplicates merged, bad rows in the report with original cells', async () => {
  const csv = '\uFEFFНазвание;ИНН;Телефон;Комментарий\r\n' +
    `ООО Импорт-Альфа ${unique};;${phone(1)};первый\r\n` +
    `ООО Импорт-Бета ${unique};;${phone(2)};\r\n` +
    `Альфа повтор;;${phone(1)};тот же телефон\r\n` +
    `ООО Кривой ИНН;1234567890;;"=HYPERLINK(""http://x"")"\r\n` +
    `"ООО ""Кавычки"" ${unique}";;;"много\r\nстрок"\r\n`;
  const up = await upload(admin, 'company', 'firms.csv', Buffer.from(csv));
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.format, 'csv');
  assert.equal(up.body.encoding, 'utf-8');
  assert.equal(up.body.delimiter, ';');
  assert.deepEqual(up.body.headers, ['Название', 'ИНН', 'Телефон', 'Комментарий']);
  assert.equal(up.body.preview.length, 5);
  assert.equal(up.body.preview[4].cells[3], 'много\r\nстрок');
  assert.equal(up.body.suggested_mapping.columns['Название'], 'name');
  assert.equal(up.body.suggested_mapping.columns['Телефон'], 'phone');
  assert.equal(up.body.status, 'uploaded');

  const started = await admin.post(`/api/v1/imports/${up.body.id}/start`, {});
  assert.equal(started.status, 202, started.text);
  const done = await waitDone(admin, up.body.id);
  assert.equal(done.status, 'done');
  assert.equal(done.processed_rows, 5);
  assert.equal(done.created_rows, 3);
  assert.equal(done.merged_rows, 1);
  assert.equal(done.rejected_rows, 1);
  assert.equal(done.total_rows, 5);
  assert.equal((await admin.post(`/api/v1/imports/${up.body.id}/start`, {})).status, 409, 'a run starts once');

  const ru = await admin.get(`/api/v1/imports/${up.body.id}/errors.csv`);
  assert.equal(ru.status, 200);
  assert.match(ru.headers.get('content-type'), /text\/csv/);
  assert.ok(ru.text.replace(/^\uFEFF/, '').startsWith('Строка,Причины,Название'), ru.text);
  assert.match(ru.text, /5,inn: ИНН должен содержать/);
  assert.match(ru.text, /'=HYPERLINK/, 'formula cells are neutralised');

  const found = (await admin.get('/api/v1/companies?limit=200')).body.items
    .filter((c) => c.name.endsWith(String(unique)) && /Импорт|Кавычки/.test(c.name));
  assert.deepEqual(found.map((c) => c.name).sort(),
    [`ООО "Кавычки" ${unique}`, `ООО Импорт-Альфа ${unique}`, `ООО Импорт-Бета ${unique}`]);
});

test('cp1251 with a tab delimiter, XLSX upload, and a dry run that writes nothing', async () => {
  // "Имя\tТелефон" / "Ольга\t<phone>" in Windows-1251.
  const cp = Buffer.concat([
    Buffer.from([0xc8, 0xec, 0xff, 0x09, 0xd2, 0xe5, 0xeb, 0xe5, 0xf4, 0xee, 0xed, 0x0a]),
    Buffer.from([0xce, 0xeb, 0xfc, 0xe3, 0xe0, 0x09]), Buffer.from(`${phone(7)}\n`),
  ]);
  const up = await upload(rop, 'contact', 'people.csv', cp);
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.encoding, 'cp1251');
  assert.equal(up.body.delimiter, '\t');
  assert.deepEqual(up.body.headers, ['Имя', 'Телефон']);
  assert.equal(up.body.preview[0].cells[0], 'Ольга');
  const dry = await rop.post(`/api/v1/imports/${up.body.id}/start`, { dry_run: true });
  assert.equal(dry.status, 202, dry.text);
  const done = await waitDone(rop, up.body.id);
  assert.equal(done.dry_run, true);
  assert.equal(done.created_rows, 1);
  const contacts = await rop.get(`/api/v1/contacts?q=${encodeURIComponent(phone(7))}`);
  assert.equal(contacts.status, 200);
  assert.equal(contacts.body.items.length, 0, 'a dry run creates nothing');

  // Forced to UTF-8, even the header row is unreadable: the upload is refused with the reason.
  const forced = await upload(rop, 'contact', 'people.csv', cp, '&encoding=utf-8');
  assert.equal(forced.status, 422);
  assertFieldError(forced, 'file', 'invalid_encoding');
  // A UTF-8 file with one cp1251 line: that row is flagged in the preview.
  const mixed = Buffer.concat([Buffer.from(`Имя,Телефон\nАнна,${phone(8)}\nЕлена,${phone(9)}\n`),
    Buffer.from([0xc1, 0xee, 0xf0, 0xe8, 0xf1, 0x2c, 0x31, 0x0a])]);
  const m = await upload(rop, 'contact', 'mixed.csv', mixed);
  assert.equal(m.status, 201, m.text);
  assert.equal(m.body.encoding, 'utf-8');
  assert.equal(m.body.preview[2].error, 'invalid_encoding');
  assert.equal(m.body.preview[2].cells[0], 'Борис');
});

test('ready mappings for Bitrix24 and amoCRM, saved mappings CRUD, and save_mapping_as on start', async () => {
  const list = await admin.get('/api/v1/imports/mappings?entity=contact');
  assert.equal(list.status, 200);
  const names = list.body.items.filter((m) => m.builtin).map((m) => m.name).sort();
  assert.deepEqual(names, ['Bitrix24', 'amoCRM']);
  const bitrix = list.body.items.find((m) => m.name === 'Bitrix24');
  assert.equal(bitrix.columns['Мобильный телефон'], 'phone_mobile');
  assert.ok(list.body.target_fields.some((f) => f.code === 'birthday'));
  assert.equal((await admin.patch(`/api/v1/imports/mappings/${bitrix.id}`, { name: 'x' })).status, 409);
  assert.equal((await admin.delete(`/api/v1/imports/mappings/${bitrix.id}`)).status, 409);

  const bad = await admin.post('/api/v1/imports/mappings', { entity: 'contact', name: 'Наш', columns: { A: 'colour' } });
  assert.equal(bad.status, 422);
  assertFieldError(bad, 'columns/A', 'not_a_target_field');
  const mine = await admin.post('/api/v1/imports/mappings',
    { entity: 'contact', name: `Наш формат ${unique}`, columns: { 'ФИО': 'full_name', 'Тел.': 'phone' } });
  assert.equal(mine.status, 201, mine.text);
  assert.equal((await admin.post('/api/v1/imports/mappings',
    { entity: 'contact', name: `Наш формат ${unique}`, columns: {} })).status, 422, 'names are unique');
  const renamed = await admin.patch(`/api/v1/imports/mappings/${mine.body.id}`, { name: `Наш ${unique}` });
  assert.equal(renamed.status, 200);
  assert.equal(renamed.body.columns['ФИО'], 'full_name');

  const csv = `Фамилия,Имя,Мобильный телефон,Должность\nСмирнов,Алексей,${phone(11)},Снабженец\n`;
  const up = await upload(admin, 'contact', 'bitrix.csv', Buffer.from(csv));
  const started = await admin.post(`/api/v1/imports/${up.body.id}/start`,
    { mapping_id: bitrix.id, save_mapping_as: `Копия ${unique}` });
  assert.equal(started.status, 202, started.text);
  assert.ok(started.body.mapping_id > 0);
  const done = await waitDone(admin, up.body.id);
  assert.equal(done.created_rows, 1);
  const after = await admin.get('/api/v1/imports/mappings?entity=contact');
  assert.ok(after.body.items.some((m) => m.name === `Копия ${unique}` && !m.builtin));
  assert.equal((await admin.delete(`/api/v1/imports/mappings/${mine.body.id}`)).status, 204);
});

test('limits: 413 above the upload limit, 422 for a zip bomb, an empty file and a bad entity', async () => {
  const big = await upload(admin, 'company', 'big.csv', Buffer.alloc(2_100_000, 'a'));
  assert.equal(big.status, 413);
  const empty = await upload(admin, 'company', 'e.csv', Buffer.alloc(0));
  assert.equal(empty.status, 422);
  assertFieldError(empty, 'file', 'empty_file');
  const entity = await upload(admin, 'invoice', 'x.csv', Buffer.from('a\n1\n'));
  assert.equal(entity.status, 422);
  assertFieldError(entity, 'entity', 'not_one_of');

  // A zip whose worksheet inflates from a few kilobytes to 64 MB.
  const sheet = Buffer.concat([Buffer.from('<worksheet><sheetData><row><c t="inlineStr"><is><t>'),
    Buffer.alloc(64 << 20, 'A'), Buffer.from('</t></is></c></row></sheetData></worksheet>')]);
  const wb = Buffer.from('<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>');
  const bomb = zip([['xl/workbook.xml', wb], ['xl/worksheets/sheet1.xml', sheet]]);
  assert.ok(bomb.length < 1_000_000);
  const r = await upload(admin, 'company', 'bomb.xlsx', bomb);
  assert.equal(r.status, 422, r.text);
  assertFieldError(r, 'file', 'zip_bomb');
});

test('XLSX: a small workbook is read (shared strings, numbers as digits)', async () => {
  const ss = Buffer.from('<sst><si><t>Название</t></si><si><t>Телефон</t></si>' +
    `<si><t>ООО Эксель ${unique}</t></si></sst>`);
  const sheet = Buffer.from('<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>' +
    `<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7916${String(unique).padStart(7, '0')}</v></c></row></sheetData></worksheet>`);
  const wb = Buffer.from('<workbook><sheets><sheet name="S" sheetId="1"/></sheets></workbook>');
  const file = zip([['xl/workbook.xml', wb], ['xl/sharedStrings.xml', ss], ['xl/worksheets/sheet1.xml', sheet]]);
  const up = await upload(admin, 'company', 'book.xlsx', file);
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.format, 'xlsx');
  assert.deepEqual(up.body.preview[0].cells, [`ООО Эксель ${unique}`, `7916${String(unique).padStart(7, '0')}`]);
});

test('permissions: an analyst without client:create gets 403; a seller sees only her runs; owners per mapping',
  async () => {
    const csv = Buffer.from('Название\nООО Нельзя\n');
    const denied = await upload(analyst, 'company', 'x.csv', csv);
    assert.equal(denied.status, 403);

    const own = await upload(seller, 'company', 'mine.csv',
      Buffer.from(`Название,Ответственный\nООО Своя ${unique},designer@otdel.demo\nООО Чужая ${unique},admin@otdel.demo\n`));
    assert.equal(own.status, 201, own.text);
    assert.equal((await seller.post(`/api/v1/imports/${own.body.id}/start`, {})).status, 202);
    const done = await waitDone(seller, own.body.id);
    assert.equal(done.created_rows, 1);
    assert.equal(done.rejected_rows, 1, 'a seller may not give rows to someone else');
    const report = await seller.get(`/api/v1/imports/${own.body.id}/errors.csv`);
    assert.match(report.text, /owner_email: Вы не можете назначать ответственным/);

    const adminRun = (await admin.get('/api/v1/imports')).body.items.find((i) => i.created_by !== seller.me.id);
    assert.ok(adminRun);
    assert.equal((await seller.get(`/api/v1/imports/${adminRun.id}`)).status, 404);
    assert.equal((await seller.get(`/api/v1/imports/${adminRun.id}/errors.csv`)).status, 404);
    assert.ok(!(await seller.get('/api/v1/imports')).body.items.some((i) => i.id === adminRun.id));
    assert.ok((await admin.get('/api/v1/imports')).body.items.some((i) => i.id === own.body.id));

    const byAdmin = await upload(admin, 'company', 'owners.csv',
      Buffer.from(`Название,Ответственный\nООО Для дизайнера ${unique},designer@otdel.demo\nООО Никому ${unique},nobody@x.ru\n`));
    await admin.post(`/api/v1/imports/${byAdmin.body.id}/start`, {
      mapping: { columns: { 'Название': 'name', 'Ответственный': 'owner_email' } } });
    const d2 = await waitDone(admin, byAdmin.body.id);
    assert.equal(d2.created_rows, 1);
    assert.equal(d2.rejected_rows, 1);
    const card = (await seller.get('/api/v1/companies?limit=200')).body.items
      .filter((c) => c.name === `ООО Для дизайнера ${unique}`);
    assert.equal(card.length, 1, 'the row went to the owner the file named');
    assert.equal(card[0].owner_user_id, seller.me.id);
  });

test('cancel stops a queued run; a finished run cannot be cancelled', async () => {
  const up = await upload(admin, 'lead', 'leads.csv', Buffer.from(`Имя,Телефон\nИван,${phone(30)}\n`));
  const c = await admin.post(`/api/v1/imports/${up.body.id}/cancel`, {});
  assert.equal(c.status, 200);
  assert.equal(c.body.status, 'cancelled');
  assert.equal((await admin.post(`/api/v1/imports/${up.body.id}/cancel`, {})).status, 409);
  assert.equal((await admin.post(`/api/v1/imports/${up.body.id}/start`, {})).status, 409);
});
