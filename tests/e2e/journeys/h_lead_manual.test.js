// (h) Manual lead entry (LEAD-1e, LEAD-2): a head of sales types a caller's phone in another
// spelling than the one on an existing company card, and the form warns about that company with a
// link to its card while the phone is still being typed.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { ROP, assertNoProblems, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();

describe('manual lead entry', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('warns about an existing client while a phone is typed', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    await signIn(page, ROP);
    const stamp = Date.now();
    const digits = String(stamp).slice(-7);
    const company = `Столярка ${stamp}`;

    // A company with a phone, created through its form.
    await page.getByTestId('nav-clients').click();
    await page.waitForURL('**/clients');
    await page.getByTestId('client-new').click();
    await page.getByTestId('company-name').fill(company);
    await page.getByTestId('phones-input').first().fill(`+7 912 ${digits}`);
    const saved = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/companies') && r.request().method() === 'POST',
    );
    await page.getByTestId('client-save').click();
    assert.equal((await saved).status(), 201);
    await page
      .getByTestId('company-card')
      .getByTestId('page-title')
      .filter({ hasText: company })
      .waitFor();

    // A new lead with the same number written the Russian way.
    await page.getByTestId('nav-leads').click();
    await page.waitForURL('**/leads');
    await page.getByTestId('lead-new').click();
    await page.getByTestId('lead-contact-name').fill('Звонивший');
    const checked = page.waitForResponse((r) => r.url().endsWith('/api/v1/duplicates/check'));
    await page
      .getByTestId('lead-phone')
      .pressSequentially(`8 (912) ${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`, {
        delay: 20,
      });
    assert.equal((await checked).status(), 200);
    const warning = page.getByTestId('duplicate-warnings');
    const link = warning.getByRole('link', { name: company });
    await link.waitFor();
    assert.match(await link.getAttribute('href'), /^\/clients\/companies\/\d+$/);
    assert.match(await warning.textContent(), /телефон/);

    // Saving still works: the lead is created and opens.
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/leads') && r.request().method() === 'POST',
    );
    await page.getByTestId('lead-save').click();
    assert.equal((await created).status(), 201);
    await page
      .getByTestId('lead-drawer')
      .getByTestId('lead-contact-name')
      .filter({ hasText: 'Звонивший' })
      .waitFor();
    assertNoProblems(opened.problems);
  });
});
