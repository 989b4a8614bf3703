// Deal import over HTTP (issue 6 item 10): a company brings its deal history from a CSV or XLSX export — owners by
// e-mail or full name, clients by INN or name, pipelines, stages and loss reasons by name, won/lost words of the
// Bitrix24 and amoCRM exports, amounts, product lines — and sees it with its dates on day one (closed_at, created_at,
// the stage history). Unknown owners, stages, pipelines and loss reasons reject their rows, named in the report, and no
// person is ever created; every row passes the stage's gate (the missing items listed); a dry run writes nothing;
// permissions by role; the CLI with a ready mapping.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, runCli } from '../lib/server.js';
import { signIn, signInAdmin, signInRop } from '../lib/client.js';
import { zip } from '../lib/zip.js';

let server, admin, rop, designer, analyst, english, tz, pipeline, reasons;
const demo = (email) => ({ email, password: 'otdel-demo' });
const unique = String(Date.now() % 1_000_000);

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  designer = await signIn(server, demo('designer@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
  english = await signIn(server, demo('designer2@otdel.demo'));
  assert.equal((await english.patch('/api/v1/me', { locale: 'en' })).status, 200);
  tz = (await admin.get('/api/v1/me')).body.workspace.time_zone;
  pipeline = (await rop.get('/api/v1/pipelines')).body.items.find((p) => p.is_default);
  reasons = (await rop.get('/api/v1/loss-reasons')).body.items;
});
after(async () => { await server?.dispose(); });

const upload = (c, name, bytes) => c.request('POST',
  `/api/v1/imports?entity=deal&file_name=${encodeURIComponent(name)}`,
  { body: bytes, headers: { 'Content-Type': 'application/octet-stream' } });

async function waitDone(c, id) {
  for (let i = 0; i < 300; i++) {
    const r = await c.get(`/api/v1/imports/${id}`);
    assert.equal(r.status, 200, r.text);
    if (['done', 'failed', 'cancelled'].includes(r.body.status)) return r.body;
    await new Promise((res) => setTimeout(res, 50));
  }
  assert.fail('import did not finish');
}

async function run(c, name, text, start = {}) {
  const up = await upload(c, name, Buffer.from(text));
  assert.equal(up.status, 201, up.text);
  const started = await c.post(`/api/v1/imports/${up.body.id}/start`, start);
  assert.equal(started.status, 202, started.text);
  return { up: up.body, done: await waitDone(c, up.body.id) };
}

async function mappingId(name) {
  const r = await admin.get('/api/v1/imports/mappings?entity=deal');
  assert.equal(r.status, 200, r.text);
  return r.body.items.find((m) => m.builtin && m.name === name).id;
}

async function dealsNamed(c, q) {
  const r = await c.get(`/api/v1/deals?status=all&limit=200&q=${encodeURIComponent(q)}`);
  assert.equal(r.status, 200, r.text);
  return Object.fromEntries(r.body.items.map((d) => [d.title, d]));
}

// A valid 10-digit INN (organisation) from 9 digits.
function inn(nine) {
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const d = String(nine).padStart(9, '7').slice(0, 9).split('').map(Number);
  return d.join('') + String(d.reduce((s, x, i) => s + x * w[i], 0) % 11 % 10);
}

// The calendar day (and time) of an instant in the workspace's time zone.
const dayOf = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, dateStyle: 'short' }).format(new Date(ms));
const timeOf = (ms) => new Intl.DateTimeFormat('en-GB', { timeZone: tz, timeStyle: 'short' }).format(new Date(ms));
const stage = (name) => pipeline.stages.find((s) => s.name === name);

const HEADER = 'Название сделки;Ответственный;Компания;ИНН;Этап сделки;Бюджет;Дата создания;Дата закрытия;' +
  'Причина отказа;Товары\r\n';

