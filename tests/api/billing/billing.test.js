// Money over HTTP (DEAL-5, DEAL-7): the demo's invoices (one in three instalments: paid, overdue, due soon) and
// overdue lists; a designer invoicing their deal with a gap-free number; payments by the accountant with the
// overpayment rule; schedules that must sum to the total; a bank statement CSV matched and re-imported; the PDF —
// who may do what (head of sales, designer-managers, the accountant, a read-only analyst, support and a lead manager
// without rights); bad input changes nothing; and, last (it moves the clock), an invoice with three instalments that
// gets its mid-term and day-before reminders and tells its seller of the miss.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.js";
import { signIn, signInAdmin, signInRop } from "../lib/client.js";
import { assertFieldError, CYRILLIC } from "../lib/checks.js";

const DAY = 24 * 3600 * 1000;
const MSK = 3 * 3600 * 1000; // Europe/Moscow, the demo workspace's zone (no daylight saving)
const demo = (email) => ({ email, password: "otdel-demo" });

let server,
  admin,
  rop,
  designer3,
  english,
  kam,
  accountant,
  analyst,
  support,
  leadManager;

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  designer3 = await signIn(server, demo("designer3@otdel.demo"));
  english = await signIn(server, demo("designer3@otdel.demo"));
  kam = await signIn(server, demo("sales@otdel.demo"));
  accountant = await signIn(server, demo("buh@otdel.demo"));
  analyst = await signIn(server, demo("analyst@otdel.demo"));
  support = await signIn(server, demo("support@otdel.demo"));
  leadManager = await signIn(server, demo("lead@otdel.demo"));
});
after(async () => {
  await server?.dispose();
});

/** The Moscow calendar day of an instant, YYYY-MM-DD. */
const moscowDay = (ms) => new Date(ms + MSK).toISOString().slice(0, 10);
/** The instant of a Moscow wall-clock time: `minute` after midnight of `day`. */
const moscowAt = (day, minute) =>
  Date.parse(`${day}T00:00:00Z`) - MSK + minute * 60_000;
const plusDays = (day, n) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
const midDay = (a, b) =>
  plusDays(a, Math.floor((Date.parse(b) - Date.parse(a)) / DAY / 2));

/** A valid 10-digit INN (an organisation's), different on every call. */
let innSeed = 771200000;
function nextInn() {
  const base = String(innSeed++).padStart(9, "0");
  const w = [2, 4, 10, 3, 5, 9, 4, 6, 8];
  const check = (w.reduce((s, k, i) => s + k * Number(base[i]), 0) % 11) % 10;
  return base + check;
}

async function now() {
  const res = await admin.get("/api/v1/admin/clock");
  assert.equal(res.status, 200, res.text);
  return res.body.now;
}

async function dealWithClient(client, { amount = 30_000_000 } = {}) {
  const inn = nextInn();
  const company = await client.post("/api/v1/companies", {
    name: `ООО «Кухни ${inn}»`,
    legal_form: "ooo",
    inn,
    phones: ["+7 916 555-12-34"],
    emails: [`buh-${inn}@klient.test`],
  });
  assert.equal(company.status, 201, company.text);
  const deal = await client.post("/api/v1/deals", {
    title: `Кухня для ${inn}`,
    amount_minor: amount,
    company_id: company.body.id,
  });
  assert.equal(deal.status, 201, deal.text);
  return { deal: deal.body, inn };
}

const line = (price, extra = {}) => ({
  name: "Кухонный гарнитур по проекту",
  unit: "компл.",
  quantity_milli: 1000,
  unit_price_minor: price,
  vat_rate_bp: 2200,
  ...extra,
});

