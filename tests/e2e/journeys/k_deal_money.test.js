// (k) A deal from the hand-off to the money (issue 6, DEAL-2..7): a lead manager hands a fresh lead
// over to the designer-manager Дмитрий Кузнецов in the lead's drawer, which opens his deal. He opens
// it in Сделки, moves it to «Замер», tries «Договор подписан» and is refused with every missing item
// (the amount, the client, its INN, the checklist); he picks the client, adds a product from the
// catalog (the amount comes from the line), ticks the checklists and walks the deal through the
// stages; generates a commercial proposal and reads the PDF's text (pdftotext) for the Cyrillic
// names; makes an invoice from the deal and splits it into three monthly instalments. The
// administrator moves the manual clock past the first instalment's mid-term — the invoice page lists
// the reminder sent to the client — and past its due date: the instalment is overdue and the
// designer's bell says so.
//
// Moves the server's manual clock about five weeks ahead, so it runs after the routing journey (j),
// at the end. Only this journey: scripts/test-e2e --test-name-pattern='deal to money'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  apiSession,
  ADMIN,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();

const DEMO_PASSWORD = 'otdel-demo';
const DESIGNER = {
  email: 'designer@otdel.demo',
  password: DEMO_PASSWORD,
  name: 'Дмитрий Кузнецов',
};
const LEAD_MANAGERS = ['lead@otdel.demo', 'lead2@otdel.demo'];
const CLIENT = 'Студия Ларисы Вольской';
const PRODUCT = 'Кухня «Модерн», погонный метр';
const GATED = 'Договор подписан';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Moscow has no daylight saving time: always UTC+3. */
const MSK_OFFSET = 3 * HOUR;

/** The administrator sets the manual clock (a fresh session: sessions idle out when it jumps days). */
async function setClock(at) {
  const admin = await apiSession(ADMIN.email, ADMIN.password);
  const { now } = await admin.get('/api/v1/admin/clock');
  assert.ok(at > now, `the clock only moves forward (now ${now}, wanted ${at})`);
  return admin.post('/api/v1/admin/clock', { set_ms: at });
}

/** 12:00 Moscow time of a local date "YYYY-MM-DD" plus `days`. */
function mskNoon(date, days = 0) {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y, m - 1, d + days, 12) - MSK_OFFSET;
}

/** Whole days from one local date to another. */
const daysBetween = (from, to) => Math.round((mskNoon(to) - mskNoon(from)) / DAY);

/** The input inside an Ant Design field whose test id sits on the input or on its wrapper. */
const inputOf = (scope, testId) =>
  scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

/** Opens an Ant Design Select (by test id), optionally types a search, picks the option with this text. */
async function pick(page, testId, text, search) {
  const select = page.getByTestId(testId);
  await select.click();
  if (search !== undefined) await select.locator('input').fill(search);
  const option = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first();
  await option.waitFor();
  await option.click();
}

/** The deal's stage as the drawer's selector shows it. */
const stageShown = async (page) =>
  ((await page.getByTestId('deal-stage-select').textContent()) ?? '').trim();

/** Moves the open deal to a stage from the drawer's stage selector and waits until it stands there. */
async function moveTo(page, stage) {
  await pick(page, 'deal-stage-select', stage);
  await eventually(
    async () => (await stageShown(page)).includes(stage),
    `the deal is in «${stage}»`,
  );
  assert.equal(await page.getByTestId('gate-refusal').count(), 0, `no refusal entering «${stage}»`);
}

/** Opens the bell and waits for a notification of `kind`. */
async function bellHas(page, kind, text) {
  await page.getByTestId('notif-bell').click();
  const item = page.locator(`[data-testid="notif-item"][data-kind="${kind}"]`, { hasText: text });
  await item.first().waitFor();
  await page.keyboard.press('Escape');
}

