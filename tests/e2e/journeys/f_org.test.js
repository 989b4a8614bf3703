// (f) Organisation: an administrator builds a team in the org chart, adds two people to it,
// records an absence with a substitute, finds it in "who is away", sees the server refuse to
// archive a team that still has people, and reads the org screens in English.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();

/** ISO date `days` from today in the browser's (= the test machine's) calendar. */
function isoDay(days) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Opens an Ant Design Select (by test id) and picks the option with this text, or the first one. */
async function pick(page, testId, text) {
  await page.getByTestId(testId).click();
  const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
  const option = text ? options.filter({ hasText: text }).first() : options.first();
  await option.waitFor();
  const label = (await option.textContent()).trim();
  await option.click();
  await page.locator('.ant-select-dropdown:visible').waitFor({ state: 'hidden' });
  return label;
}

/** Creates a department through the modal (under the selected one, or at the top level). */
async function createDepartment(page, button, name) {
  await page.getByTestId(button).click();
  await page.getByTestId('dept-name').fill(name);
  const created = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/departments') && r.request().method() === 'POST',
  );
  await page.getByTestId('dept-save').click();
  const response = await created;
  assert.equal(response.status(), 201, `created ${name}`);
  const body = await response.json();
  // The new department opens on the right and shows up in the tree.
  await page.getByTestId('dept-title').filter({ hasText: name }).waitFor();
  await page.locator(`[data-testid="dept-node"][data-dept-id="${body.id}"]`).waitFor();
  return body;
}

async function addPerson(page, { name, email }) {
  await page.getByTestId('dept-add-person').click();
  await page.getByTestId('person-name').fill(name);
  await page.getByTestId('person-email').fill(email);
  await page.getByTestId('person-password').fill('e2e-password-1');
  const role = await pick(page, 'person-role');
  const created = page.waitForResponse(
    (r) => r.url().endsWith('/api/v1/employees') && r.request().method() === 'POST',
  );
  await page.getByTestId('person-save').click();
  const response = await created;
  assert.equal(response.status(), 201, `added ${name}: ${await response.text()}`);
  await page.getByTestId('dept-people').getByText(name, { exact: true }).waitFor();
  return { ...(await response.json()), roleLabel: role };
}

