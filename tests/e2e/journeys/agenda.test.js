// (agenda) A seller's day and a call review (ACT-2, ACT-3): the key account manager Мария Соколова signs in and lands on
// her daily plan — today's meetings, calls, tasks, overdue tasks, SLA clocks, idle deals, payments due. The head of
// sales opens «Разбор звонков», picks her recorded call from the queue, listens in the player, marks the checklist
// (one item only partly), comments at 0:05 and saves: the score is shown. Мария opens «Разбор звонков» and sees the
// review under «Мои разборы» with the head's comment at its second.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock.
// Only this journey: scripts/test-e2e --test-name-pattern='agenda'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ROP, assertNoProblems, eventually, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();
const SELLER = { email: 'sales@otdel.demo', password: 'otdel-demo', name: 'Мария Соколова' };
const COMMENT = 'Здесь стоило уточнить бюджет';

describe('agenda', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it("a seller's start page is her daily plan", async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    page = opened.page;
    await signIn(page, SELLER);
    // Straight from the login form to the daily plan; the home address leads there too.
    await page.waitForURL(/\/agenda$/);
    await page.goto('/');
    await page.waitForURL(/\/agenda$/);
    await eventually(async () => (await page.getByTestId('page-title').textContent())?.includes('Мой день'), 'Мой день');
    for (const section of ['agenda-meetings', 'agenda-calls', 'agenda-tasks', 'agenda-overdue', 'agenda-sla',
      'agenda-idle', 'agenda-instalments']) {
      await page.getByTestId(section).waitFor();
    }
    // The demo fills her day (meetings, calls, tasks, overdue ones): the plan lists items, not only empty sections.
    await eventually(async () => (await page.getByTestId('agenda-page').locator('.ant-list-item').count()) > 0,
      'her day has items');
    assert.equal(await page.getByTestId('agenda-tab-team').count(), 0, 'a seller has no team view');
    assertNoProblems(opened.problems);
  });

  it('the head reviews her recorded call and she sees the review', async () => {
    const head = await browser.open({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    page = head.page;
    await signIn(page, ROP);
    await page.goto('/reviews');
    const queue = page.getByTestId('reviews-queue');
    await queue.waitFor();
    const row = queue.locator('tr', { hasText: SELLER.name }).first();
    await row.waitFor();
    await row.locator('a[data-testid^="review-queue-"]').click();
    await page.getByTestId('review-editor').waitFor();
    const audio = page.getByTestId('review-audio');
    await audio.waitFor();
    // The recording is real audio the browser can read.
    await eventually(
      async () => (await audio.evaluate((el) => el.readyState >= 1 && el.duration > 0)) === true,
      'the player loads the recording',
    );
    await page.getByTestId('review-criterion-1').getByText('Частично').click();
    await page.getByTestId('review-summary').fill('Хороший темп, договорились о замере.');
    await page.getByTestId('review-comment-at').fill('0:05');
    await page.getByTestId('review-comment-body').fill(COMMENT);
    await page.getByTestId('review-comment-add').click();
    await page.getByTestId('review-save').click();
    await page.waitForURL(/\/reviews\/\d+$/);
    const reviewUrl = page.url();
    await eventually(async () => /\d+(,\d)? %/.test((await page.getByTestId('review-score').textContent()) ?? ''),
      'the score is shown');
    assert.ok((await page.getByTestId('review-score').textContent()).match(/\d/));
    assertNoProblems(head.problems);

    const seller = await browser.open({ locale: 'ru-RU', viewport: { width: 1400, height: 1000 } });
    page = seller.page;
    await signIn(page, SELLER);
    await page.goto('/reviews');
    const mine = page.getByTestId('reviews-mine');
    await mine.waitFor();
    const id = reviewUrl.split('/').pop();
    await mine.getByTestId(`review-${id}`).click();
    await page.getByTestId('review-editor').waitFor();
    await eventually(async () => (await page.getByTestId('review-comment').allTextContents()).some(
      (t) => t.includes(COMMENT) && t.includes('0:05')), 'the head\'s comment at 0:05');
    assert.equal(await page.getByTestId('review-save').count(), 0, 'the seller reads, does not edit');
    assertNoProblems(seller.problems);
  });
});