test('a good amoCRM export: owners, clients, stages, amounts, lines and the history keep their dates', async () => {
  const firm = `ООО Импорт сделок ${unique}`, firmInn = inn(`77${unique}`);
  const csv = HEADER +
    `Кухня Петровых ${unique};designer@otdel.demo;${firm};${firmInn};Замер;150 000,50;01.02.2025;;;\r\n` +
    `Шкаф Ивановым ${unique};Дмитрий Кузнецов;;${firmInn};Успешно реализовано;90000 руб.;01.03.2025 10:00;15.03.2025;;\r\n` +
    `Стенка ${unique};sales@otdel.demo;${firm};;Закрыто и не реализовано;45 000;10.01.2025;20.01.2025;Дорого;\r\n` +
    `Кухня с товарами ${unique};designer@otdel.demo;;;КП отправлено;;05.02.2025;;;"Столешница;2;5 000\nМонтаж;1;10000"\r\n`;
  const up = await upload(admin, 'amo.csv', Buffer.from(csv));
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.entity, 'deal');
  const suggested = up.body.suggested_mapping.columns;
  assert.equal(suggested['Название сделки'], 'title');
  assert.equal(suggested['Этап сделки'], 'stage');
  assert.equal(suggested['Бюджет'], 'amount');
  assert.equal(suggested['Товары'], 'lines');
  assert.ok(up.body.target_fields.some((f) => f.code === 'loss_reason'));
  const started = await admin.post(`/api/v1/imports/${up.body.id}/start`, { mapping_id: await mappingId('amoCRM') });
  assert.equal(started.status, 202, started.text);
  const done = await waitDone(admin, up.body.id);
  assert.equal(done.status, 'done');
  assert.deepEqual([done.processed_rows, done.created_rows, done.rejected_rows], [4, 4, 0]);

  const deals = await dealsNamed(rop, unique);
  const open = deals[`Кухня Петровых ${unique}`];
  assert.equal(open.status, 'open');
  assert.equal(open.stage_id, stage('Замер').id);
  assert.equal(open.amount_minor, 15_000_050);
  assert.equal(open.currency, 'RUB');
  assert.equal(open.company_name, firm, 'the named company was created');
  assert.equal(open.owner_user_id, designer.me.id);
  assert.equal(dayOf(open.created_at), '2025-02-01');
  assert.equal(open.closed_at, null);

  const won = deals[`Шкаф Ивановым ${unique}`];
  assert.equal(won.status, 'won');
  assert.equal(won.company_id, open.company_id, 'the INN finds the company the first row created');
  assert.equal(won.owner_user_id, designer.me.id, 'the owner by full name');
  assert.equal(won.amount_minor, 9_000_000);
  assert.equal(dayOf(won.created_at), '2025-03-01');
  assert.equal(timeOf(won.created_at), '10:00');
  assert.equal(dayOf(won.closed_at), '2025-03-15');
  const history = await rop.get(`/api/v1/deals/${won.id}/history`);
  assert.equal(history.status, 200, history.text);
  assert.deepEqual(history.body.items.map((h) => [h.to_stage_id, dayOf(h.at)]),
    [[pipeline.stages[0].id, '2025-03-01'], [stage('Успешно').id, '2025-03-15']],
    'a closed deal entered the first stage when created and won when closed');

  const lost = deals[`Стенка ${unique}`];
  assert.equal(lost.status, 'lost');
  assert.equal(lost.loss_reason_id, reasons.find((r) => r.name_ru === 'Дорого').id);
  assert.equal(dayOf(lost.closed_at), '2025-01-20');

  const lined = deals[`Кухня с товарами ${unique}`];
  assert.equal(lined.amount_minor, 2_000_000, 'the amount is the lines\' sum');
  const lines = await rop.get(`/api/v1/deals/${lined.id}/lines`);
  assert.equal(lines.status, 200, lines.text);
  assert.deepEqual(lines.body.lines.map((l) => [l.name, l.quantity_milli, l.unit_price_minor, l.amount_minor]),
    [['Столешница', 2000, 500_000, 1_000_000], ['Монтаж', 1000, 1_000_000, 1_000_000]]);

  // The batch is audited once, naming the deals it created.
  const audit = await admin.get(`/api/v1/audit-log?object_type=import&object_id=${up.body.id}`);
  assert.equal(audit.status, 200, audit.text);
  const batch = audit.body.items.find((a) => a.action === 'import.batch');
  assert.equal(batch.after.deal.created, 4);
  assert.equal(batch.after.deal_lines, 2);
});