async function issuedInvoice(client, dealId, total) {
  const res = await client.post("/api/v1/invoices", {
    deal_id: dealId,
    lines: [line(total)],
    issue: true,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test("the demo has invoices — one in three instalments, paid, overdue and due soon — and an overdue list", async () => {
  const all = await rop.get("/api/v1/invoices?limit=200");
  assert.equal(all.status, 200, all.text);
  assert.ok(
    all.body.items.length >= 5,
    `demo invoices: ${all.body.items.length}`,
  );
  const planned = all.body.items.find(
    (i) => i.deal_title === "Встроенная кухня с техникой",
  );
  assert.ok(planned, "the instalment invoice");
  const card = await rop.get(`/api/v1/invoices/${planned.id}`);
  assert.equal(card.status, 200, card.text);
  assert.deepEqual(
    card.body.instalments.map((i) => i.status),
    ["paid", "overdue", "pending"],
  );
  assert.equal(card.body.status, "overdue");
  assert.equal(
    card.body.instalments.reduce((n, i) => n + i.amount_minor, 0),
    card.body.total_minor,
  );
  assert.ok(
    all.body.items.some((i) => i.status === "draft" && i.number === null),
  );
  assert.ok(all.body.items.some((i) => i.status === "paid"));
  assert.ok(all.body.items.some((i) => i.status === "partially_paid"));

  const overdue = await rop.get("/api/v1/billing/overdue");
  assert.equal(overdue.status, 200, overdue.text);
  assert.ok(overdue.body.by_person.length >= 2, JSON.stringify(overdue.body));
  assert.ok(overdue.body.by_team.some((t) => t.name === "Дизайн-проекты"));
  for (const g of overdue.body.by_person)
    assert.ok(g.count > 0 && g.totals[0].amount_minor > 0);

  // A designer sees the invoices of their own deals; the analyst all of them; support none.
  const mine = await designer3.get("/api/v1/invoices?limit=200");
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.every((i) => i.owner_user_id === designer3.me.id));
  assert.ok(mine.body.items.length < all.body.items.length);
  const own = await designer3.get("/api/v1/billing/overdue");
  assert.ok(own.body.by_person.every((g) => g.id === designer3.me.id));
  assert.equal(
    (await analyst.get("/api/v1/invoices?limit=200")).body.items.length,
    all.body.items.length,
  );
  assert.equal((await support.get("/api/v1/invoices")).status, 403);
  assert.equal(
    (await support.get(`/api/v1/invoices/${planned.id}`)).status,
    404,
  );
  assert.equal((await leadManager.get("/api/v1/billing/overdue")).status, 403);
  const filtered = await rop.get(`/api/v1/invoices?status=overdue&limit=200`);
  assert.ok(filtered.body.items.every((i) => i.status === "overdue"));
  assert.equal((await rop.get("/api/v1/invoices?status=late")).status, 400);
});

test("a designer invoices their deal and issues it; every wrong line is named, in Russian and English", async () => {
  const { deal } = await dealWithClient(designer3);
  const bad = await designer3.post("/api/v1/invoices", {
    deal_id: deal.id,
    lines: [
      line(-5, { quantity_milli: -1, discount_bp: 12_000 }),
      line(100, { vat_rate_bp: 1500, name: "" }),
    ],
  });
  assert.equal(bad.status, 422, bad.text);
  assertFieldError(bad, "lines/0/quantity_milli", "out_of_range");
  assertFieldError(bad, "lines/0/unit_price_minor", "out_of_range");
  assertFieldError(bad, "lines/0/discount_bp", "out_of_range");
  assertFieldError(bad, "lines/1/vat_rate_bp", "not_one_of");
  assert.match(bad.body.detail, CYRILLIC);
  // The same in English for a person who chose it (and back to Russian for the rest of the file).
  assert.equal(
    (await english.patch("/api/v1/me", { locale: "en" })).status,
    200,
  );
  const badEn = await english.post("/api/v1/invoices", {
    deal_id: deal.id,
    lines: [line(100, { quantity_milli: 0 })],
  });
  assert.equal(
    (await english.patch("/api/v1/me", { locale: "ru" })).status,
    200,
  );
  assert.equal(badEn.status, 422);
  assert.match(badEn.body.errors[0].message, /out of range/);
  assert.doesNotMatch(badEn.body.detail, CYRILLIC);
  assert.equal(
    (await designer3.get(`/api/v1/invoices?deal_id=${deal.id}`)).body.items
      .length,
    0,
    "nothing made",
  );

  const draft = await designer3.post("/api/v1/invoices", {
    deal_id: deal.id,
    lines: [
      line(24_400_000),
      line(1_220_000, {
        name: "Монтаж",
        quantity_milli: 2500,
        discount_bp: 1000,
      }),
    ],
    payment_form: "letter_of_credit",
  });
  assert.equal(draft.status, 201, draft.text);
  assert.equal(draft.body.number, null);
  assert.equal(draft.body.status, "draft");
  assert.equal(
    draft.body.lines[1].amount_minor,
    2_745_000,
    "2.5 × 12 200.00 − 10 %",
  );
  assert.equal(draft.body.total_minor, 27_145_000);
  assert.equal(draft.body.vat_minor, 4_400_000 + 495_000);
  assert.match(
    draft.body.payer_name,
    /^ООО «Кухни \d{10}»$/,
    "the payer is the deal's client",
  );
  assert.equal(draft.body.payer_inn.length, 10);
  // Others cannot touch it: another seller does not see it, the analyst only reads.
  assert.equal(
    (await kam.get(`/api/v1/invoices/${draft.body.id}`)).status,
    404,
  );
  assert.equal(
    (await analyst.post(`/api/v1/invoices/${draft.body.id}/issue`)).status,
    403,
  );
  assert.equal(
    (
      await analyst.post("/api/v1/invoices", {
        deal_id: deal.id,
        lines: [line(1)],
      })
    ).status,
    403,
  );
  assert.equal(
    (await kam.post("/api/v1/invoices", { deal_id: deal.id, lines: [line(1)] }))
      .status,
    422,
    "a deal the seller cannot see",
  );

  const issued = await designer3.post(
    `/api/v1/invoices/${draft.body.id}/issue`,
  );
  assert.equal(issued.status, 200, issued.text);
  assert.match(issued.body.number, /^\d{4}-\d{6}$/);
  assert.equal(issued.body.status, "issued");
  const numbers = (await rop.get("/api/v1/invoices?limit=200")).body.items
    .map((i) => i.number)
    .filter((n) => n && n.startsWith(issued.body.number.slice(0, 5)))
    .sort();
  assert.equal(
    numbers[numbers.length - 1],
    issued.body.number,
    "the next number of the series",
  );
  assert.equal(
    Number(issued.body.number.slice(5)),
    numbers.length,
    "no gaps: as many numbers as the series has given",
  );
  assert.equal(
    (await designer3.post(`/api/v1/invoices/${draft.body.id}/issue`)).status,
    409,
  );
  const locked = await designer3.patch(`/api/v1/invoices/${draft.body.id}`, {
    lines: [line(1)],
  });
  assert.equal(locked.status, 409);
  const note = await designer3.patch(`/api/v1/invoices/${draft.body.id}`, {
    note: "Оплата двумя частями",
  });
  assert.equal(note.status, 200, note.text);
  // The seller may not take back an issued invoice; the head may.
  assert.equal(
    (
      await designer3.post(`/api/v1/invoices/${draft.body.id}/cancel`, {
        reason: "x",
      })
    ).status,
    403,
  );
});

test("the accountant records payments; an overpayment or a negative amount changes nothing", async () => {
  const { deal } = await dealWithClient(designer3);
  const inv = await issuedInvoice(designer3, deal.id, 10_000_000);
  const pay = (client, amount, extra = {}) =>
    client.post(`/api/v1/invoices/${inv.id}/payments`, {
      paid_on: moscowDay(Date.now()),
      amount_minor: amount,
      reference: "п/п 77",
      ...extra,
    });
  assert.equal(
    (await pay(designer3, 100)).status,
    403,
    "sellers read payments, they do not record them",
  );
  assert.equal((await pay(analyst, 100)).status, 403);
  const part = await pay(accountant, 4_000_000);
  assert.equal(part.status, 201, part.text);
  assert.equal(part.body.status, "partially_paid");
  assert.equal(part.body.outstanding_minor, 6_000_000);

  const over = await pay(accountant, 6_000_001);
  assert.equal(over.status, 422, over.text);
  assertFieldError(over, "amount_minor", "overpayment");
  assert.match(over.body.errors[0].message, /60000\.00/);
  const negative = await pay(accountant, -100);
  assert.equal(negative.status, 422);
  assertFieldError(negative, "amount_minor", "out_of_range");
  assert.equal((await pay(accountant, 100, { method: "barter" })).status, 422);
  const still = await accountant.get(`/api/v1/invoices/${inv.id}`);
  assert.equal(still.body.paid_minor, 4_000_000, "nothing changed");
  assert.equal(still.body.payments.length, 1);

  // Reversal: the accountant may, the seller may not; the payment stays on the card as reversed.
  const paymentId = still.body.payments[0].id;
  assert.equal(
    (await designer3.post(`/api/v1/payments/${paymentId}/reverse`)).status,
    403,
  );
  const reversed = await accountant.post(
    `/api/v1/payments/${paymentId}/reverse`,
  );
  assert.equal(reversed.status, 200, reversed.text);
  assert.equal(reversed.body.paid_minor, 0);
  assert.ok(reversed.body.payments[0].reversed_at);
  assert.equal(
    (await accountant.post(`/api/v1/payments/${paymentId}/reverse`)).status,
    409,
  );

  // The workspace may allow overpayments: only administrators and heads change that.
  const settings = (await rop.get("/api/v1/billing/settings")).body;
  assert.equal(settings.allow_overpayment, false);
  assert.equal(
    (
      await designer3.put("/api/v1/billing/settings", {
        ...settings,
        allow_overpayment: true,
      })
    ).status,
    403,
  );
  assert.equal(
    (
      await rop.put("/api/v1/billing/settings", {
        ...settings,
        number_digits: 0,
      })
    ).status,
    422,
  );
  const allowed = await rop.put("/api/v1/billing/settings", {
    ...settings,
    allow_overpayment: true,
  });
  assert.equal(allowed.status, 200, allowed.text);
  const paid = await pay(accountant, 10_000_050);
  assert.equal(paid.status, 201, paid.text);
  assert.equal(paid.body.status, "paid");
  assert.equal(
    (await rop.put("/api/v1/billing/settings", settings)).status,
    200,
  );
  // Money on it: cancelling is refused until the payments are reversed.
  const cancel = await rop.post(`/api/v1/invoices/${inv.id}/cancel`, {
    reason: "ошибка",
  });
  assert.equal(cancel.status, 409);
});

test("an instalment schedule must sum to the invoice total; a bad one changes nothing", async () => {
  const { deal } = await dealWithClient(designer3);
  const inv = await issuedInvoice(designer3, deal.id, 30_000_000);
  const today = inv.issue_date;
  const put = (items) =>
    designer3.put(`/api/v1/invoices/${inv.id}/instalments`, { items });
  const short = await put([
    { due_date: plusDays(today, 30), amount_minor: 10_000_000 },
    { due_date: plusDays(today, 60), amount_minor: 10_000_000 },
  ]);
  assert.equal(short.status, 422, short.text);
  assertFieldError(short, "instalments", "sum_mismatch");
  assert.match(short.body.errors[0].message, /300000\.00/);
  const backwards = await put([
    { due_date: plusDays(today, 60), amount_minor: 15_000_000 },
    { due_date: plusDays(today, 30), amount_minor: 15_000_000 },
  ]);
  assertFieldError(backwards, "instalments/1/due_date", "not_increasing");
  const early = await put([
    { due_date: plusDays(today, -1), amount_minor: 15_000_000 },
    { due_date: plusDays(today, 30), amount_minor: 15_000_000 },
  ]);
  assertFieldError(early, "instalments/0/due_date", "before_issue");
  const negative = await put([
    { due_date: plusDays(today, 10), amount_minor: -1 },
    { due_date: plusDays(today, 30), amount_minor: 30_000_001 },
  ]);
  assertFieldError(negative, "instalments/0/amount_minor", "out_of_range");
  assert.equal(
    (await designer3.get(`/api/v1/invoices/${inv.id}`)).body.instalments.length,
    0,
  );
  const ok = await put([
    {
      due_date: plusDays(today, 30),
      amount_minor: 15_000_000,
      note: "Первый платёж",
    },
    { due_date: plusDays(today, 60), amount_minor: 15_000_000 },
  ]);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.due_date, plusDays(today, 60));
  assert.equal(ok.body.instalments[0].note, "Первый платёж");
  assert.equal(
    (await kam.put(`/api/v1/invoices/${inv.id}/instalments`, { items: [] }))
      .status,
    404,
  );
});

test("a bank statement CSV is matched by number, then by INN and amount; a re-import takes nothing twice", async () => {
  const a = await dealWithClient(designer3);
  const invA = await issuedInvoice(designer3, a.deal.id, 4_120_000);
  const b = await dealWithClient(designer3);
  const invB = await issuedInvoice(designer3, b.deal.id, 1_500_050);
  const day = moscowDay(Date.now()).split("-").reverse().join(".");
  const csv = [
    "Дата;Сумма;ИНН плательщика;Назначение платежа;Номер документа",
    `${day};41 200,00;${a.inn};Оплата по счёту № ${invA.number}, в т.ч. НДС;п/п 901`,
    `${day};15000,50;${b.inn};Оплата за кухню по договору;п/п 902`,
    `${day};999,00;7812014560;Оплата неизвестно за что;п/п 903`,
    `вчера;10,00;${a.inn};;п/п 904`,
  ].join("\r\n");
  const upload = (client) =>
    client.request("POST", "/api/v1/bank-imports?file_name=vypiska.csv", {
      body: csv,
      headers: { "Content-Type": "text/csv" },
    });
  assert.equal((await upload(designer3)).status, 403);
  const first = await upload(accountant);
  assert.equal(first.status, 201, first.text);
  assert.equal(first.body.rows_total, 4);
  assert.equal(first.body.matched, 2);
  assert.equal(first.body.unmatched, 1);
  assert.deepEqual(
    first.body.report.map((r) => r.result),
    ["matched", "matched", "unmatched", "invalid"],
  );
  assert.equal(first.body.report[0].matched_by, "number");
  assert.equal(first.body.report[1].matched_by, "inn_amount");
  assert.equal(first.body.report[1].invoice_id, invB.id);
  assert.equal(first.body.report[2].reason, "no_match");
  assert.equal(
    (await rop.get(`/api/v1/invoices/${invA.id}`)).body.status,
    "paid",
  );
  const paidB = (await rop.get(`/api/v1/invoices/${invB.id}`)).body;
  assert.equal(paidB.payments[0].source, "bank_import");
  assert.equal(paidB.payments[0].reference, "п/п 902");

  const again = await upload(accountant);
  assert.equal(again.status, 201);
  assert.equal(again.body.duplicates, 2);
  assert.equal(again.body.matched, 0);
  assert.equal(
    (await rop.get(`/api/v1/invoices/${invA.id}`)).body.payments.length,
    1,
  );
  const list = await accountant.get("/api/v1/bank-imports");
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((i) => i.id === first.body.id));
  const stored = await accountant.get(`/api/v1/bank-imports/${first.body.id}`);
  assert.equal(stored.body.report.length, 4);
  const empty = await accountant.request("POST", "/api/v1/bank-imports", {
    body: "",
    headers: { "Content-Type": "text/csv" },
  });
  assert.equal(empty.status, 422);
});

