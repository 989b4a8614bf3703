// Documents over HTTP (DEAL-4): the demo's requisites, logo, template, proposal and signed contract; a proposal PDF
// whose Cyrillic comes back exactly (pdftotext) with an RFC 5987 file name; new versions; templates refusing unknown
// placeholders; contracts with unique numbers, ordered dates, statuses and files checked by content — and who may do
// what: the deal's owner (a KAM), another seller, the head of sales, a read-only analyst, support without deal
// rights. Every refusal leaves the data as it was.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startServer } from "../lib/server.js";
import { signIn, signInAdmin, signInRop } from "../lib/client.js";
import { assertFieldError } from "../lib/checks.js";
import { validateResponse } from "../lib/openapi.js";
import { zip } from "../lib/zip.js";

let server, admin, rop, owner, designer, english, analyst, support, deal;
const demo = (email) => ({ email, password: "otdel-demo" });

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  owner = await signIn(server, demo("sales@otdel.demo"));
  designer = await signIn(server, demo("designer@otdel.demo"));
  english = await signIn(server, demo("designer2@otdel.demo"));
  assert.equal(
    (await english.patch("/api/v1/me", { locale: "en" })).status,
    200,
  );
  analyst = await signIn(server, demo("analyst@otdel.demo"));
  support = await signIn(server, demo("support@otdel.demo"));
  const found = await rop.get(
    `/api/v1/deals?status=all&q=${encodeURIComponent("Гардеробная и кухня")}`,
  );
  assert.equal(found.status, 200, found.text);
  deal = found.body.items[0];
  assert.ok(deal, "the demo deal with documents");
  assert.equal(deal.owner_user_id, owner.me.id);
});
after(async () => {
  await server?.dispose();
});

/** Raw bytes of a GET (PDFs, PNGs) with the client's session; checked against the contract like any response. */
async function bytes(client, url) {
  const r = await fetch(server.url + url, {
    headers: { Cookie: client.cookieHeader() },
  });
  const body = Buffer.from(await r.arrayBuffer());
  const contentType = r.headers.get("content-type") || "";
  validateResponse({
    method: "GET",
    url: server.url + url,
    status: r.status,
    contentType,
    body: /json/.test(contentType) ? JSON.parse(body.toString()) : undefined,
  });
  return { status: r.status, headers: r.headers, body };
}

function pdfText(buf) {
  const dir = mkdtempSync(path.join(os.tmpdir(), "otdel-pdf-"));
  try {
    const file = path.join(dir, "doc.pdf");
    writeFileSync(file, buf);
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], {
      encoding: "utf8",
    });
    const info = execFileSync("pdfinfo", [file], { encoding: "utf8" });
    return { text, pages: Number(/Pages:\s+(\d+)/.exec(info)[1]) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const upload = (client, url, body, type = "application/octet-stream") =>
  client.request("PUT", url, { body, headers: { "Content-Type": type } });

async function counts() {
  const p = await rop.get(`/api/v1/deals/${deal.id}/proposals`);
  const c = await rop.get(`/api/v1/deals/${deal.id}/contracts?deleted=true`);
  const t = await rop.get("/api/v1/proposal-templates?archived=true");
  return {
    proposals: p.body.items.length,
    contracts: c.body.items.length,
    templates: t.body.items.length,
  };
}

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000002000000020806000000" +
    "72b60d24000000114944415478da633821" +
    "27f71f841960" +
    "0c004734080d1b2791b70000000049454e44ae426082",
  "hex",
);

test("the demo workspace has requisites, a logo, a template, a sent proposal and a signed contract with its file", async () => {
  const settings = await owner.get("/api/v1/document-settings");
  assert.equal(settings.status, 200, settings.text);
  assert.equal(settings.body.legal_name, "ООО «Северный свет»");
  assert.equal(settings.body.has_logo, true);
  const logo = await bytes(owner, "/api/v1/document-settings/logo");
  assert.equal(logo.status, 200);
  assert.equal(logo.headers.get("content-type"), "image/png");
  assert.equal(logo.body.subarray(1, 4).toString(), "PNG");
  const templates = await owner.get("/api/v1/proposal-templates");
  assert.equal(templates.body.items.length, 1);
  assert.ok(templates.body.placeholders.includes("client.name"));
  const proposals = await owner.get(`/api/v1/deals/${deal.id}/proposals`);
  assert.equal(proposals.body.items[0].status, "sent");
  const contracts = await owner.get(`/api/v1/deals/${deal.id}/contracts`);
  const signed = contracts.body.items.find((c) => c.status === "signed");
  assert.ok(signed?.file, "the signed contract has its file");
  assert.equal(signed.file.content_type, "application/pdf");
});

