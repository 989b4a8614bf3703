// Proposals and invoices sent to the client by e-mail (issue 6 items 4–5) over HTTP, through a real SMTP server on
// loopback (Debian's python3-aiosmtpd) and read back with Python's e-mail parser: the message has the PDF attached
// (starts with %PDF, the same bytes the document serves, the Cyrillic file name), To and Cc as chosen, the subject from
// the workspace's template, the Message-ID the send recorded. The proposal becomes "sent", the deal's timeline shows
// the e-mail with the attachment named, the history says when and to whom. Refusals change nothing and send nothing:
// no recipient, a bad address, a proposal the caller cannot see or that does not exist, a read-only analyst, a draft
// invoice. A send that fails is retried by the job with back-off (manual clock), shown with its
// reason, and sent after a person retries it once the mail server is back.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer, freePort } from "../lib/server.js";
import { signIn, signInAdmin, signInRop } from "../lib/client.js";
import { assertFieldError } from "../lib/checks.js";

const MIN = 60_000;
const demo = (email) => ({ email, password: "otdel-demo" });
let server, smtp, smtpPort, maildir, admin, rop, owner, designer, analyst, deal, account;

async function waitFor(check, what, ms = 15_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

// Every message in the maildir, parsed by Python's e-mail package (RFC 2047/2231 names decoded, base64 undone).
function mailbox() {
  const dir = path.join(maildir, "new");
  const files = readdirSync(dir).map((f) => path.join(dir, f));
  if (!files.length) return [];
  const out = execFileSync(
    "/usr/bin/python3",
    [
      "-c",
      `
import email, email.policy, hashlib, json, sys
res = []
for f in sys.argv[1:]:
    m = email.message_from_bytes(open(f, 'rb').read(), policy=email.policy.default)
    atts = []
    for p in m.iter_attachments():
        data = p.get_payload(decode=True)
        atts.append({'filename': p.get_filename(), 'type': p.get_content_type(), 'head': data[:5].decode('latin1'),
                     'sha256': hashlib.sha256(data).hexdigest(), 'size': len(data)})
    b = m.get_body(preferencelist=('plain',))
    res.append({'subject': str(m['subject']), 'to': str(m['to']), 'cc': str(m['cc'] or ''), 'from': str(m['from']),
                'message_id': str(m['message-id']), 'date': str(m['date'] or ''), 'multipart': m.get_content_type(),
                'body': b.get_content() if b else '', 'attachments': atts})
print(json.dumps(res))
`,
      ...files,
    ],
    { encoding: "utf8" },
  );
  return JSON.parse(out);
}

async function received(messageId) {
  return waitFor(
    () => mailbox().find((m) => m.message_id === `<${messageId}>`),
    `the message ${messageId} in the maildir`,
  );
}

async function pdfSha(client, url) {
  const r = await fetch(server.url + url, { headers: { Cookie: client.cookieHeader() } });
  assert.equal(r.status, 200);
  return createHash("sha256").update(Buffer.from(await r.arrayBuffer())).digest("hex");
}

before(async () => {
  maildir = mkdtempSync(path.join(os.tmpdir(), "otdel-docmail-"));
  for (const d of ["tmp", "new", "cur"]) mkdirSync(path.join(maildir, d));
  smtpPort = await freePort();
  smtp = spawn(
    "/usr/bin/python3",
    ["-m", "aiosmtpd", "-n", "-l", `127.0.0.1:${smtpPort}`, "-c", "aiosmtpd.handlers.Mailbox", maildir],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  owner = await signIn(server, demo("sales@otdel.demo"));
  designer = await signIn(server, demo("designer@otdel.demo"));
  analyst = await signIn(server, demo("analyst@otdel.demo"));
  const acc = await admin.post("/api/v1/email-accounts", {
    from_address: "Северный свет <sales@severny-svet.test>",
    smtp_url: `smtp://127.0.0.1:${smtpPort}`,
  });
  assert.equal(acc.status, 201, acc.text);
  account = acc.body;
  const found = await rop.get(`/api/v1/deals?status=all&q=${encodeURIComponent("Гардеробная и кухня")}`);
  deal = found.body.items[0];
  assert.ok(deal, "the demo deal with a proposal");
  assert.equal(deal.owner_user_id, owner.me.id);
});
after(async () => {
  await server?.dispose();
  smtp?.kill("SIGTERM");
  if (maildir) rmSync(maildir, { recursive: true, force: true });
});

async function latestProposal() {
  const list = await owner.get(`/api/v1/deals/${deal.id}/proposals`);
  assert.equal(list.status, 200, list.text);
  return list.body.items.reduce((a, b) => (a.version > b.version ? a : b));
}

test("a proposal goes out with its PDF attached, To and Cc, the template's subject; it is marked sent and on the timeline", async () => {
  const proposal = await latestProposal();
  const draft = await owner.get(`/api/v1/proposals/${proposal.id}/email-draft`);
  assert.equal(draft.status, 200, draft.text);
  assert.equal(draft.body.subject, `Коммерческое предложение № ${proposal.number} — ООО «Северный свет»`);
  assert.match(draft.body.body, /ООО «Северный свет»/, "the requisites fill the body");
  assert.doesNotMatch(draft.body.body, /\{\{/);
  assert.equal(draft.body.file_name, `Коммерческое предложение ${proposal.number}.pdf`);
  assert.match(draft.body.from_address, /sales@severny-svet\.test/);
  const en = await owner.get(`/api/v1/proposals/${proposal.id}/email-draft?lang=en`);
  assert.equal(en.body.subject, `Commercial proposal ${proposal.number} — ООО «Северный свет»`);

  const res = await owner.post(`/api/v1/proposals/${proposal.id}/emails`, {
    to: ["Buyer@Townhouse-Client.ru", "director@townhouse-client.ru"],
    cc: ["buh@townhouse-client.ru"],
  });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.body.status, "queued");
  assert.deepEqual(res.body.to, ["buyer@townhouse-client.ru", "director@townhouse-client.ru"]);

  const msg = await received(res.body.message_id);
  assert.equal(msg.subject, draft.body.subject);
  assert.match(msg.to, /buyer@townhouse-client\.ru/);
  assert.match(msg.to, /director@townhouse-client\.ru/);
  assert.doesNotMatch(msg.to, /buh@/);
  assert.match(msg.cc, /buh@townhouse-client\.ru/);
  assert.match(msg.from, /sales@severny-svet\.test/);
  assert.ok(msg.date, "a Date header");
  assert.equal(msg.multipart, "multipart/mixed");
  assert.match(msg.body, /Коммерческое предложение|коммерческое предложение/);
  assert.equal(msg.attachments.length, 1);
  const att = msg.attachments[0];
  assert.equal(att.filename, `Коммерческое предложение ${proposal.number}.pdf`);
  assert.equal(att.type, "application/pdf");
  assert.equal(att.head, "%PDF-");
  assert.equal(att.sha256, await pdfSha(owner, `/api/v1/proposals/${proposal.id}/pdf`), "the version's own PDF");

  // Sent: the history, the proposal's status, the deal's timeline.
  const history = await waitFor(async () => {
    const h = await owner.get(`/api/v1/proposals/${proposal.id}/emails`);
    return h.body.items[0]?.status === "sent" ? h.body.items : null;
  }, "the send marked sent");
  assert.equal(history[0].id, res.body.id);
  assert.ok(history[0].sent_at);
  assert.equal(history[0].last_error, null);
  const after = await owner.get(`/api/v1/proposals/${proposal.id}`);
  assert.equal(after.body.status, "sent");
  assert.ok(after.body.sent_at);
  const timeline = await owner.get(`/api/v1/activities?record_type=deal&record_id=${deal.id}&kind=email`);
  assert.equal(timeline.status, 200, timeline.text);
  const act = timeline.body.items.find((a) => a.id === res.body.activity_id);
  assert.ok(act, "the e-mail is on the deal's timeline");
  assert.equal(act.subject, draft.body.subject);
  assert.equal(act.email.status, "sent");
  assert.match(act.body, new RegExp(`Вложение: Коммерческое предложение ${proposal.number}\\.pdf`));
  // The head of sales sees the history too.
  assert.equal((await rop.get(`/api/v1/proposals/${proposal.id}/emails`)).body.items.length, history.length);
});

test("bad input and the wrong people are refused with clear errors, and nothing is sent", async () => {
  const proposal = await latestProposal();
  const before = (await owner.get(`/api/v1/proposals/${proposal.id}/emails`)).body.items.length;
  const inbox = mailbox().length;

  const none = await owner.post(`/api/v1/proposals/${proposal.id}/emails`, { to: [] });
  assert.equal(none.status, 422, none.text);
  assertFieldError(none, "to", "required");
  const bad = await owner.post(`/api/v1/proposals/${proposal.id}/emails`, {
    to: ["not an address", "ok@client.ru"],
    cc: ["also@bad"],
  });
  assert.equal(bad.status, 422);
  assertFieldError(bad, "to/0", "invalid_email");
  assertFieldError(bad, "cc/0", "invalid_email");
  assert.match(JSON.stringify(bad.body.errors), /Введите корректный e-mail/);
  const subject = await owner.post(`/api/v1/proposals/${proposal.id}/emails`, {
    to: ["ok@client.ru"],
    subject: "строка\nещё строка",
  });
  assertFieldError(subject, "subject", "one_line");

  // Someone who cannot see the deal, a proposal that does not exist: 404; the read-only analyst: 403.
  assert.equal((await designer.post(`/api/v1/proposals/${proposal.id}/emails`, { to: ["a@b.ru"] })).status, 404);
  assert.equal((await designer.get(`/api/v1/proposals/${proposal.id}/emails`)).status, 404);
  assert.equal((await owner.post(`/api/v1/proposals/999999/emails`, { to: ["a@b.ru"] })).status, 404);
  const ro = await analyst.post(`/api/v1/proposals/${proposal.id}/emails`, { to: ["a@b.ru"] });
  assert.equal(ro.status, 403, ro.text);
  assert.equal((await analyst.get(`/api/v1/proposals/${proposal.id}/emails`)).status, 200, "the analyst reads");

  // The same refusal in English for someone who reads English.
  assert.equal((await owner.patch("/api/v1/me", { locale: "en" })).status, 200);
  try {
    const enBad = await owner.post(`/api/v1/proposals/${proposal.id}/emails`, { to: ["nope"] });
    assertFieldError(enBad, "to/0", "invalid_email");
    assert.match(JSON.stringify(enBad.body.errors), /Enter a valid e-mail address/);
  } finally {
    assert.equal((await owner.patch("/api/v1/me", { locale: "ru" })).status, 200);
  }

  assert.equal((await owner.get(`/api/v1/proposals/${proposal.id}/emails`)).body.items.length, before, "no send stored");
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(mailbox().length, inbox, "nothing reached the mail server");
});

test("an issued invoice goes out as a PDF in the chosen language; a draft is refused", async () => {
  const draft = await owner.post("/api/v1/invoices", {
    deal_id: deal.id,
    lines: [{ name: "Кухонный гарнитур", unit: "компл.", quantity_milli: 1000, unit_price_minor: 12_000_000, vat_rate_bp: 2200 }],
  });
  assert.equal(draft.status, 201, draft.text);
  const early = await owner.post(`/api/v1/invoices/${draft.body.id}/emails`, { to: ["buyer@townhouse-client.ru"] });
  assert.equal(early.status, 409, early.text);
  assert.match(early.body.detail, /выставленный счёт/);
  const issued = await owner.post(`/api/v1/invoices/${draft.body.id}/issue`);
  assert.equal(issued.status, 200, issued.text);
  const number = issued.body.number;

  const d = await owner.get(`/api/v1/invoices/${draft.body.id}/email-draft`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.body.subject, `Счёт № ${number} — ООО «Северный свет»`);
  assert.match(d.body.body, /120\s000,00 руб\./);

  const res = await owner.post(`/api/v1/invoices/${draft.body.id}/emails`, {
    to: ["buyer@townhouse-client.ru"],
    lang: "en",
  });
  assert.equal(res.status, 202, res.text);
  assert.equal(res.body.file_name, `Invoice ${number}.pdf`);
  const msg = await received(res.body.message_id);
  assert.equal(msg.subject, `Invoice ${number} — ООО «Северный свет»`);
  assert.equal(msg.cc, "");
  assert.equal(msg.attachments.length, 1);
  assert.equal(msg.attachments[0].filename, `Invoice ${number}.pdf`);
  assert.equal(msg.attachments[0].head, "%PDF-");
  const h = await waitFor(async () => {
    const r = await owner.get(`/api/v1/invoices/${draft.body.id}/emails`);
    return r.body.items[0]?.status === "sent" ? r.body.items : null;
  }, "the invoice send marked sent");
  assert.deepEqual(h[0].to, ["buyer@townhouse-client.ru"]);
  // Reading an invoice's sends needs seeing it.
  assert.equal((await designer.get(`/api/v1/invoices/${draft.body.id}/emails`)).status, 404);
});

test("workspace templates: administrators change them (unknown placeholders refused), sellers' drafts follow", async () => {
  const list = await owner.get("/api/v1/document-mail-templates");
  assert.equal(list.status, 200, list.text);
  assert.equal(list.body.items.length, 4);
  assert.ok(list.body.placeholders.includes("document.number"));
  assert.equal((await owner.request("PUT", "/api/v1/document-mail-templates/proposal/ru", { json: { subject: "x", body: "y" } })).status, 403);
  const wrong = await admin.request("PUT", "/api/v1/document-mail-templates/proposal/ru", {
    json: { subject: "КП {{proposal.number}}", body: "{{deal.title" },
  });
  assert.equal(wrong.status, 422);
  assertFieldError(wrong, "subject", "unknown_placeholder");
  assertFieldError(wrong, "body", "unclosed_placeholder");
  const ok = await admin.request("PUT", "/api/v1/document-mail-templates/proposal/ru", {
    json: { subject: "Предложение {{document.number}} для {{client.name}}", body: "Во вложении — КП.\n{{owner.name}}" },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.custom, true);
  const proposal = await latestProposal();
  const d = await owner.get(`/api/v1/proposals/${proposal.id}/email-draft?lang=ru`);
  assert.match(d.body.subject, new RegExp(`^Предложение ${proposal.number} для `));
  const reset = await admin.request("PUT", "/api/v1/document-mail-templates/proposal/ru", { json: { reset: true } });
  assert.equal(reset.status, 200, reset.text);
  assert.equal(reset.body.custom, false);
});

test("a failed send is retried by the job, shown with its reason, and sent after a person retries it", async () => {
  const proposal = await latestProposal();
  // The mail server goes away (the account points at a closed port).
  const deadPort = await freePort();
  let r = await admin.request("PUT", `/api/v1/email-accounts/${account.id}`, { json: { from_address: account.from_address, smtp_url: `smtp://127.0.0.1:${deadPort}` } });
  assert.equal(r.status, 200, r.text);
  const res = await owner.post(`/api/v1/proposals/${proposal.id}/emails`, { to: ["late@townhouse-client.ru"] });
  assert.equal(res.status, 202, res.text);
  const first = await waitFor(async () => {
    const h = (await owner.get(`/api/v1/proposals/${proposal.id}/emails`)).body.items.find((e) => e.id === res.body.id);
    return h.attempts >= 1 ? h : null;
  }, "the first attempt");
  assert.equal(first.status, "queued", "still to be retried");
  assert.equal(first.last_error, "mail.send_failed");
  assert.match(first.last_error_text, /Почтовый сервер не принял письмо/);
  // The back-off passes (manual clock): the job gives up after its attempts.
  for (let i = 0; i < 6; i++) await admin.post("/api/v1/admin/clock", { advance_ms: 70 * MIN });
  const failed = (await owner.get(`/api/v1/proposals/${proposal.id}/emails`)).body.items.find((e) => e.id === res.body.id);
  assert.equal(failed.status, "failed", JSON.stringify(failed));
  assert.equal(failed.attempts, 6);
  const tl = await owner.get(`/api/v1/activities?record_type=deal&record_id=${deal.id}&kind=email`);
  const act = tl.body.items.find((a) => a.id === res.body.activity_id);
  assert.equal(act.email.status, "failed");
  // Only a failed send can be retried; the analyst may not.
  assert.equal((await analyst.post(`/api/v1/document-emails/${res.body.id}/retry`)).status, 403);
  // The server is back; the owner retries: the same Message-ID arrives.
  r = await admin.request("PUT", `/api/v1/email-accounts/${account.id}`, { json: { from_address: account.from_address, smtp_url: `smtp://127.0.0.1:${smtpPort}` } });
  assert.equal(r.status, 200, r.text);
  const again = await owner.post(`/api/v1/document-emails/${res.body.id}/retry`);
  assert.equal(again.status, 202, again.text);
  assert.equal(again.body.status, "queued");
  const msg = await received(res.body.message_id);
  assert.match(msg.to, /late@townhouse-client\.ru/);
  const done = await waitFor(async () => {
    const h = (await owner.get(`/api/v1/proposals/${proposal.id}/emails`)).body.items.find((e) => e.id === res.body.id);
    return h.status === "sent" ? h : null;
  }, "the retried send marked sent");
  assert.equal(done.last_error, null);
  const twice = await owner.post(`/api/v1/document-emails/${res.body.id}/retry`);
  assert.equal(twice.status, 409);
});
