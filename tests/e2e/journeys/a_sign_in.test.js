// (a) The demo admin signs in and sees the shell with their name and every section of the menu.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  ADMIN,
  REPO_ROOT,
  assertNoProblems,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();
const SECTIONS_RU = [
  'Мой день',
  'Сводка',
  'Лиды',
  'Клиенты',
  'Сделки',
  'Деньги',
  'Отгрузки',
  'Дела',
  'Календарь',
  'Разбор звонков',
  'Планы',
  'Отчёты',
  'Организация',
  'Поддержка',
  'Настройки',
];

describe('sign in', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('shows the shell with the user name and the rooms to come', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;

    // A visitor without a session who opens a deep link lands on the login page.
    await page.goto('/support');
    await page.waitForURL('**/login');
    assert.equal(await page.getByTestId('login-title').textContent(), 'Вход в Отдел');

    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill(ADMIN.password);
    await page.getByTestId('login-submit').click();

    // …and comes back to where they were going.
    await page.waitForURL('**/support');
    assert.equal(await page.getByTestId('user-name').textContent(), ADMIN.name);
    assert.equal(
      await page.getByTestId('page-title').textContent(),
      'Раздел «Поддержка» скоро появится',
    );
    for (const section of SECTIONS_RU) {
      await page.getByTestId('side-menu').getByText(section, { exact: true }).waitFor();
    }

    await page.getByTestId('nav-dashboard').click();
    await page.waitForURL('**/dashboard');
    await page.getByTestId('dashboard-funnel').waitFor();

    if (process.env.OTDEL_SCREENSHOT === '1') {
      const file = path.join(REPO_ROOT, 'docs', 'screenshot.png');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      // Let the menu's selection animation finish and keep the pointer off the menu.
      await page.mouse.move(900, 600);
      await page.waitForTimeout(600);
      await page.screenshot({ path: file });
    }

    // The profile shows who is signed in and where.
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-profile').click();
    await page.waitForURL('**/profile');
    assert.equal(await page.getByTestId('profile-email').textContent(), ADMIN.email);
    assert.equal(await page.getByTestId('profile-name').inputValue(), ADMIN.name);
    assert.ok((await page.getByTestId('profile-workspace').textContent()).trim().length > 0);

    // Unknown addresses inside the app get a translated 404 page, not a blank screen.
    await page.goto('/no-such-page');
    assert.equal(await page.getByTestId('page-title').textContent(), 'Страница не найдена');
    assertNoProblems(opened.problems);
  });

  it('collapses the menu on a phone screen and opens it on demand', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 390, height: 844 } });
    page = opened.page;
    await signIn(page);

    const menu = page.getByTestId('side-menu');
    const width = async () => (await menu.boundingBox())?.width ?? 0;
    assert.equal(await width(), 0, 'the side menu is hidden on a phone');
    await page.getByTestId('user-name').waitFor();

    await page.getByTestId('menu-toggle').click();
    await page.getByTestId('nav-leads').waitFor({ state: 'visible' });
    await page.getByTestId('nav-leads').click();
    await page.waitForURL('**/leads');
    await page.getByTestId('lead-new').waitFor();
    assert.equal(await page.getByTestId('page-title').textContent(), 'Лиды');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="side-menu"]').getBoundingClientRect().width === 0,
    );

    // The profile with its forms and table fits the phone's width (no sideways scrolling),
    // and the notifications open in a drawer that fits too.
    await page.goto('/profile');
    await page.getByTestId('tokens-table').waitFor();
    const overflow = () =>
      page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok((await overflow()) <= 0, `the profile overflows by ${await overflow()} px`);
    await page.getByTestId('notif-bell').click();
    await page.getByText('Уведомления', { exact: true }).waitFor();
    assert.ok((await overflow()) <= 0, `the notifications overflow by ${await overflow()} px`);
    assertNoProblems(opened.problems);
  });
});