test('unknown owners, pipelines, stages and loss reasons reject their rows, each named; nobody is invented',
  async () => {
    const employees = (await admin.get('/api/v1/employees?limit=200')).body.items.length;
    const csv = HEADER +
      `Хорошая ${unique};designer@otdel.demo;;;Новая заявка;1000;;;;\r\n` +
      `Чужой ${unique};nobody-${unique}@example.ru;;;Замер;1000;;;;\r\n` +
      `Призрак ${unique};Иван Несуществующий;;;Замер;1000;;;;\r\n` +
      `Этап ${unique};designer@otdel.demo;;;Переговоры на Луне;1000;;;;\r\n` +
      `Причина ${unique};designer@otdel.demo;;;Проиграна;1000;01.02.2025;02.02.2025;Инопланетяне;\r\n` +
      `Без причины ${unique};designer@otdel.demo;;;Проиграна;1000;01.02.2025;02.02.2025;;\r\n` +
      `Будущее ${unique};designer@otdel.demo;;;Замер;1000;01.02.2099;;;\r\n` +
      `Сумма ${unique};designer@otdel.demo;;;Замер;много денег;;;;\r\n` +
      `Товары ${unique};designer@otdel.demo;;;Замер;1000;;;;"Монтаж;1;500"\r\n`;
    const { up, done } = await run(admin, 'bad.csv', csv, { mapping_id: await mappingId('amoCRM') });
    assert.deepEqual([done.created_rows, done.rejected_rows], [1, 8]);
    const report = await admin.get(`/api/v1/imports/${up.id}/errors.csv`);
    assert.equal(report.status, 200);
    const text = report.text;
    assert.match(text, new RegExp(`owner_email: Ответственный «nobody-${unique}@example.ru» не найден`));
    assert.match(text, /owner_email: Ответственный «Иван Несуществующий» не найден/);
    assert.match(text, /stage: Этапа «Переговоры на Луне» нет в воронке/);
    assert.match(text, /loss_reason: Причины проигрыша «Инопланетяне» нет/);
    assert.match(text, /loss_reason: Обязательное поле/);
    assert.match(text, /created_at: Дата 2099-02-01 ещё не наступила/);
    assert.match(text, /amount: Непонятная сумма «много денег»/);
    assert.match(text, /amount: Сумма не совпадает с суммой товаров \(500\.00\)/);
    assert.equal((await admin.get('/api/v1/employees?limit=200')).body.items.length, employees, 'no person created');
    const deals = await dealsNamed(admin, unique);
    assert.ok(deals[`Хорошая ${unique}`]);
    assert.ok(!deals[`Чужой ${unique}`] && !deals[`Призрак ${unique}`] && !deals[`Этап ${unique}`]);

    // A pipeline named in the file must exist too; the report speaks the reader's language.
    const other = await run(english, 'pipe.csv', `Название сделки;Воронка;Этап\r\nВ другой воронке ${unique};Опт;Замер\r\n`,
      { mapping: { columns: { 'Название сделки': 'title', 'Воронка': 'pipeline', 'Этап': 'stage' } } });
    assert.equal(other.done.rejected_rows, 1);
    const enReport = await english.get(`/api/v1/imports/${other.up.id}/errors.csv`);
    assert.match(enReport.text, /pipeline: There is no pipeline ""Опт""/);  // CSV doubles the quotes
  });

