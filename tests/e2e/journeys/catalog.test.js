// (catalog) The catalog page (DEAL-3): the head of sales opens Сделки → Каталог, sees the demo
// products, adds a product, prices it in the default price list, and finds the limits and the
// approvals queue on their tabs.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock.
// Only this journey: scripts/test-e2e --test-name-pattern='catalog page'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  ROP,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();

/** The input inside an Ant Design field whose test id sits on the input or on its wrapper. */
const inputOf = (scope, testId) =>
  scope.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();

/** Text with the narrow and non-breaking spaces of Intl's number formats made plain. */
const plain = (text) => (text ?? '').replace(/[\u00a0\u202f]/g, ' ');

describe('catalog page', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('lists the products, adds one, prices it and shows limits and approvals', async () => {
    const opened = await browser.open({ locale: 'ru-RU', viewport: { width: 1400, height: 900 } });
    page = opened.page;
    const stamp = Date.now();
    const sku = `E2E-${stamp}`;
    const name = `Фасад «Проверка» ${stamp % 100000}`;

    await signIn(page, ROP);
    await page.getByTestId('nav-deals').click();
    await page.waitForURL('**/deals');
    await page.getByTestId('deals-catalog').click();
    await page.waitForURL('**/deals/catalog');

    // The demo products, with their SKUs.
    const modern = page.locator('[data-testid="product-row"][data-sku="KH-MOD-M"]');
    await modern.waitFor();
    assert.match(await modern.textContent(), /Кухня «Модерн», погонный метр/);
    assert.ok((await page.getByTestId('product-row').count()) >= 13, 'the demo has 13 products');

    // A new product.
    await page.getByTestId('product-new').click();
    await inputOf(page, 'product-name').fill(name);
    await inputOf(page, 'product-sku').fill(sku);
    await page.locator('.ant-modal:visible .ant-modal-footer .ant-btn-primary').click();
    const row = page.locator(`[data-testid="product-row"][data-sku="${sku}"]`);
    await row.waitFor();
    assert.match(await row.textContent(), new RegExp(name));
    assert.match(await row.textContent(), /Изменить/);
    assert.doesNotMatch(await page.locator('main').textContent(), /common\.|catalog\./);

    // Priced in the default price list (the first one).
    await page.getByRole('tab', { name: 'Прайс-листы' }).click();
    const priceRow = () =>
      page.locator('tr', { hasText: sku, has: page.getByTestId('price-input') });
    const priced = priceRow();
    await priced.waitFor();
    await inputOf(priced, 'price-input').fill('12500');
    await inputOf(priced, 'price-input').press('Tab');
    await eventually(
      async () => /12 500,00 ₽|12 500 ₽/.test(plain(await priced.textContent())),
      'the price shows in the list',
    );
    // It stays after a reload: the server has it.
    await page.reload();
    const again = priceRow();
    await again.waitFor();
    assert.equal(await inputOf(again, 'price-input').inputValue(), '12500');

    // Limits per role and the approvals queue.
    await page.getByRole('tab', { name: 'Лимиты скидок' }).click();
    await page.getByTestId('limit-input').first().waitFor();
    await page.getByRole('tab', { name: /Согласовани/ }).click();
    await page.getByTestId('approvals').waitFor();

    assertNoProblems(opened.problems);
  });
});
