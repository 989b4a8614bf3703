// Reports over HTTP (REP-1 … REP-3, REP-7) on the demo workspace: every report answers under the caller's
// visibility with the same filters; each funnel figure opens down to the deals that add up to it; a seller sees
// only her own deals and may not export; the analyst and the head export CSV (formula cells neutralised) and XLSX,
// and LibreOffice opens the XLSX (converted headless to CSV, a cell checked); bad filters are 400 naming the field
// in the caller's language; the dashboards; and a weekly e-mail schedule sent by the scheduler when the manual
// clock passes its time, to a real SMTP server on loopback.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, freePort } from '../lib/server.js';
import { signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, admin, rop, seller, analyst, smtp, maildir;
const demo = (email) => ({ email, password: 'otdel-demo' });
const DAY = 24 * 60 * 60 * 1000;

function mails() {
  const dir = path.join(maildir, 'new');
  let names = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.map((n) => readFileSync(path.join(dir, n), 'utf8'));
}

before(async () => {
  maildir = mkdtempSync(path.join(os.tmpdir(), 'otdel-reports-mail-'));
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(path.join(maildir, d));
  const smtpPort = await freePort();
  smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise((r) => setTimeout(r, 700));  // aiosmtpd binds its port
  server = await startServer({
    extraArgs: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--mail-from', 'Отдел <crm@otdel.test>',
      '--public-url', 'https://crm.otdel.test', '--session-idle-minutes', '100000'],
  });
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, demo('designer@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
});
after(async () => {
  await server?.dispose();
  smtp?.kill('SIGTERM');
  if (maildir) rmSync(maildir, { recursive: true, force: true });
});

const year = '?from=2000-01-01&to=2100-12-31';

test('the funnel: every figure opens down to the deals that add up to it', async () => {
  const f = await rop.get(`/api/v1/reports/funnel${year}`);
  assert.equal(f.status, 200, f.text);
  assert.ok(f.body.stages.length >= 3, 'the default pipeline has stages');
  assert.ok(f.body.total.deals > 0, 'the demo has deals');
  const pipeline = f.body.scope.pipeline_id;
  for (const s of f.body.total.stages) {
    for (const measure of ['reached', 'current']) {
      const d = await rop.get(`/api/v1/reports/funnel/drilldown${year}&pipeline_id=${pipeline}&stage_id=${s.stage_id}&measure=${measure}`);
      assert.equal(d.status, 200, d.text);
      const figure = measure === 'reached' ? s.reached : s.current;
      const amount = measure === 'reached' ? s.reached_amount_minor : s.current_amount_minor;
      assert.equal(d.body.count, figure, `${s.name} ${measure}: count`);
      assert.equal(d.body.items.length, figure, `${s.name} ${measure}: listed`);
      assert.equal(d.body.items.reduce((x, i) => x + i.amount_minor, 0), amount, `${s.name} ${measure}: the list sums to the figure`);
    }
  }
  // The sum of "now in stage" is every deal of the period.
  assert.equal(f.body.total.stages.reduce((x, s) => x + s.current, 0), f.body.total.deals);

  // By person: the groups add up to the total.
  const g = await rop.get(`/api/v1/reports/funnel${year}&by=person`);
  assert.equal(g.status, 200, g.text);
  assert.equal(g.body.groups.reduce((x, grp) => x + grp.funnel.deals, 0), g.body.total.deals);

  // A seller sees her own deals only: every deal of her drill-down is hers.
  const own = await seller.get(`/api/v1/reports/funnel${year}`);
  assert.equal(own.status, 200, own.text);
  assert.ok(own.body.total.deals < f.body.total.deals, 'fewer than the head');
  const first = own.body.total.stages[0];
  const d = await seller.get(`/api/v1/reports/funnel/drilldown${year}&stage_id=${first.stage_id}&measure=reached`);
  assert.equal(d.status, 200, d.text);
  // Her report is the deals she may see (her own, and those of anyone she stands in for today): each opens for her.
  for (const i of d.body.items.slice(0, 10)) {
    const card = await seller.get(`/api/v1/deals/${i.id}`);
    assert.equal(card.status, 200, `deal ${i.id} of her drill-down is visible to her`);
  }
  const theirs = d.body.items.filter((i) => i.owner_user_id !== seller.me.id);
  for (const i of theirs.slice(0, 3)) {
    const card = await rop.get(`/api/v1/deals/${i.id}`);
    assert.equal(card.status, 200);
  }
});

test('win/loss, activity, forecast and plan vs fact answer with totals that agree', async () => {
  const w = await rop.get(`/api/v1/reports/win-loss${year}&by=person`);
  assert.equal(w.status, 200, w.text);
  assert.equal(w.body.rows.reduce((x, r) => x + r.won, 0), w.body.total.won);
  assert.equal(w.body.loss_reasons.reduce((x, r) => x + r.count, 0), w.body.total.lost);
  const won = await rop.get(`/api/v1/reports/win-loss/drilldown${year}&measure=won`);
  assert.equal(won.status, 200, won.text);
  assert.equal(won.body.count, w.body.total.won);
  assert.equal(won.body.amount_minor, w.body.total.won_amount_minor);

  const a = await rop.get('/api/v1/reports/activity?period=month');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.by_person.reduce((x, r) => x + r.calls, 0), a.body.total.calls);

  const f = await rop.get('/api/v1/reports/forecast?period=month');
  assert.equal(f.status, 200, f.text);
  assert.equal(f.body.weighted.reduce((x, s) => x + s.weighted_minor, 0), f.body.weighted_total_minor);
  assert.equal(f.body.backtest.periods.length, 6);
  for (const s of f.body.weighted.filter((x) => x.deals > 0).slice(0, 2)) {
    const d = await rop.get(`/api/v1/reports/forecast/drilldown?period=month&stage_id=${s.stage_id}&measure=weighted`);
    assert.equal(d.status, 200, d.text);
    assert.equal(d.body.amount_minor, s.amount_minor);
  }

  const p = await rop.get('/api/v1/reports/plan-fact?period=month');
  assert.equal(p.status, 200, p.text);
  assert.equal(p.body.available, true);
});