test("the invoice opens as a PDF", async () => {
  const { deal } = await dealWithClient(designer3);
  const inv = await issuedInvoice(designer3, deal.id, 12_345_600);
  const res = await designer3.get(`/api/v1/invoices/${inv.id}/pdf`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get("content-type"), /application\/pdf/);
  assert.ok(res.text.startsWith("%PDF"), "a PDF file");
  assert.match(
    res.headers.get("content-disposition"),
    /invoice-\d{4}-\d{6}\.pdf/,
  );
  assert.equal((await kam.get(`/api/v1/invoices/${inv.id}/pdf`)).status, 404);
});

// Last: it moves the server's clock months ahead.
test("on the manual clock, three instalments get mid-term and day-before reminders and the seller hears of the miss", async () => {
  const { deal } = await dealWithClient(designer3);
  const inv = await issuedInvoice(designer3, deal.id, 30_000_000);
  const issue = inv.issue_date;
  const dues = [plusDays(issue, 30), plusDays(issue, 60), plusDays(issue, 90)];
  const planned = await designer3.put(
    `/api/v1/invoices/${inv.id}/instalments`,
    {
      items: dues.map((d) => ({ due_date: d, amount_minor: 10_000_000 })),
    },
  );
  assert.equal(planned.status, 200, planned.text);
  // Sessions expire while the clock jumps weeks ahead: every step signs in afresh.
  let seller = designer3;
  const setClock = async (ms) => {
    const fresh = await signInAdmin(server);
    const res = await fresh.post("/api/v1/admin/clock", { set_ms: ms });
    assert.equal(res.status, 200, res.text);
    seller = await signIn(server, demo("designer3@otdel.demo"));
  };
  const reminders = async () => {
    const res = await seller.get(`/api/v1/invoices/${inv.id}`);
    assert.equal(res.status, 200, res.text);
    return res.body.reminders;
  };
  assert.ok((await now()) < moscowAt(midDay(issue, dues[0]), 9 * 60));

  await setClock(moscowAt(midDay(issue, dues[0]), 9 * 60) - 1000);
  assert.equal((await reminders()).length, 0, "nothing before the mid-term");
  await setClock(moscowAt(midDay(issue, dues[0]), 9 * 60));
  let sent = await reminders();
  assert.deepEqual(
    sent.map((r) => `${r.kind}/${r.channel}/${r.status}`).sort(),
    ["mid_term/email/skipped", "mid_term/sms/sent"],
  );
  assert.equal(
    sent.find((r) => r.channel === "email").error,
    "channel_off",
    "no SMTP server in this test",
  );
  assert.equal(sent.find((r) => r.channel === "sms").target, "+79165551234");

  await setClock(moscowAt(plusDays(dues[0], -1), 9 * 60));
  sent = await reminders();
  assert.equal(
    sent.filter((r) => r.kind === "day_before" && r.status === "sent").length,
    1,
  );

  // The first due date passes unpaid: when its day ends the seller is told and the instalment is flagged.
  await setClock(moscowAt(plusDays(dues[0], 1), 0) - 1000);
  const before = (await seller.get("/api/v1/notifications?limit=50")).body
    .items;
  assert.ok(
    !before.some(
      (n) =>
        n.kind === "billing.instalment_missed" &&
        n.params.invoice_id === inv.id,
    ),
  );
  await setClock(moscowAt(plusDays(dues[0], 1), 0));
  const notes = (await seller.get("/api/v1/notifications?limit=50")).body.items;
  const missed = notes.find(
    (n) =>
      n.kind === "billing.instalment_missed" && n.params.invoice_id === inv.id,
  );
  assert.ok(missed, JSON.stringify(notes.map((n) => n.kind)));
  assert.equal(missed.params.due_date, dues[0]);
  assert.equal(missed.link, `/billing/invoices/${inv.id}`);
  const card = (await seller.get(`/api/v1/invoices/${inv.id}`)).body;
  assert.equal(card.status, "overdue");
  assert.deepEqual(
    card.instalments.map((i) => i.status),
    ["overdue", "pending", "pending"],
  );
  assert.ok(card.instalments[0].overdue_at);
  // The overdue list now counts it for its seller.
  const overdue = (
    await (await signInRop(server)).get("/api/v1/billing/overdue")
  ).body;
  assert.ok(overdue.by_person.some((g) => g.id === designer3.me.id));
});
