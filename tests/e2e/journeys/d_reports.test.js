// (reports) The head of sales' start page and its funnel (REP-1, REP-7): after signing in, the head lands on the
// dashboard, whose funnel shows the month's deals per stage; from it she opens the funnel report, clicks the number
// of deals that reached the first stage and gets the list of those deals, as many as the figure says, summing to the
// stage's amount; a deal of the list opens its card.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock, and must run
// before the journey that does (k_deal_money moves it about five weeks ahead, into a month the demo has no deals in):
// hence the "d_" in its name (journeys run in file-name order).
// Only this journey: scripts/test-e2e --test-name-pattern='reports'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  ROP,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();

describe('reports', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('dashboard → funnel report → the deals behind a figure', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1600, height: 1000 } });
    page = opened.page;
    await signIn(page, ROP);
    // The head's home is her dashboard.
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
        /Записей: \d+/.test((await page.getByTestId('drill-summary').textContent()) ?? ''),
      'the drill-down summary',
    );
    const summary = await page.getByTestId('drill-summary').textContent();
    assert.match(summary, new RegExp(`Записей: ${figure},`), 'as many records as the figure');
    const links = drill.locator('[data-testid^="drill-deal-"]');
    assert.equal(await links.count(), Math.min(figure, 50), 'the first page of deals is listed');

    // A deal of the list opens its card.
    const href = await links.first().getAttribute('href');
    await links.first().click();
    await page.waitForURL(`**${href}`);
    assertNoProblems(opened.problems);
  });
});
