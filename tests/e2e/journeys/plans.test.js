// (plans) The head of sales sets a plan and splits it over the sellers (PLAN-2): on Планы he sees the demo month —
// the department's 3,500,000 ₽ revenue plan with its fact and the pace bar; he switches to meetings, sets the
// department's plan of 40 meetings, splits it evenly over the people of the department and sees each seller's share
// and fact in the plan vs fact table, the shares adding up to 40. On the Goals tab he finds the overdue goal,
// changes its target and deletes it.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock.
// Only this journey: scripts/test-e2e --test-name-pattern='plans'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ROP, assertNoProblems, eventually, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();
const digits = (s) => Number((s ?? '').replace(/[^\d]/g, ''));

describe('plans', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('the head sets a plan, splits it over the sellers and sees plan vs fact', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1500, height: 1000 } });
    page = opened.page;
    await signIn(page, ROP);
    await page.goto('/plans');
    const table = page.getByTestId('plan-vs-fact-table');
    await table.waitFor();
    // The demo month: the department's revenue plan of 3.5M ₽ and a pace bar next to it.
    const deptTarget = table.locator('[data-testid^="plan-target-department-"]').first();
    await eventually(async () => digits(await deptTarget.textContent()) === 3_500_000, 'the 3.5M ₽ plan is shown');
    const deptId = (await deptTarget.getAttribute('data-testid')).split('-').pop();
    assert.ok(digits(await table.getByTestId(`plan-fact-department-${deptId}`).textContent()) > 0, 'a fact');
    await table.getByTestId(`pace-department-${deptId}`).waitFor();

    // Meetings: no plan yet; the head sets 40 for the department.
    await page.getByTestId('plans-metric').click();
    await page.getByTitle('Встречи').click();
    await page.getByTestId(`plan-edit-department-${deptId}`).click();
    await page.getByTestId('plan-target-input').fill('40');
    await page.getByRole('button', { name: 'Сохранить' }).click();
    await eventually(
      async () => digits(await table.getByTestId(`plan-target-department-${deptId}`).textContent()) === 40,
      'the department plan of 40 meetings',
    );

    // Split evenly over the people of the department.
    await page.getByTestId(`plan-split-${deptId}`).click();
    await page.getByTestId('split-ok').click();
    const people = table.locator('[data-testid^="plan-target-person-"]');
    await eventually(async () => (await people.count()) > 0, 'the people got their plans');
    let sum = 0;
    for (const t of await people.allTextContents()) sum += digits(t);
    assert.equal(sum, 40, 'the shares add up to the department plan');
    assert.ok((await table.locator('[data-testid^="plan-fact-person-"]').count()) >= (await people.count()));
    assertNoProblems(opened.problems);
  });

  it('the head sees the overdue goal, changes its target, then deletes it', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1500, height: 1000 } });
    page = opened.page;
    await signIn(page, ROP);
    await page.goto('/plans/goals');
    await page.getByTestId('goals-page').waitFor();
    // The overdue goals, as the head's list shows them.
    await page.getByTestId('goals-filter').getByText('Просроченные').click();
    const overdue = page.locator('[data-testid^="goal-state-"]');
    await eventually(async () => (await overdue.count()) > 0, 'the demo has an overdue goal');
    const id = (await overdue.first().getAttribute('data-testid')).split('-').pop();
    assert.equal(await overdue.first().textContent(), 'просрочена');

    // Edit: a new target; the value stays measured.
    await page.getByTestId(`goal-edit-${id}`).click();
    const target = page.getByLabel('Целевое значение');
    await target.fill('1');
    await page.getByRole('dialog').getByRole('button', { name: /OK|Ок/i }).click();
    await page.getByText('Цель изменена').waitFor();

    // Delete it: it leaves the list.
    await page.getByTestId('goals-filter').getByText('Все').click();
    await page.getByTestId(`goal-delete-${id}`).click();
    await page.getByRole('tooltip').getByRole('button', { name: /OK|Ок|Да/i }).click();
    await page.getByText('Цель удалена').waitFor();
    await eventually(async () => (await page.getByTestId(`goal-state-${id}`).count()) === 0, 'the goal is gone');
    assertNoProblems(opened.problems);
  });
});