test("a proposal PDF opens with exact Cyrillic and a Cyrillic file name", async () => {
  const list = await owner.get(`/api/v1/deals/${deal.id}/proposals`);
  const p = list.body.items.at(-1);
  const pdf = await bytes(owner, p.pdf_url);
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get("content-type"), "application/pdf");
  const disposition = pdf.headers.get("content-disposition");
  assert.match(disposition, /^inline; filename="[^"]+\.pdf"; filename\*=UTF-8''/);
  const encoded = /filename\*=UTF-8''(.+)$/.exec(disposition)[1];
  assert.equal(
    decodeURIComponent(encoded),
    `Коммерческое предложение ${deal.id}-${p.version}.pdf`,
  );
  const download = await bytes(owner, `${p.pdf_url}?download=true`);
  assert.match(download.headers.get("content-disposition"), /^attachment;/);
  const { text, pages } = pdfText(pdf.body);
  assert.equal(pages, 1);
  for (const s of [
    "ООО «Северный свет»",
    `Коммерческое предложение № ${deal.id}-${p.version}`,
    "ИНН 5406123450, КПП 540601001",
    "Гардеробная и кухня в таунхаус",
    "Гарантия 24 месяца.",
    "Страница 1 из 1",
  ])
    assert.ok(text.includes(s), `${s}\n---\n${text}`);
});

test("a new version of the proposal; the head makes one too; others may not", async () => {
  const before = await counts();
  const made = await owner.post(`/api/v1/deals/${deal.id}/proposals`, {
    valid_until: "2099-12-31",
  });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.body.version, before.proposals + 1);
  assert.equal(made.body.valid_until, "2099-12-31");
  assert.equal(made.body.status, "draft");
  const byHead = await rop.post(`/api/v1/deals/${deal.id}/proposals`, {
    lang: "en",
  });
  assert.equal(byHead.status, 201, byHead.text);
  const enPdf = pdfText(
    (await bytes(rop, byHead.body.pdf_url)).body,
  ).text;
  assert.ok(enPdf.includes(`Commercial proposal No. ${deal.id}-`), enPdf);
  const sent = await owner.patch(`/api/v1/proposals/${made.body.id}`, {
    status: "sent",
  });
  assert.equal(sent.status, 200, sent.text);
  assert.ok(sent.body.sent_at);

  // Another seller does not see the deal; the analyst reads and changes nothing; support has no deal rights.
  assert.equal(
    (await designer.get(`/api/v1/deals/${deal.id}/proposals`)).status,
    404,
  );
  assert.equal(
    (await designer.post(`/api/v1/deals/${deal.id}/proposals`, {})).status,
    404,
  );
  assert.equal((await designer.get(made.body.pdf_url)).status, 404);
  assert.equal(
    (await analyst.get(`/api/v1/deals/${deal.id}/proposals`)).status,
    200,
  );
  const refused = await analyst.post(`/api/v1/deals/${deal.id}/proposals`, {});
  assert.equal(refused.status, 403, refused.text);
  assert.equal(
    (await analyst.patch(`/api/v1/proposals/${made.body.id}`, { status: "draft" }))
      .status,
    403,
  );
  assert.equal(
    (await support.get(`/api/v1/deals/${deal.id}/proposals`)).status,
    404,
  );
  // Bad input.
  const bad = await owner.post(`/api/v1/deals/${deal.id}/proposals`, {
    valid_until: "2026-02-30",
    lang: "de",
    extra: 1,
  });
  assert.equal(bad.status, 422);
  assertFieldError(bad, "lang", "not_one_of");
  assertFieldError(bad, "extra", "unknown_field");
  const after = await counts();
  assert.equal(after.proposals, before.proposals + 2);
});

