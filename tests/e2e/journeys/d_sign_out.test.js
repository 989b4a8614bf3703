// (d) Signing out ends the session on the server and returns to the login page.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ROP, assertNoProblems, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();

describe('sign out', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('returns to login, and the old session no longer opens the app', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    await signIn(page, ROP);
    assert.equal(await page.getByTestId('user-name').textContent(), ROP.name);
    const before = await page.evaluate(() =>
      fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.status),
    );
    assert.equal(before, 200);

    const logout = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/logout'));
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-logout').click();
    const response = await logout;
    assert.equal(response.status(), 204, 'the server accepted the logout (CSRF token sent)');
    assert.ok(response.request().headers()['x-csrf-token'], 'the logout carried X-CSRF-Token');
    await page.waitForURL('**/login');
    await page.getByTestId('login-form').waitFor();

    const after = await page.evaluate(() =>
      fetch('/api/v1/me', { credentials: 'same-origin' }).then((r) => r.status),
    );
    assert.equal(after, 401);

    // Going back into the app (deep link, then reload) lands on the login page again.
    await page.goto('/profile');
    await page.waitForURL('**/login');
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    assert.ok(page.url().endsWith('/login'));
    assertNoProblems(opened.problems);
  });
});