test('stage gates hold for imported deals: each missing item is listed, the new company goes back with the row',
  async () => {
    const contract = stage('Договор подписан');
    assert.deepEqual(contract.required_fields, ['amount', 'company', 'company.inn']);
    const [c1, c2] = contract.checklist;
    const firm = `ООО Без ИНН ${unique}`, good = `ООО С ИНН ${unique}`;
    const columns = { 'Название': 'title', 'Этап': 'stage', 'Компания': 'company_name', 'ИНН': 'company_inn',
      'Сумма': 'amount', 'Чек-лист': 'checklist' };
    const csv = 'Название,Этап,Компания,ИНН,Сумма,Чек-лист\r\n' +
      `Договор без ИНН ${unique},Договор подписан,${firm},,100000,\r\n` +
      `Договор полный ${unique},Договор подписан,${good},${inn(`55${unique}`)},100000,"${c1.label}; ${c2.code}"\r\n`;
    const { up, done } = await run(rop, 'gate.csv', csv, { mapping: { columns } });
    assert.deepEqual([done.created_rows, done.rejected_rows], [1, 1]);
    const report = (await rop.get(`/api/v1/imports/${up.id}/errors.csv`)).text;
    assert.match(report, /company\.inn: Заполните «ИНН компании»/);
    assert.match(report, new RegExp(`checklist/${c1.code}: Отметьте пункт «${c1.label}»`));
    assert.match(report, new RegExp(`checklist/${c2.code}: Отметьте пункт`));
    const companies = await rop.get(`/api/v1/companies?q=${encodeURIComponent(firm)}`);
    assert.equal(companies.body.items.length, 0, 'the rejected row left no company behind');
    const deals = await dealsNamed(rop, unique);
    const signed = deals[`Договор полный ${unique}`];
    assert.equal(signed.stage_id, contract.id);
    assert.deepEqual(signed.checklist, { [c1.code]: true, [c2.code]: true });
    assert.equal(signed.payment_due_at, null, 'no payment window for a deal from the past');
  });

test('a dry run counts what would happen and writes nothing', async () => {
  const firm = `ООО Пробный прогон ${unique}`;
  const before = (await admin.get('/api/v1/deals?status=all&limit=200')).body.items.length;
  const csv = HEADER + `Пробная ${unique};designer@otdel.demo;${firm};;Замер;1000;;;;\r\n` +
    `Пробная плохая ${unique};nobody@example.ru;;;Замер;1000;;;;\r\n`;
  const { done } = await run(admin, 'dry.csv', csv, { mapping_id: await mappingId('amoCRM'), dry_run: true });
  assert.equal(done.dry_run, true);
  assert.deepEqual([done.created_rows, done.rejected_rows], [1, 1]);
  assert.equal((await admin.get('/api/v1/deals?status=all&limit=200')).body.items.length, before);
  assert.equal((await admin.get(`/api/v1/companies?q=${encodeURIComponent(firm)}`)).body.items.length, 0);
});

test('XLSX: deals from a workbook (inline strings, numbers, a date cell)', async () => {
  const cell = (ref, v) => (typeof v === 'number'
    ? `<c r="${ref}"><v>${v}</v></c>`
    : `<c r="${ref}" t="inlineStr"><is><t>${v}</t></is></c>`);
  const row = (n, values) => `<row r="${n}">${values.map((v, i) => cell(`${'ABCDE'[i]}${n}`, v)).join('')}</row>`;
  // 45658 is 2025-01-01 in the 1900 date system; style 1 shows it as a date (built-in format 14).
  const dateCell = (ref, serial) => `<c r="${ref}" s="1"><v>${serial}</v></c>`;
  const sheet = '<worksheet><sheetData>' +
    row(1, ['Название сделки', 'Сумма', 'Ответственный', 'Стадия сделки', 'Дата создания']) +
    `<row r="2">${cell('A2', `Из Excel ${unique}`)}${cell('B2', 125000.5)}${cell('C2', 'designer@otdel.demo')}` +
    `${cell('D2', 'Сделка успешна')}${dateCell('E2', 45658)}</row>` +
    '</sheetData></worksheet>';
  const styles = '<styleSheet><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14"/></cellXfs></styleSheet>';
  const wb = '<workbook><sheets><sheet name="Сделки" sheetId="1"/></sheets></workbook>';
  const file = zip([['xl/workbook.xml', Buffer.from(wb)], ['xl/styles.xml', Buffer.from(styles)],
    ['xl/worksheets/sheet1.xml', Buffer.from(sheet)]]);
  const up = await upload(admin, 'bitrix.xlsx', file);
  assert.equal(up.status, 201, up.text);
  assert.equal(up.body.format, 'xlsx');
  const started = await admin.post(`/api/v1/imports/${up.body.id}/start`, { mapping_id: await mappingId('Bitrix24') });
  assert.equal(started.status, 202, started.text);
  const done = await waitDone(admin, up.body.id);
  assert.deepEqual([done.created_rows, done.rejected_rows], [1, 0]);
  const deal = (await dealsNamed(admin, `Из Excel ${unique}`))[`Из Excel ${unique}`];
  assert.equal(deal.status, 'won');
  assert.equal(deal.amount_minor, 12_500_050);
  assert.equal(dayOf(deal.created_at), '2025-01-01');
  assert.equal(dayOf(deal.closed_at), '2025-01-01', 'closed without a close date: on the day it was created');
});

