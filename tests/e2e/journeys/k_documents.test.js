// (documents) Proposals and contracts (DEAL-4): the key account manager opens her deal at the contract stage from
// the list, finds the demo's sent proposal and signed contract under Documents, generates the next version of the
// proposal and opens its PDF in a new tab — a PDF whose Cyrillic comes back exactly — then adds a contract and is
// told before sending that its validity cannot end before it starts.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock.
// Only this journey: scripts/test-e2e --test-name-pattern='documents'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assertNoProblems, eventually, signIn, snapshotOnFailure, useBrowser } from '../lib/harness.js';

const browser = useBrowser();
const KAM = { email: 'sales@otdel.demo', password: 'otdel-demo' };
const DEAL = 'Гардеробная и кухня в таунхаус';

function pdfText(bytes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'otdel-e2e-pdf-'));
  try {
    const file = path.join(dir, 'p.pdf');
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('documents', () => {
  let page;
  afterEach(async (t) => {
    if (t.error) await snapshotOnFailure(t, page);
  });

  it('generates a proposal whose PDF opens with correct Cyrillic and checks a contract’s dates', async () => {
    const opened = await browser.open();
    page = opened.page;
    await signIn(page, KAM);

    // The deal, found through the list's text filter.
    const list = await page.request.get(`/api/v1/deals?status=all&q=${encodeURIComponent(DEAL)}`);
    const deal = (await list.json()).items[0];
    assert.ok(deal, 'the demo deal');
    await page.goto(`/deals/${deal.id}`);
    const docs = page.getByTestId('deal-documents');
    await docs.scrollIntoViewIfNeeded();
    const rows = docs.getByTestId('proposal-number');
    await rows.first().waitFor();
    const before = await rows.count();
    // The demo's first version went out.
    assert.equal(await docs.getByTestId('proposal-status').last().textContent(), 'Отправлено');

    // The next version, from the demo's template.
    await docs.getByTestId('proposal-template').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: 'Кухня на заказ' })
      .first()
      .click();
    await docs.getByTestId('proposal-generate').click();
    await eventually(async () => (await rows.count()) === before + 1, 'a new version is listed');
    const number = (await rows.first().textContent()).replace('№ ', '');
    assert.equal(number, `${deal.id}-${before + 1}`);

    // Its PDF opens in a new tab.
    const [tab] = await Promise.all([
      page.context().waitForEvent('page'),
      docs.getByTestId('proposal-open').first().click(),
    ]);
    const response = await tab.waitForEvent('response', (r) => /\/api\/v1\/proposals\/\d+\/pdf$/.test(r.url()));
    assert.equal(response.status(), 200);
    // Chromium hands the PDF to its viewer (the response's headers and body are not exposed there): read the same
    // address with the session to check what the tab received.
    const pdf = await page.request.get(response.url());
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.match(pdf.headers()['content-disposition'], /^inline; .*filename\*=UTF-8''/);
    const text = pdfText(await pdf.body());
    for (const s of [`Коммерческое предложение № ${number}`, 'ООО «Северный свет»', DEAL, 'Гарантия 24 месяца.'])
      assert.ok(text.includes(s), `${s}\n---\n${text}`);
    await tab.close();

    // Contracts: the demo's signed one, and a new one whose validity ends before it starts.
    await docs.getByRole('tab', { name: 'Договоры' }).click();
    await docs.getByTestId('contract-row-status').first().waitFor();
    assert.equal(await docs.getByTestId('contract-row-status').first().textContent(), 'Подписан');
    assert.match(await docs.getByTestId('contract-file-link').first().textContent(), /Договор ДКП-2025-017/);
    await docs.getByTestId('contract-new').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByTestId('contract-number').fill('ДП-e2e');
    await modal.getByTestId('contract-valid-from').click();
    await page.keyboard.type('10.03.2026');
    await page.keyboard.press('Enter');
    await modal.getByTestId('contract-valid-to').click();
    await page.keyboard.type('01.03.2026');
    await page.keyboard.press('Enter');
    await modal.getByTestId('contract-save').click();
    await modal.getByText('Окончание действия не может быть раньше начала').waitFor();
    assertNoProblems(opened.problems);
  });
});
