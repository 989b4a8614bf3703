// (b) The interface switches between Russian and English, and the choice survives a reload.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();

async function menuText(page, key) {
  return (await page.getByTestId(`nav-${key}`).textContent()).trim();
}

describe('language', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('defaults to the browser language on the login page and can be switched there', async () => {
    const english = await browser.open({ locale: 'en-US' });
    page = english.page;
    await page.goto('/login');
    assert.equal(await page.getByTestId('login-title').textContent(), 'Sign in to Otdel');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

    const other = await browser.open({ locale: 'de-DE' });
    page = other.page;
    await page.goto('/login');
    assert.equal(await page.getByTestId('login-title').textContent(), 'Вход в Отдел');

    await page.getByTestId('lang-en').click();
    assert.equal(await page.getByTestId('login-title').textContent(), 'Sign in to Otdel');
    // Ant Design's own texts follow too: the required-field message is translated.
    await page.getByTestId('login-submit').click();
    await page.getByText('Enter your e-mail', { exact: true }).waitFor();
    await page.reload();
    assert.equal(await page.getByTestId('login-title').textContent(), 'Sign in to Otdel');
    await page.getByTestId('lang-ru').click();
    assert.equal(await page.getByTestId('login-title').textContent(), 'Вход в Отдел');
    assertNoProblems(english.problems);
    assertNoProblems(other.problems);
  });

  it('switches ru → en → ru when signed in, saving the choice to the profile', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    await signIn(page);
    assert.equal(await menuText(page, 'deals'), 'Сделки');

    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH',
    );
    await page.getByTestId('lang-en').click();
    const response = await saved;
    assert.equal(response.status(), 200);
    assert.deepEqual(response.request().postDataJSON(), { locale: 'en' });
    assert.equal((await response.json()).locale, 'en');
    assert.equal(await menuText(page, 'deals'), 'Deals');
    assert.equal(await page.getByTestId('page-title').textContent(), "Head of sales' dashboard");

    await page.reload();
    await page.getByTestId('user-name').waitFor();
    assert.equal(await menuText(page, 'deals'), 'Deals');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');

    // The profile language follows the user to a new device (a fresh context with a Russian browser).
    const elsewhere = await browser.open({ locale: 'ru-RU' });
    await signIn(elsewhere.page);
    assert.equal(await menuText(elsewhere.page, 'deals'), 'Deals');

    await page.getByTestId('lang-ru').click();
    await page.getByText('Панель руководителя отдела продаж', { exact: true }).waitFor();
    assert.equal(await menuText(page, 'deals'), 'Сделки');
    await page.reload();
    await page.getByTestId('user-name').waitFor();
    assert.equal(await menuText(page, 'deals'), 'Сделки');
    const me = await page.request.get('/api/v1/me');
    assert.equal((await me.json()).locale, 'ru');
    assertNoProblems(opened.problems);
    assertNoProblems(elsewhere.problems);
  });
});
