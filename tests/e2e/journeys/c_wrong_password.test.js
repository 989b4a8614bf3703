// (c) A wrong password gives the server's clear, localised message on the login page.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ADMIN, assertNoProblems, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();

describe('wrong password', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('shows the message the server sent, in the chosen language', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    await page.goto('/login');
    await page.getByTestId('login-email').fill(ADMIN.email);
    await page.getByTestId('login-password').fill('definitely-not-the-password');

    const answer = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByTestId('login-submit').click();
    const response = await answer;
    assert.equal(response.status(), 401);
    assert.match(response.headers()['content-type'], /application\/problem\+json/);
    const problem = await response.json();
    assert.equal(problem.code, 'invalid_credentials');
    assert.ok(problem.detail.length > 0, 'the server explains the failure');
    assert.match(problem.detail, /[а-яё]/i, 'a Russian browser gets a Russian message');

    const shown = page.getByTestId('login-error');
    assert.equal((await shown.textContent()).trim(), problem.detail);
    assert.ok(page.url().endsWith('/login'));

    // In English the same mistake reads in English.
    await page.getByTestId('lang-en').click();
    const answerEn = page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login'));
    await page.getByTestId('login-submit').click();
    const problemEn = await (await answerEn).json();
    assert.equal(problemEn.code, 'invalid_credentials');
    assert.doesNotMatch(problemEn.detail, /[а-яё]/i, 'an English UI gets an English message');
    await page.waitForFunction(
      (detail) => document.querySelector('[data-testid="login-error"]')?.textContent === detail,
      problemEn.detail,
    );

    // The session was not created: /me still answers 401.
    const me = await page.request.get('/api/v1/me');
    assert.equal(me.status(), 401);
    assertNoProblems(opened.problems);
  });
});
