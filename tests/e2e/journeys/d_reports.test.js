// (reports) The head of sales' start page and what is behind its figures (REP-1 … REP-3, PLAN-2): after signing in,
// the head lands on the dashboard, whose funnel shows the month's deals per stage; from it she opens the funnel
// report, clicks the number of deals that reached the first stage and gets the list of those deals, as many as the
// figure says; a deal of the list opens its card. Back on the dashboard, the month's SLA breaches open the lead
// assignments behind them. In plan vs fact, the department's revenue opens the deals won that add up to it.
//
// The month is the server's (GET /api/v1/health → time, in the demo workspace's zone), never the browser's date, so
// the journey holds at a month's end and after journeys that move the manual clock. It still runs before the one that
// moves the clock five weeks ahead (k_deal_money), where the demo has no deals: hence the "d_" in its name.
// Only this journey: scripts/test-e2e --test-name-pattern='reports'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL,
  ROP,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();
const digits = (s) => Number((s ?? '').replace(/[^\d]/g, ''));

/** The server's month in the demo workspace's zone: {from, to} days, both included. */
async function serverMonth() {
  const health = await (await fetch(`${BASE_URL}/api/v1/health`)).json();
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' }).format(new Date(health.time));
  const [y, m] = day.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  const mm = String(m).padStart(2, '0');
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(last).padStart(2, '0')}` };
}

describe('reports', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('dashboard → funnel report → the deals behind a figure; SLA breaches; plan vs fact drill-down', async () => {
    const month = await serverMonth();
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1600, height: 1000 } });
    page = opened.page;
    await signIn(page, ROP);
    // The head's home is her dashboard, for the server's month.
    await page.waitForURL('**/dashboard');
    await eventually(
      async () =>
        (await page.getByTestId('page-title').textContent()) ===
        'Панель руководителя отдела продаж',
      'the head sees the head of sales dashboard',
    );
    const funnelCard = page.getByTestId('dashboard-funnel');
    await funnelCard.getByTestId('funnel-table').waitFor();
    await funnelCard.getByTestId('funnel-chart').locator('canvas').first().waitFor();

    // The month's SLA breaches open the lead assignments behind them.
    const breaches = page.getByTestId('dashboard-sla-breaches');
    await breaches.waitFor();
    const breached = digits(await breaches.textContent());
    assert.ok(breached > 0, 'the demo desk breached some SLAs this month');
    await breaches.click();
    await eventually(
      async () =>
        new RegExp(`Записей: ${breached},`).test(
          (await page.getByTestId('drill-summary').textContent()) ?? '',
        ),
      'as many assignments as breaches',
    );
    assert.equal(await page.getByTestId('drill-table').locator('[data-testid^="drill-lead-"]').count(), breached);
    await page.keyboard.press('Escape');
    await page.getByTestId('drill-table').waitFor({ state: 'detached' });

    // On to the funnel report for the same month and pipeline.
    await page.getByTestId('dashboard-open-funnel').click();
    await page.waitForURL('**/reports/funnel?**');
    const table = page.getByTestId('funnel-table');
    await table.waitFor();
    const first = table.locator('[data-testid^="funnel-reached-"]').first();
    await first.waitFor();
    // The table may first show the figures of the filters it opened with; wait for the month's own.
    let figure = 0;
    await eventually(async () => {
      figure = Number(await first.textContent());
      return figure > 0;
    }, 'the demo month has deals in the first stage');

    // The deals behind the figure.
    await first.click();
    const drill = page.getByTestId('drill-table');
    await drill.waitFor();
    await eventually(
      async () =>
        new RegExp(`Записей: ${figure},`).test(
          (await page.getByTestId('drill-summary').textContent()) ?? '',
        ),
      'as many records as the figure',
    );
    const links = drill.locator('[data-testid^="drill-deal-"]');
    assert.equal(await links.count(), Math.min(figure, 50), 'the first page of deals is listed');

    // A deal of the list opens its card.
    const href = await links.first().getAttribute('href');
    await links.first().click();
    await page.waitForURL(`**${href}`);

    // Plan vs fact of the server's month: the department's revenue opens the won deals that add up to it.
    await page.goto(`/reports/plan-fact?from=${month.from}&to=${month.to}`);
    const revenue = page.locator('[data-testid^="planfact-fig-d"][data-testid$="-revenue"]').first();
    await revenue.waitFor();
    let fact = 0;
    await eventually(async () => {
      fact = digits(await revenue.textContent());
      return fact > 0;
    }, 'the department sold something this month');
    await revenue.click();
    const summary = page.getByTestId('drill-summary');
    await eventually(async () => /Записей: \d+/.test((await summary.textContent()) ?? ''), 'the summary');
    const text = (await summary.textContent()) ?? '';
    const [, count, amount] = text.match(/Записей: (\d+), на сумму (.*)$/) ?? [];
    assert.equal(digits(amount), fact, `the deals sum to the fact (${text})`);
    assert.equal(
      await page.getByTestId('drill-table').locator('[data-testid^="drill-deal-"]').count(),
      Number(count),
      'every deal behind the fact is listed',
    );
    assertNoProblems(opened.problems);
  });
});