test("templates: unknown placeholders are refused with their name, only the head edits", async () => {
  const before = await counts();
  const bad = await rop.post("/api/v1/proposal-templates", {
    name: "КП с ошибкой",
    intro_text: "Здравствуйте, {{client.fullname}}!",
    terms_text: "До {{valid_until",
  });
  assert.equal(bad.status, 422, bad.text);
  assertFieldError(bad, "intro_text", "unknown_placeholder");
  assertFieldError(bad, "terms_text", "unclosed_placeholder");
  assert.ok(bad.body.errors[0].message.includes("{{client.fullname}}"));
  assert.equal(
    (await owner.post("/api/v1/proposal-templates", { name: "Моё" })).status,
    403,
  );
  const ok = await rop.post("/api/v1/proposal-templates", {
    name: "Короткое КП",
    intro_text: "{{client.name}}, предлагаем {{ deal.title }}.",
    validity_days: 5,
  });
  assert.equal(ok.status, 201, ok.text);
  const used = await owner.post(`/api/v1/deals/${deal.id}/proposals`, {
    template_id: ok.body.id,
  });
  assert.equal(used.status, 201, used.text);
  assert.ok(used.body.intro_text.endsWith("предлагаем Гардеробная и кухня в таунхаус."));
  const after = await counts();
  assert.equal(after.templates, before.templates + 1);
});

test("requisites and logo: the head sets them, bad ones change nothing", async () => {
  const before = await rop.get("/api/v1/document-settings");
  const badInn = await rop.put("/api/v1/document-settings", {
    ...before.body,
    has_logo: undefined,
    updated_at: undefined,
    inn: "5406123451",
    bik: "123",
  });
  assert.equal(badInn.status, 422, badInn.text);
  assertFieldError(badInn, "inn", "invalid_inn");
  assertFieldError(badInn, "bik", "invalid_bik");
  assert.equal(
    (
      await owner.put("/api/v1/document-settings", {
        legal_name: "ООО «Чужое»",
      })
    ).status,
    403,
  );
  const logoBefore = (await bytes(rop, "/api/v1/document-settings/logo")).body;
  const notPng = await upload(rop, "/api/v1/document-settings/logo", Buffer.from("GIF89a not a png"), "image/png");
  assert.equal(notPng.status, 422, notPng.text);
  assertFieldError(notPng, "logo", "not_png");
  const corrupt = await upload(rop, "/api/v1/document-settings/logo", PNG.subarray(0, 50), "image/png");
  assert.equal(corrupt.status, 422);
  assertFieldError(corrupt, "logo", "corrupt");
  const big = Buffer.concat([PNG, Buffer.alloc(600 * 1024)]);
  assert.equal(
    (await upload(rop, "/api/v1/document-settings/logo", big, "image/png")).status,
    413,
  );
  assert.equal(
    (await upload(owner, "/api/v1/document-settings/logo", PNG, "image/png")).status,
    403,
  );
  const after = await rop.get("/api/v1/document-settings");
  assert.deepEqual(after.body, before.body);
  assert.deepEqual(
    (await bytes(rop, "/api/v1/document-settings/logo")).body,
    logoBefore,
  );
  const changed = await upload(admin, "/api/v1/document-settings/logo", PNG, "image/png");
  assert.equal(changed.status, 200, changed.text);
  assert.deepEqual((await bytes(owner, "/api/v1/document-settings/logo")).body, PNG);
});