describe('organisation', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('builds a team, records an absence with a substitute and shows who is away', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    await signIn(page);
    await page.getByTestId('nav-organisation').click();
    await page.waitForURL('**/organisation');
    assert.equal(await page.getByTestId('page-title').textContent(), 'Организация');
    await page.getByTestId('org-tree-card').waitFor();

    // A department of its own at the top, and a team under it.
    const stamp = Date.now();
    const unit = await createDepartment(page, 'dept-add-root', `E2E отдел ${stamp}`);
    const team = await createDepartment(page, 'dept-add-team', `E2E команда ${stamp}`);
    assert.equal(team.parent_id, unit.id);
    await page.getByTestId('dept-card').getByText(`E2E отдел ${stamp}`).first().waitFor();

    // Two people in the team: the one going away and the one who stands in.
    const person = await addPerson(page, {
      name: `Ольга Отпускова ${stamp}`,
      email: `olga.${stamp}@e2e.test`,
    });
    const substitute = await addPerson(page, {
      name: `Пётр Заменов ${stamp}`,
      email: `petr.${stamp}@e2e.test`,
    });
    assert.equal(person.department_id, team.id);

    // The employee card: role, department, and an absence from today for four days.
    await page
      .getByTestId('dept-people')
      .getByTestId('person-link')
      .filter({ hasText: person.full_name })
      .click();
    const drawer = page.getByTestId('employee-drawer');
    await drawer.getByTestId('employee-name').filter({ hasText: person.full_name }).waitFor();
    assert.equal(await drawer.getByTestId('employee-department').textContent(), team.name);
    assert.equal(await drawer.getByTestId('employee-email').textContent(), person.email);

    // A substitute is required for a vacation: the form says so before anything is sent.
    await drawer.getByTestId('absence-save').click();
    await drawer.getByText('Выберите замещающего', { exact: true }).waitFor();

    const from = isoDay(0);
    const to = isoDay(3);
    await drawer.locator('.ant-picker-range').click();
    const cell = (day) =>
      page.locator(`.ant-picker-dropdown:visible td.ant-picker-cell-in-view[title="${day}"]`);
    await cell(from).first().click();
    await cell(to).first().click();
    await pick(page, 'absence-substitute', substitute.full_name);
    const recorded = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/absences') && r.request().method() === 'POST',
    );
    await drawer.getByTestId('absence-save').click();
    const absenceResponse = await recorded;
    assert.equal(absenceResponse.status(), 201, await absenceResponse.text());
    assert.deepEqual(
      (({ kind, starts_on, ends_on, substitute_user_id }) => ({
        kind,
        starts_on,
        ends_on,
        substitute_user_id,
      }))(absenceResponse.request().postDataJSON()),
      { kind: 'vacation', starts_on: from, ends_on: to, substitute_user_id: substitute.user_id },
    );
    const row = drawer.getByTestId('absence-row').first();
    await row.getByText('Отпуск', { exact: true }).waitFor();
    assert.equal(await row.getByTestId('absence-state').textContent(), 'Сейчас');
    assert.ok((await row.textContent()).includes(substitute.full_name));

    // The same absence again overlaps: the server refuses and the form shows its message.
    await drawer.locator('.ant-picker-range').click();
    await cell(from).first().click();
    await cell(to).first().click();
    await pick(page, 'absence-substitute', substitute.full_name);
    const overlap = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/absences') && r.request().method() === 'POST',
    );
    await drawer.getByTestId('absence-save').click();
    const overlapResponse = await overlap;
    assert.ok([409, 422].includes(overlapResponse.status()), 'an overlapping absence is refused');
    const overlapDetail = (await overlapResponse.json()).detail;
    await drawer.getByTestId('absence-error').filter({ hasText: overlapDetail }).waitFor();
    assert.equal(await drawer.getByTestId('absence-row').count(), 1);
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });

    // Who is away this week: the person, the kind and the substitute.
    await page.getByTestId('org-tab-away').click();
    await page.waitForURL('**/organisation/away');
    assert.equal(
      await page.getByTestId('away-title').textContent(),
      'Кто отсутствует на этой неделе',
    );
    const away = page.getByTestId('away-row').filter({ hasText: person.full_name });
    await away.waitFor();
    assert.equal(await away.getByTestId('away-substitute').textContent(), substitute.full_name);
    assert.equal(await away.getByTestId('away-state').textContent(), 'Сейчас');

    // A team with people cannot be archived: the server says why and the team stays.
    await page.getByTestId('org-tab-structure').click();
    await page.locator(`[data-testid="dept-node"][data-dept-id="${team.id}"]`).click();
    await page.getByTestId('dept-title').filter({ hasText: team.name }).waitFor();
    await page.getByTestId('dept-archive').click();
    const archive = page.waitForResponse((r) =>
      r.url().endsWith(`/departments/${team.id}/archive`),
    );
    await page.getByTestId('dept-archive-confirm').click();
    const archiveResponse = await archive;
    assert.equal(archiveResponse.status(), 409);
    const refusal = (await archiveResponse.json()).detail;
    assert.ok(refusal, 'the server explains the refusal');
    assert.equal(await page.getByTestId('org-error').textContent(), refusal);
    await page.locator(`[data-testid="dept-node"][data-dept-id="${team.id}"]`).waitFor();

    // In English the org screens speak English.
    await page.getByTestId('lang-en').click();
    await page.getByTestId('page-title').filter({ hasText: 'Organisation' }).waitFor();
    assert.equal((await page.getByTestId('org-tab-roles').textContent()).trim(), 'Role catalog');
    assert.equal((await page.getByTestId('org-tab-away').textContent()).trim(), 'Who is away');
    assert.equal(await page.getByTestId('dept-add-team').textContent(), 'Add team');
    await page.getByTestId('org-tab-away').click();
    assert.equal(await page.getByTestId('away-title').textContent(), 'Who is away this week');
    await page
      .getByTestId('away-row')
      .filter({ hasText: person.full_name })
      .getByText('Vacation')
      .waitFor();
    await page.getByTestId('org-tab-roles').click();
    await page
      .getByTestId('roles-table')
      .getByRole('columnheader', { name: 'Visibility' })
      .waitFor();
    // Back to Russian: the language is saved to the profile, and the journeys after this one sign in as the
    // same administrator.
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('lang-ru').click();
    assert.equal((await (await saved).json()).locale, 'ru');
    await page.getByTestId('page-title').filter({ hasText: 'Организация' }).waitFor();
    assertNoProblems(opened.problems);
  });

  it('fits a phone screen: the tree, the department and a full-width employee card', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    page = opened.page;
    await signIn(page);
    await page.goto('/organisation');
    // The demo company's departments: open the first one with people in it.
    const nodes = page.getByTestId('dept-node');
    await nodes.first().waitFor();
    const link = page.getByTestId('dept-people').getByTestId('person-link').first();
    for (let i = 0; i < (await nodes.count()) && !(await link.count()); i += 1) {
      await nodes.nth(i).click();
      await page.getByTestId('dept-card').waitFor();
    }
    assert.ok(await link.count(), 'the demo structure has people');
    await link.click();
    await page.getByTestId('employee-name').waitFor();
    const box = await page.locator('.ant-drawer-content-wrapper:visible').boundingBox();
    assert.equal(Math.round(box.width), 390, 'the employee card takes the whole width');
    await page.keyboard.press('Escape');
    // Wide content scrolls inside its own box; the page itself never scrolls sideways.
    const overflow = await page.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the phone`);
    assertNoProblems(opened.problems);
  });
});
