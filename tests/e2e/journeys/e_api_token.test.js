// (e) An API token is created on the profile page, its secret is shown once, and the bell
// receives the live `security.api_token_created` notification without a reload.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  BASE_URL,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();

describe('API token', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('shows the secret once and notifies live', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    // The live channel opens with the shell; it must be up before the event happens.
    const live = page.waitForResponse((r) => r.url().endsWith('/api/v1/live'));
    await signIn(page);
    const liveResponse = await live;
    assert.equal(liveResponse.status(), 200);
    assert.match(liveResponse.headers()['content-type'], /text\/event-stream/);
    await page.getByTestId('user-menu').click();
    await page.getByTestId('menu-profile').click();
    await page.waitForURL('**/profile');
    await page.getByTestId('tokens-table').waitFor();

    const bell = page.getByTestId('notif-bell');
    const unreadBefore = Number(await bell.getAttribute('data-unread'));
    // Marks this document: if the page reloaded, the marker would be gone.
    await page.evaluate(() => {
      window.__otdelNoReload = true;
    });

    // Validation is translated and nothing is sent for an empty name.
    await page.getByTestId('token-create-submit').click();
    await page.getByText('Введите название токена', { exact: true }).waitFor();

    const name = `e2e ${Date.now()}`;
    await page.getByTestId('token-name').fill(name);
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/api-tokens') && r.request().method() === 'POST',
    );
    await page.getByTestId('token-create-submit').click();
    const response = await created;
    assert.equal(response.status(), 201);
    const body = await response.json();
    assert.ok(body.token && body.token.length >= 16, 'the server returned a secret');

    const secret = page.getByTestId('token-secret');
    await secret.waitFor();
    assert.ok((await secret.textContent()).includes(body.token), 'the secret is shown');

    await page.getByTestId('token-secret-close').click();
    await secret.waitFor({ state: 'detached' });
    const table = page.getByTestId('tokens-table');
    await table.getByText(name, { exact: true }).waitFor();
    await table.getByText(`${body.prefix}…`).waitFor();
    assert.equal(
      await page.evaluate((s) => document.body.innerText.includes(s), body.token),
      false,
      'the secret is gone from the page after the dialog is closed',
    );
    // …and the server never shows it again.
    const list = await (await page.request.get('/api/v1/api-tokens')).json();
    const listed = list.items.find((t) => t.id === body.id);
    assert.ok(listed, 'the new token is listed');
    assert.equal(listed.token, undefined);
    assert.ok(!JSON.stringify(list).includes(body.token));

    // The bell counts the new notification without any reload.
    await eventually(
      async () => Number(await bell.getAttribute('data-unread')) === unreadBefore + 1,
      'the unread badge grew by one',
    );
    assert.equal(await page.evaluate(() => window.__otdelNoReload), true, 'no reload happened');

    await bell.click();
    const item = page.getByTestId('notif-item').filter({ hasText: `Создан API-токен «${name}»` });
    await item.waitFor();
    assert.equal(await item.getAttribute('data-kind'), 'security.api_token_created');
    assert.equal(await item.getAttribute('data-unread'), 'true');

    // Marking it read lowers the count, on the page and on the server.
    const read = page.waitForResponse((r) => /\/api\/v1\/notifications\/\d+\/read$/.test(r.url()));
    await item.getByTestId('notif-mark-read').click();
    assert.equal((await read).status(), 204);
    await eventually(
      async () => Number(await bell.getAttribute('data-unread')) === unreadBefore,
      'the unread badge went back down',
    );
    const server = await (await page.request.get('/api/v1/notifications')).json();
    const stored = server.items.find(
      (n) => n.kind === 'security.api_token_created' && n.params?.name === name,
    );
    assert.ok(stored, 'the notification is stored on the server');
    assert.notEqual(stored.read_at, null);

    // The secret works as a bearer token for integrations…
    const works = await fetch(`${BASE_URL}/api/v1/me`, {
      headers: { Authorization: `Bearer ${body.token}` },
    });
    assert.equal(works.status, 200);

    // …until it is revoked: the row goes away and the secret is refused.
    const row = table.locator('tr', { hasText: name });
    await row.getByTestId('token-revoke').click();
    const revoked = page.waitForResponse((r) => r.request().method() === 'DELETE');
    await page.getByTestId('token-revoke-confirm').click();
    assert.equal((await revoked).status(), 204);
    await row.waitFor({ state: 'detached' });
    const bearer = await fetch(`${BASE_URL}/api/v1/me`, {
      headers: { Authorization: `Bearer ${body.token}` },
    });
    assert.equal(bearer.status, 401);
    assertNoProblems(opened.problems);
  });
});