describe('deal to money', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('walks the hand-off deal through gates, a proposal PDF, an invoice in three instalments and its reminders', async () => {
    const stamp = Date.now();
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'otdel-k-'));

    // A client's request reaches the lead desk (entered by hand, through the API: not what this journey is about).
    const leadManager = { email: LEAD_MANAGERS[stamp % 2], password: DEMO_PASSWORD };
    const desk = await apiSession(leadManager.email, leadManager.password);
    const { lead } = await desk.post('/api/v1/leads', {
      contact_name: `Вера Ёлкина ${stamp % 100000}`,
      request_text: `Кухня «Модерн» 3 м с мойкой, бюджет 300 000 руб, заказ ${stamp}`,
      phones: [`+7 916 ${String(stamp).slice(-7)}`],
    });

    // The lead manager hands it over: the designer's free slot, booked in the lead's drawer.
    const lm = await browser.open({ locale: 'ru-RU' });
    page = lm.page;
    await signIn(page, leadManager);
    await page.goto(`/leads?lead=${lead.id}`);
    await page.getByTestId('lead-handoff').click();
    const modal = page.getByTestId('handoff-modal');
    await modal.waitFor({ state: 'attached' });
    const host = page.getByTestId('handoff-host').filter({ hasText: DESIGNER.name });
    await host.getByTestId('handoff-slot').first().click();
    await page.getByTestId('handoff-book').click();
    const dealLink = page.getByTestId('handoff-deal-link');
    await dealLink.waitFor();
    assertNoProblems(lm.problems);
    const meetings = await eventually(
      async () => (await desk.get(`/api/v1/leads/${lead.id}/routing`)).meetings,
      'the meeting is booked',
    );
    const dealId = meetings[0].deal_id;
    assert.ok(dealId, 'the hand-off opened a deal');

    // The designer finds the deal on his kanban, in the first stage, and opens it.
    const d = await browser.open({ locale: 'ru-RU', viewport: { width: 1600, height: 1000 } });
    page = d.page;
    await signIn(page, DESIGNER);
    await page.getByTestId('nav-deals').click();
    await page.waitForURL('**/deals');
    const card = page.locator(
      `[data-testid="board-column"][data-stage-name="Новая заявка"] [data-deal-id="${dealId}"]`,
    );
    await card.waitFor();
    await card.click();
    await page.waitForURL(`**/deals/${dealId}`);
    const drawer = page.getByTestId('deal-drawer');
    await page.getByTestId('deal-drawer-title').getByText(lead.title).waitFor();

    // The measurement stage has no gate; the contract stage refuses with everything it lacks.
    await moveTo(page, 'Замер');
    await pick(page, 'deal-stage-select', GATED);
    const refusal = page.getByTestId('gate-refusal');
    await refusal.waitFor({ state: 'attached' });
    assert.match(await refusal.textContent(), new RegExp(`Нельзя перейти на этап «${GATED}»`));
    const missing = refusal.getByTestId('gate-missing');
    await missing.first().waitFor();
    const fields = await missing.evaluateAll((items) => items.map((i) => i.dataset.field));
    for (const f of ['amount', 'company', 'company.inn'])
      assert.ok(fields.includes(f), `the refusal lists ${f}: ${fields}`);
    assert.ok(fields.filter((f) => f.startsWith('checklist/')).length >= 2, `${fields}`);
    const texts = await missing.allTextContents();
    assert.ok(
      texts.some((t) => t.includes('Сумма сделки')),
      `the amount is named: ${texts}`,
    );
    assert.ok(
      texts.some((t) => t.includes('Замер согласован и подписан клиентом')),
      `the checklist item is named: ${texts}`,
    );
    await page.getByTestId('gate-refusal-close').click();
    await refusal.waitFor({ state: 'detached' });
    assert.match(await stageShown(page), /Замер/);

    // The client: a company with an INN.
    await pick(page, 'deal-company', CLIENT, 'Студия Ларисы');
    await page.getByTestId('deal-save').click();
    await drawer.getByTestId('deal-company-link').getByText(CLIENT).waitFor();

    // A product line from the catalog: the deal's amount is the lines' total now.
    await pick(page, 'deal-line-product', PRODUCT, 'Модерн');
    await inputOf(page, 'deal-line-quantity').fill('3');
    await inputOf(page, 'deal-line-discount').fill('0');
    await page.getByTestId('deal-line-submit').click();
    const line = page.getByTestId('deal-line').filter({ hasText: PRODUCT });
    await line.waitFor();
    await eventually(
      async () =>
        /192\s000/.test(
          ((await page.getByTestId('deal-lines-total').textContent()) ?? '').replace(/\s/g, ' '),
        ),
      'the lines total 3 × 64 000 ₽',
    );

    // Every checklist item ahead ticked (the contract's, and any a journey before gated other stages with).
    const items = page.getByTestId('deal-checklist-item');
    const count = await items.count();
    assert.ok(count >= 2, 'the contract stage has its checklist');
    for (let i = 0; i < count; i++) {
      const item = items.nth(i);
      // The test id sits on the checkbox's input.
      if (await item.isChecked()) continue;
      await item.click();
      await eventually(async () => item.isChecked(), `checklist item ${i} is ticked`);
    }

    // On through the pipeline.
    await moveTo(page, 'КП отправлено');

    // A commercial proposal from the built-in template, in Russian: its PDF carries the names exactly.
    const docs = page.getByTestId('deal-documents');
    await docs.getByTestId('proposal-generate').click();
    const open = docs.getByTestId('proposal-open').first();
    await open.waitFor();
    const href = await open.getAttribute('href');
    assert.ok(href, 'the proposal has a PDF link');
    const pdf = await page.request.get(href);
    assert.equal(pdf.status(), 200);
    assert.match(pdf.headers()['content-type'], /application\/pdf/);
    const body = await pdf.body();
    assert.equal(body.subarray(0, 5).toString(), '%PDF-');
    const file = path.join(tmp, 'proposal.pdf');
    fs.writeFileSync(file, body);
    const text = execFileSync('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'])
      .toString('utf8')
      // Long lines wrap in the layout: compare with the whitespace collapsed.
      .replace(/\s+/g, ' ');
    for (const name of [CLIENT, PRODUCT, lead.title, 'Коммерческое предложение'])
      assert.ok(text.includes(name), `the proposal PDF reads «${name}»:\n${text}`);

    await moveTo(page, 'Решение принято');
    await moveTo(page, GATED);

    // An invoice from the deal's lines, issued at once.
    await drawer.getByTestId('deal-invoice-new').click();
    await page.getByTestId('invoice-create').click();
    const invoiceLink = drawer.getByTestId('deal-invoice-link').first();
    await invoiceLink.waitFor();
    await invoiceLink.click();
    await page.getByTestId('invoice-page').waitFor();
    const invoiceId = Number(page.url().match(/invoices\/(\d+)/)[1]);

    // Three monthly instalments that sum to the total.
    await page.getByTestId('schedule-edit').click();
    await inputOf(page, 'schedule-parts').fill('3');
    await page.getByTestId('schedule-split').click();
    await eventually(
      async () => (await page.getByTestId('schedule-row').count()) === 3,
      'three rows',
    );
    await page.getByTestId('schedule-save').click();
    const statuses = page.getByTestId('invoice-schedule').getByTestId('instalment-status');
    await eventually(async () => (await statuses.count()) === 3, 'the schedule has three dues');
    assertNoProblems(d.problems);

    const invoice = await (await page.request.get(`/api/v1/invoices/${invoiceId}`)).json();
    assert.equal(invoice.instalments.length, 3);
    assert.equal(
      invoice.instalments.reduce((n, i) => n + i.amount_minor, 0),
      invoice.total_minor,
    );
    const first = invoice.instalments[0];

    // The clock passes the first due's mid-term (halfway from the issue date, 09:00 Moscow): a reminder goes out.
    const half = Math.floor(daysBetween(invoice.issue_date, first.due_date) / 2);
    await setClock(mskNoon(invoice.issue_date, half));
    const c = await browser.open({ locale: 'ru-RU' });
    page = c.page;
    await signIn(page, DESIGNER);
    await page.goto(`/billing/invoices/${invoiceId}`);
    const reminders = page.getByTestId('invoice-reminders');
    await reminders.waitFor();
    const sent = reminders.getByTestId('reminder-status').filter({ hasText: /Отправлен/ });
    await sent.first().waitFor();
    const after = await (await page.request.get(`/api/v1/invoices/${invoiceId}`)).json();
    const midTerm = after.reminders.filter(
      (r) => r.instalment_id === first.id && r.kind === 'mid_term',
    );
    assert.ok(
      midTerm.some((r) => r.status === 'sent'),
      `the mid-term reminder was sent: ${JSON.stringify(after.reminders)}`,
    );
    assert.ok(
      after.reminders.every((r) => r.instalment_id === first.id && r.kind === 'mid_term'),
      `nothing else yet: ${JSON.stringify(after.reminders)}`,
    );
    assertNoProblems(c.problems);

    // Nobody pays: the day after the first due date the instalment is overdue and the seller is told.
    await setClock(mskNoon(first.due_date, 1));
    const e = await browser.open({ locale: 'ru-RU' });
    page = e.page;
    await signIn(page, DESIGNER);
    await page.goto(`/billing/invoices/${invoiceId}`);
    await eventually(
      async () =>
        (
          await page
            .getByTestId('invoice-schedule')
            .getByTestId('instalment-status')
            .first()
            .textContent()
        ).includes('Просроч'),
      'the first instalment is overdue',
    );
    await bellHas(page, 'billing.instalment_missed', invoice.number ?? '');
    const missed = await (await page.request.get(`/api/v1/invoices/${invoiceId}`)).json();
    assert.ok(
      missed.reminders.some((r) => r.instalment_id === first.id && r.kind === 'day_before'),
      `the day-before reminder went too: ${JSON.stringify(missed.reminders)}`,
    );
    assertNoProblems(e.problems);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