test("contracts: unique numbers, ordered dates, statuses forward, files by content — refusals change nothing", async () => {
  const before = await counts();
  const created = await owner.post(`/api/v1/deals/${deal.id}/contracts`, {
    kind: "supply",
    number: "ДП-77",
    valid_from: "2026-01-01",
    valid_to: "2026-12-31",
    terms: "Поставка партиями, оплата по факту.",
  });
  assert.equal(created.status, 201, created.text);
  assert.equal(created.body.status, "draft");
  assert.equal(created.body.file, null);
  const id = created.body.id;

  const dup = await rop.post(`/api/v1/deals/${deal.id}/contracts`, {
    number: "ДП-77",
  });
  assert.equal(dup.status, 409, dup.text);
  assertFieldError(dup, "number", "not_unique");
  const backwards = await owner.post(`/api/v1/deals/${deal.id}/contracts`, {
    number: "ДП-78",
    valid_from: "2026-06-01",
    valid_to: "2026-05-31",
    kind: "lease",
  });
  assert.equal(backwards.status, 422);
  assertFieldError(backwards, "valid_to", "before_valid_from");
  assertFieldError(backwards, "kind", "not_one_of");
  const patchBackwards = await owner.patch(`/api/v1/contracts/${id}`, {
    valid_to: "2025-01-01",
  });
  assert.equal(patchBackwards.status, 422);

  // Files: a PNG named .pdf, an empty body, one over 10 MB are refused; a PDF and a DOCX are taken.
  const fileUrl = `/api/v1/contracts/${id}/file?file_name=${encodeURIComponent("Договор ДП-77.pdf")}`;
  const png = await upload(owner, fileUrl, PNG);
  assert.equal(png.status, 422, png.text);
  assertFieldError(png, "file", "not_pdf_or_docx");
  const renamedXlsx = zip([
    ["[Content_Types].xml", Buffer.from("<Types/>")],
    ["xl/workbook.xml", Buffer.from("<workbook/>")],
  ]);
  assertFieldError(await upload(owner, fileUrl, renamedXlsx), "file", "not_pdf_or_docx");
  assertFieldError(await upload(owner, fileUrl, Buffer.alloc(0)), "file", "empty_file");
  const huge = Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(10 * 1024 * 1024)]);
  assert.equal((await upload(owner, fileUrl, huge)).status, 413);
  assert.equal((await owner.get(`/api/v1/contracts/${id}`)).body.file, null);

  const pdf = Buffer.from("%PDF-1.4\n% Договор поставки ДП-77\n%%EOF\n");
  const up = await upload(owner, fileUrl, pdf);
  assert.equal(up.status, 200, up.text);
  assert.deepEqual(up.body.file.name, "Договор ДП-77.pdf");
  const got = await bytes(analyst, up.body.file.url);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, pdf);
  assert.match(
    got.headers.get("content-disposition"),
    /filename\*=UTF-8''%D0%94%D0%BE%D0%B3%D0%BE%D0%B2%D0%BE%D1%80%20%D0%94%D0%9F-77\.pdf$/,
  );
  const docx = zip([
    ["[Content_Types].xml", Buffer.from("<Types/>")],
    ["word/document.xml", Buffer.from("<w:document/>")],
  ]);
  const upDocx = await upload(owner, `/api/v1/contracts/${id}/file?file_name=scan.pdf`, docx);
  assert.equal(upDocx.status, 200, upDocx.text);
  assert.equal(upDocx.body.file.name, "scan.pdf.docx");
  assert.equal(
    upDocx.body.file.content_type,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  );

  // Status: signing needs a date; nothing goes back to draft.
  const noDate = await owner.patch(`/api/v1/contracts/${id}`, { status: "signed" });
  assert.equal(noDate.status, 422);
  assertFieldError(noDate, "signed_on", "required");
  const signed = await owner.patch(`/api/v1/contracts/${id}`, {
    status: "signed",
    signed_on: "2025-12-28",
  });
  assert.equal(signed.status, 200, signed.text);
  const back = await owner.patch(`/api/v1/contracts/${id}`, { status: "draft" });
  assert.equal(back.status, 422);
  assertFieldError(back, "status", "status_not_allowed");

  // Who: another seller cannot see it, the analyst cannot change it, a seller cannot delete it, the head can.
  assert.equal((await designer.get(`/api/v1/contracts/${id}`)).status, 404);
  assert.equal(
    (await upload(designer, fileUrl, pdf)).status,
    404,
  );
  assert.equal(
    (await analyst.patch(`/api/v1/contracts/${id}`, { terms: "x" })).status,
    403,
  );
  assert.equal((await owner.delete(`/api/v1/contracts/${id}`)).status, 403);
  assert.equal((await support.get(`/api/v1/deals/${deal.id}/contracts`)).status, 404);
  const deleted = await rop.delete(`/api/v1/contracts/${id}`);
  assert.equal(deleted.status, 200, deleted.text);
  assert.ok(deleted.body.deleted_at);
  assert.equal((await rop.post(`/api/v1/contracts/${id}/restore`)).status, 200);

  const after = await counts();
  assert.equal(after.contracts, before.contracts + 1);
  const audit = await admin.get(`/api/v1/audit-log?object_type=contract&object_id=${id}`);
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.body.items.map((a) => a.action);
  for (const a of ["contract.create", "contract.file", "contract.update", "contract.delete", "contract.restore"])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
});

test("refusals speak the caller's language", async () => {
  const own = await english.post("/api/v1/deals", {
    title: "Kitchen for the office",
    amount_minor: 100_000_00,
  });
  assert.equal(own.status, 201, own.text);
  const bad = await english.post(`/api/v1/deals/${own.body.id}/contracts`, {
    number: "EN-1",
    valid_from: "2026-02-01",
    valid_to: "2026-01-01",
  });
  assert.equal(bad.status, 422);
  const err = bad.body.errors.find((e) => e.field === "valid_to");
  assert.match(err.message, /before its start/);
  const ru = await owner.post(`/api/v1/deals/${deal.id}/contracts`, {
    number: "RU-1",
    valid_from: "2026-02-01",
    valid_to: "2026-01-01",
  });
  assert.match(ru.body.errors[0].message, /раньше начала/);
});
