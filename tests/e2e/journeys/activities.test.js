// (activities) A seller's working day (ACT-1, ORG-3): the key account manager opens Дела and sees her open tasks from
// the demo (one overdue, one with a half-ticked checklist), ticks a checklist item; opens one of her companies, logs
// an outgoing call with its outcome, sets herself a task with a checklist, writes a note — each appears on the card's
// timeline at once; a meeting that ends before it starts is refused under the end field.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock.
// Only this journey: scripts/test-e2e --test-name-pattern='activities room'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();
const SELLER = { email: 'sales@otdel.demo', password: 'otdel-demo', name: 'Мария Соколова' };

describe('activities room', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('works through the day: tasks, a call, a task with a checklist, a note, a refused meeting', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1600, height: 1000 } });
    page = opened.page;
    const stamp = Date.now() % 100000;
    await signIn(page, SELLER);

    // My tasks: the demo's open ones, one overdue, one with a checklist.
    await page.getByTestId('nav-activities').click();
    await page.waitForURL('**/activities');
    await page.getByTestId('tasks-page').waitFor();
    await page.getByTestId('activity').first().waitFor();
    assert.ok((await page.getByTestId('overdue').count()) >= 1, 'an overdue task is flagged');
    const checklist = page.getByTestId('checklist').first();
    const items = checklist.getByTestId('checklist-item');
    const before = await checklist.locator('.ant-checkbox-checked').count();
    await items.nth(2).click();
    await eventually(
      async () => (await checklist.locator('.ant-checkbox-checked').count()) === before + 1,
      'the ticked item stays ticked',
    );

    // One of her companies: the activities panel with its composer.
    const companyId = await page.evaluate(async () => {
      const r = await fetch('/api/v1/companies?limit=1', { credentials: 'same-origin' });
      return (await r.json()).items[0].id;
    });
    await page.goto(`/clients/companies/${companyId}`);
    const panel = page.getByTestId('activity-timeline');
    await panel.waitFor();

    // A call (the composer starts on "call"), with its outcome and a comment.
    await panel.getByTestId('composer-body').fill(`Договорились о замере ${stamp}`);
    await panel.getByTestId('composer-submit').click();
    await panel.locator('[data-testid="activity"][data-kind="call"]', { hasText: `${stamp}` }).waitFor();

    // A task for herself with a checklist.
    await panel.getByTestId('composer-kind').getByText('Задача', { exact: true }).click();
    await panel.getByTestId('task-subject').fill(`Отправить КП ${stamp}`);
    await panel.locator('textarea').first().fill('Размеры\nФурнитура');
    await panel.getByTestId('composer-submit').click();
    const task = panel.locator('[data-testid="activity"][data-kind="task"]', { hasText: `Отправить КП ${stamp}` });
    await task.waitFor();
    assert.equal(await task.getByTestId('checklist-item').count(), 2);

    // A note.
    await panel.getByTestId('composer-kind').getByText('Заметка', { exact: true }).click();
    await panel.getByTestId('composer-body').fill(`Клиент выбирает между эмалью и шпоном ${stamp}`);
    await panel.getByTestId('composer-submit').click();
    await panel.locator('[data-testid="activity"][data-kind="note"]', { hasText: `${stamp}` }).waitFor();

    // A meeting ending before it starts: refused, the message under the end field.
    await panel.getByTestId('composer-kind').getByText('Встреча', { exact: true }).click();
    const start = panel.getByTestId('meeting-start');
    await start.click();
    await page.keyboard.type('10.12.2030 15:00');
    await page.keyboard.press('Enter');
    const end = panel.getByTestId('meeting-end');
    await end.click();
    await page.keyboard.type('10.12.2030 14:00');
    await page.keyboard.press('Enter');
    await panel.getByTestId('composer-submit').click();
    await panel.getByText('Окончание раньше начала.').waitFor();
  });
});
