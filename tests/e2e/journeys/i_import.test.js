// (i) Import wizard (PLAT-3): an administrator uploads a small cp1251 CSV of companies with one bad
// row, maps the columns, runs a dry run (nothing written, one row rejected), runs it for real,
// watches the progress bar finish, downloads the error report and finds an imported company.
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoProblems, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();

/** Windows-1251 bytes of a Cyrillic/ASCII string (the letters a CSV from Excel holds). */
function cp1251(text) {
  const bytes = [];
  for (const ch of text) {
    const code = ch.codePointAt(0);
    if (code < 0x80) bytes.push(code);
    else if (code >= 0x410 && code <= 0x44f) bytes.push(code - 0x410 + 0xc0);
    else if (code === 0x401) bytes.push(0xa8);
    else if (code === 0x451) bytes.push(0xb8);
    else if (code === 0xab) bytes.push(0xab);
    else if (code === 0xbb) bytes.push(0xbb);
    else throw new Error(`no cp1251 byte for ${ch}`);
  }
  return Buffer.from(bytes);
}

describe('import wizard', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('maps a CSV, dry-runs it, imports it and offers the error report', async () => {
    const opened = await browser.open({ locale: 'ru-RU' });
    page = opened.page;
    await signIn(page);
    const stamp = Date.now();
    const csv = cp1251(
      [
        'Название;ИНН;Телефон;Комментарий',
        `"Мебельторг ${stamp}";7707083893;8 495 123-45-67;"постоянный; опт"`,
        `Древо ${stamp};;+7 (916) 000-11-22;`,
        `Плохой ИНН ${stamp};1234567890;;`,
      ].join('\r\n') + '\r\n',
    );

    await page.goto('/imports?entity=company');
    await page.getByTestId('import-wizard').waitFor();
    await page
      .getByTestId('import-wizard')
      .locator('input[type="file"]')
      .setInputFiles({
        name: `companies-${stamp}.csv`,
        mimeType: 'text/csv',
        buffer: csv,
      });
    await page.getByTestId('import-preview').getByText(`Мебельторг ${stamp}`).waitFor();
    assert.match(await page.getByTestId('import-file-info').textContent(), /1251/);

    // Map each column by hand (the suggestion may already have done some of it).
    const target = async (header, label) => {
      // A scrolling table renders its header twice (one copy measures widths): take the first.
      await page
        .locator(`[data-testid="import-column-target"][data-header="${header}"]`)
        .first()
        .click();
      await page.keyboard.type(label);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option', {
          hasText: new RegExp(`^${label}$`),
        })
        .first()
        .click();
    };
    await target('Название', 'Название');
    await target('ИНН', 'ИНН');
    await target('Телефон', 'Телефон');
    await target('Комментарий', 'Примечание');

    // Dry run: counters, one rejected row, nothing written.
    await page.getByTestId('import-dry-run').click();
    const progress = page.getByTestId('import-progress');
    await progress.and(page.locator('[data-status="done"]')).waitFor({ timeout: 20_000 });
    assert.match(await page.getByTestId('import-result-title').textContent(), /Пробный/);
    const dryCounters = await page.getByTestId('import-counters').textContent();
    assert.match(dryCounters, /Отклонено1/);
    const none = await page.request.get(
      `/api/v1/companies?q=${encodeURIComponent(`Мебельторг ${stamp}`)}`,
    );
    assert.equal((await none.json()).items.length, 0, 'a dry run writes nothing');

    // The real run, from the result screen.
    await page.getByTestId('import-run-after-dry').click();
    await page.getByTestId('import-result-title').filter({ hasText: 'Импорт завершён' }).waitFor({
      timeout: 20_000,
    });
    const counters = await page.getByTestId('import-counters').textContent();
    assert.match(counters, /Создано2/);
    assert.match(counters, /Отклонено1/);

    // The error report lists the bad row with its reason.
    const href = await page.getByTestId('import-errors-link').getAttribute('href');
    const report = await page.request.get(href);
    assert.equal(report.status(), 200);
    assert.match(await report.text(), new RegExp(`Плохой ИНН ${stamp}`));

    // The imported company is there, and the history lists the run.
    await page.goto(`/clients?q=${encodeURIComponent(`Мебельторг ${stamp}`)}`);
    await page.getByTestId('companies-table').getByText(`Мебельторг ${stamp}`).waitFor();
    await page.goto('/imports');
    await page.getByTestId('imports-table').getByText(`companies-${stamp}.csv`).first().waitFor();
    assertNoProblems(opened.problems);
  });
});
