// (documents) Proposals and contracts (DEAL-4): the key account manager opens her deal at the contract stage from
// the list, finds the demo's sent proposal and signed contract under Documents, generates the next version of the
// proposal and opens its PDF in a new tab — a PDF whose Cyrillic comes back exactly — then adds a contract and is
// told before sending that its validity cannot end before it starts. Then she sends the proposal to the client by
// e-mail (a local SMTP server, Debian's python3-aiosmtpd, stands in for the mail server; the administrator connects
// the workspace's mailbox through the API): the dialog is prefilled from the template, the message arrives with the
// PDF attached, the dialog's history says "sent" and the e-mail is on the deal's timeline.
//
// Runs against the seeded demo on a fresh database (scripts/test-e2e). It does not move the clock.
// Only this journey: scripts/test-e2e --test-name-pattern='documents'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  apiSession,
  ADMIN,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

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

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** The messages in a maildir, parsed by Python's e-mail package: subject, To and the attachments' names and heads. */
function readMaildir(dir) {
  const files = readdirSync(path.join(dir, 'new')).map((f) => path.join(dir, 'new', f));
  if (!files.length) return [];
  const script = [
    'import email, email.policy, json, sys',
    'out = []',
    'for f in sys.argv[1:]:',
    "    m = email.message_from_bytes(open(f, 'rb').read(), policy=email.policy.default)",
    "    atts = [{'name': p.get_filename(), 'head': p.get_payload(decode=True)[:5].decode('latin1')} for p in m.iter_attachments()]",
    "    out.append({'subject': str(m['subject']), 'to': str(m['to']), 'attachments': atts})",
    'print(json.dumps(out))',
  ].join('\n');
  return JSON.parse(
    execFileSync('/usr/bin/python3', ['-c', script, ...files], { encoding: 'utf8' }),
  );
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
    const response = await tab.waitForEvent('response', (r) =>
      /\/api\/v1\/proposals\/\d+\/pdf$/.test(r.url()),
    );
    assert.equal(response.status(), 200);
    // Chromium hands the PDF to its viewer (the response's headers and body are not exposed there): read the same
    // address with the session to check what the tab received.
    const pdf = await page.request.get(response.url());
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    assert.match(pdf.headers()['content-disposition'], /^inline; .*filename\*=UTF-8''/);
    const text = pdfText(await pdf.body());
    for (const s of [
      `Коммерческое предложение № ${number}`,
      'ООО «Северный свет»',
      DEAL,
      'Гарантия 24 месяца.',
    ])
      assert.ok(text.includes(s), `${s}\n---\n${text}`);
    await tab.close();

    // Contracts: the demo's signed one, and a new one whose validity ends before it starts.
    await docs.getByRole('tab', { name: 'Договоры' }).click();
    await docs.getByTestId('contract-row-status').first().waitFor();
    assert.equal(await docs.getByTestId('contract-row-status').first().textContent(), 'Подписан');
    assert.match(
      await docs.getByTestId('contract-file-link').first().textContent(),
      /Договор ДКП-2025-017/,
    );
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
  it('sends the proposal to the client by e-mail and finds it on the deal’s timeline', async () => {
    const maildir = mkdtempSync(path.join(os.tmpdir(), 'otdel-e2e-mail-'));
    for (const d of ['tmp', 'new', 'cur']) mkdirSync(path.join(maildir, d));
    const port = await freePort();
    const smtp = spawn(
      '/usr/bin/python3',
      [
        '-m',
        'aiosmtpd',
        '-n',
        '-l',
        `127.0.0.1:${port}`,
        '-c',
        'aiosmtpd.handlers.Mailbox',
        maildir,
      ],
      { stdio: 'ignore' },
    );
    let account;
    try {
      account = await (
        await apiSession(ADMIN.email, ADMIN.password)
      ).call('POST', '/api/v1/email-accounts', {
        from_address: 'ООО «Северный свет» <sales@severny-svet.test>',
        smtp_url: `smtp://127.0.0.1:${port}`,
      });
      const opened = await browser.open();
      page = opened.page;
      await signIn(page, KAM);
      const list = await page.request.get(`/api/v1/deals?status=all&q=${encodeURIComponent(DEAL)}`);
      const deal = (await list.json()).items[0];
      await page.goto(`/deals/${deal.id}`);
      const docs = page.getByTestId('deal-documents');
      await docs.scrollIntoViewIfNeeded();
      const number = (await docs.getByTestId('proposal-number').first().textContent()).replace(
        '№ ',
        '',
      );

      await docs.getByTestId('proposal-send-email').first().click();
      const dialog = page.getByTestId('document-email-dialog');
      const subject = dialog.getByTestId('document-email-subject');
      await eventually(
        async () => (await subject.inputValue()).includes(`№ ${number}`),
        'the subject comes from the template',
      );
      assert.match(
        await dialog.getByTestId('document-email-body').inputValue(),
        /ООО «Северный свет»/,
      );
      assert.match(
        await dialog.getByTestId('document-email-attachment').textContent(),
        new RegExp(`Коммерческое предложение ${number}\\.pdf`),
      );
      // The recipient: whatever the demo prefilled is replaced by the client's buyer.
      const to = dialog.getByTestId('document-email-to');
      while ((await to.locator('.ant-select-selection-item-remove').count()) > 0)
        await to.locator('.ant-select-selection-item-remove').first().click();
      await to.locator('input').fill('buyer@townhouse-client.ru');
      await page.keyboard.press('Enter');
      await page.getByTestId('document-email-send').click();
      await page.getByText('Письмо поставлено в очередь на отправку').waitFor();

      // The message arrives with the PDF attached.
      const msg = await eventually(
        () => readMaildir(maildir).find((m) => m.to.includes('buyer@townhouse-client.ru')),
        'the e-mail reaches the mail server',
        20_000,
      );
      assert.match(msg.subject, new RegExp(`Коммерческое предложение № ${number}`));
      assert.deepEqual(msg.attachments, [
        { name: `Коммерческое предложение ${number}.pdf`, head: '%PDF-' },
      ]);

      // The dialog's history says it was sent, and to whom.
      await docs.getByTestId('proposal-send-email').first().click();
      const row = page.getByTestId('document-email-row').first();
      await eventually(
        async () => (await row.getByTestId('document-email-status').textContent()) === 'Отправлено',
        'the history shows the send as sent',
        20_000,
      );
      assert.match(
        await row.getByTestId('document-email-summary').textContent(),
        /buyer@townhouse-client\.ru/,
      );
      // Closed with its own button (Escape would close the deal's drawer too).
      await page.locator('.ant-modal:visible .ant-modal-close').click();

      // The deal's timeline has the e-mail with the file named.
      const timeline = page.getByTestId('activity-timeline');
      await timeline.scrollIntoViewIfNeeded();
      await timeline
        .locator('[data-testid="activity"][data-kind="email"]', {
          hasText: `Коммерческое предложение № ${number}`,
        })
        .first()
        .waitFor({ timeout: 20_000 });
      assertNoProblems(opened.problems);
    } finally {
      smtp.kill('SIGTERM');
      rmSync(maildir, { recursive: true, force: true });
      // The mailbox is switched off again so later journeys do not send into a server that is gone.
      if (account)
        await (
          await apiSession(ADMIN.email, ADMIN.password)
        ).call('PUT', `/api/v1/email-accounts/${account.id}`, {
          from_address: account.from_address,
          smtp_url: account.smtp_url,
          active: false,
        });
    }
  });
});