test('bad filters are 400 naming the field, in the caller\'s language', async () => {
  const r = await rop.get('/api/v1/reports/funnel?from=2026-02-30&by=planet', { headers: { 'Accept-Language': 'en' } });
  assert.equal(r.status, 400, r.text);
  assertFieldError(r, 'from', 'invalid_date');
  assertFieldError(r, 'by', 'not_one_of');
  const t = await rop.get('/api/v1/reports/funnel?from=2026-03-10&to=2026-03-01');
  assert.equal(t.status, 400, t.text);
  assertFieldError(t, 'to', 'before_start');
  const unknown = await rop.get('/api/v1/reports/payroll/export?format=csv');
  assert.equal(unknown.status, 404);
});

test('exports: a seller may not; CSV neutralises formulas; LibreOffice opens the XLSX', async () => {
  const denied = await seller.get(`/api/v1/reports/funnel/export${year}&format=csv`);
  assert.equal(denied.status, 403, denied.text);

  // A stage whose name a spreadsheet would run as a formula.
  const f = await rop.get(`/api/v1/reports/funnel${year}`);
  const stage = f.body.stages[0];
  const renamed = await admin.patch(`/api/v1/stages/${stage.id}`, { name: '=1+2' });
  assert.equal(renamed.status, 200, renamed.text);
  const csv = await analyst.get(`/api/v1/reports/funnel/export${year}&format=csv`);
  assert.equal(csv.status, 200, csv.text);
  assert.match(csv.headers.get('content-type'), /^text\/csv/);
  assert.ok(csv.text.includes("'=1+2"), 'the formula is neutralised');
  assert.ok(!/(^|,)=1\+2/m.test(csv.text), 'no raw formula cell');
  await admin.patch(`/api/v1/stages/${stage.id}`, { name: stage.name });

  const res = await fetch(`${server.url}/api/v1/reports/win-loss/export${year}&format=xlsx`, {
    headers: { Cookie: rop.cookieHeader() },
  });
  assert.equal(res.status, 200);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'otdel-xlsx-'));
  try {
    const file = path.join(dir, 'win-loss.xlsx');
    writeFileSync(file, bytes);
    await new Promise((resolve, reject) => {
      execFile('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76',
        '--outdir', dir, file], { timeout: 90_000 }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()));
    });
    const out = path.join(dir, 'win-loss.csv');
    assert.ok(existsSync(out), 'LibreOffice wrote the CSV');
    const lines = readFileSync(out, 'utf8').split(/\r?\n/);
    assert.match(lines[0], /^Выигрыши и проигрыши/, 'the title cell');
    assert.match(lines[2], /^Группа,Выиграно,Проиграно/, 'the header row');
    const w = await rop.get(`/api/v1/reports/win-loss${year}`);
    assert.equal(lines[3].split(',')[1], String(w.body.total.won), 'the total won cell is a number equal to the report');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dashboards: the head, the seller and the analyst each get theirs', async () => {
  const h = await rop.get('/api/v1/reports/dashboard');
  assert.equal(h.status, 200, h.text);
  assert.equal(h.body.kind, 'head');
  assert.ok(h.body.sla, 'the SLA summary');
  assert.ok(Array.isArray(h.body.overdue_invoices));
  assert.equal(h.body.overdue_total_minor, h.body.overdue_invoices.reduce((x, o) => x + o.due_minor, 0));
  const s = await seller.get('/api/v1/reports/dashboard');
  assert.equal(s.status, 200, s.text);
  assert.equal(s.body.kind, 'seller');
  assert.equal(s.body.sla, null);
  const a = await analyst.get('/api/v1/reports/dashboard');
  assert.equal(a.status, 200, a.text);
  assert.equal(a.body.kind, 'analyst');
  assert.ok(a.body.forecast);
});