test('permissions: an analyst cannot import deals; a designer imports her own, not someone else\'s', async () => {
  const denied = await upload(analyst, 'x.csv', Buffer.from('Название сделки\r\nНельзя\r\n'));
  assert.equal(denied.status, 403);
  const csv = HEADER + `Моя ${unique};designer@otdel.demo;;;Замер;1000;;;;\r\n` +
    `Коллеги ${unique};designer3@otdel.demo;;;Замер;1000;;;;\r\n` +
    `Ничья ${unique};;;;Замер;1000;;;;\r\n`;
  const { up, done } = await run(designer, 'mine.csv', csv, { mapping_id: await mappingId('amoCRM') });
  assert.deepEqual([done.created_rows, done.rejected_rows], [2, 1]);
  assert.match((await designer.get(`/api/v1/imports/${up.id}/errors.csv`)).text,
    /owner_email: Вы не можете назначать ответственным «designer3@otdel.demo»/);
  const mine = await dealsNamed(designer, unique);
  assert.equal(mine[`Ничья ${unique}`].owner_user_id, designer.me.id, 'without an owner the importer owns the row');
  assert.equal((await english.get(`/api/v1/imports/${up.id}`)).status, 404, 'a colleague does not see the run');
  const bad = await admin.post('/api/v1/imports/mappings',
    { entity: 'deal', name: `Наш ${unique}`, columns: { 'X': 'custom.colour' } });
  assert.equal(bad.status, 422, 'deals have no custom fields to import into');
});

test('CLI: otdel import deals FILE --mapping Bitrix24', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'otdel-deals-'));
  const file = path.join(dir, 'bitrix.csv');
  writeFileSync(file, '\uFEFFНазвание;Стадия сделки;Сумма;Валюта;Ответственный;Дата начала;Дата завершения\r\n' +
    `Из Битрикса ${unique};Сделка провалена;50000;USD;Дмитрий Кузнецов;01.06.2024;03.06.2024\r\n` +
    `Открытая из Битрикса ${unique};Новая заявка;70000;RUB;rop@otdel.demo;01.06.2024;30.09.2024\r\n`);
  try {
    const out = await runCli(['import', 'deals', file, '--mapping', 'Bitrix24', '--db', server.db.url]);
    assert.match(out.stdout, /import #\d+ done: 2 rows, 1 created, 0 merged, 1 rejected/);
    const deals = await dealsNamed(rop, `Битрикса ${unique}`);
    const open = deals[`Открытая из Битрикса ${unique}`];
    assert.equal(open.expected_close_date, '2024-09-30', 'an open deal\'s close date is when it is expected to close');
    assert.equal(open.owner_user_id, rop.me.id);
    assert.ok(!deals[`Из Битрикса ${unique}`], 'a lost deal without a loss reason is refused, as in the card');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