test('a weekly schedule is sent by e-mail when the clock passes its time', async () => {
  const bad = await rop.post('/api/v1/report-schedules', { report: 'funnel', every: 'weekly', recipients: ['nope'] });
  assert.equal(bad.status, 422, bad.text);
  assertFieldError(bad, 'recipients/0', 'invalid_email');
  const s = await rop.post('/api/v1/report-schedules', {
    report: 'win_loss', every: 'weekly', weekday: 1, hour: 8, filters: { period: 'month', by: 'person' },
    recipients: ['boss@klient.test'],
  });
  assert.equal(s.status, 201, s.text);
  const list = await rop.get('/api/v1/report-schedules');
  assert.ok(list.body.items.some((x) => x.id === s.body.id));
  assert.equal((await seller.get('/api/v1/report-schedules')).body.items.length, 0, 'not the seller\'s');
  const now = (await admin.get('/api/v1/admin/clock')).body.now;
  assert.ok(s.body.next_run_at > now && s.body.next_run_at <= now + 7 * DAY + 60 * 60 * 1000);
  const before = mails().length;
  const moved = await admin.post('/api/v1/admin/clock', { advance_ms: s.body.next_run_at - now + 1000 });
  assert.equal(moved.status, 200, moved.text);
  const deadline = Date.now() + 20_000;
  while (!mails().slice(before).some((m) => /boss@klient\.test/.test(m)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  // Other timers of the demo (instalment reminders to clients) may send mail in the same jump: count this one's.
  const got = mails().slice(before).filter((m) => /boss@klient\.test/.test(m));
  assert.equal(got.length, 1, 'one e-mail to the recipient');
  // The report travels as XLSX and CSV attachments (the head may export); the CSV's cells are the report's.
  const mail = got[0];
  assert.match(mail, /multipart\/mixed/i);
  assert.match(mail, /filename\*?=(UTF-8'')?"?win_loss\.xlsx/, 'the XLSX is attached');
  assert.match(mail, /filename\*?=(UTF-8'')?"?win_loss\.csv/, 'the CSV is attached');
  const csvPart = mail.split(/\r?\n--/).find((p) => /win_loss\.csv/.test(p));
  const body64 = csvPart.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, '');
  const csv = Buffer.from(body64, 'base64').toString('utf8');
  assert.match(csv, /^\uFEFFГруппа,Выиграно,Проиграно/, 'the CSV header row');
  const xlsxPart = mail.split(/\r?\n--/).find((p) => /win_loss\.xlsx/.test(p));
  const xlsx = Buffer.from(xlsxPart.split(/\r?\n\r?\n/).slice(1).join('').replace(/\s+/g, ''), 'base64');
  assert.equal(xlsx.subarray(0, 2).toString('latin1'), 'PK', 'the XLSX is a zip');
  const after = await rop.get('/api/v1/report-schedules');
  const mine = after.body.items.find((x) => x.id === s.body.id);
  assert.equal(mine.sent_count, 1);
  assert.ok(mine.next_run_at >= s.body.next_run_at + 7 * DAY - 2 * 60 * 60 * 1000, 'the next week');
  const del = await rop.delete(`/api/v1/report-schedules/${s.body.id}`);
  assert.equal(del.status, 204);
});
