// The catalog over HTTP (DEAL-3): the demo catalog, products and price lists by role, deal lines with prices from the
// deal's price list and the schemes' suggested discount, the deal's amount as the sum of its lines, bad input refused
// with nothing changed, and the discount approval — a designer above the limit asks, the head of sales rejects and
// approves with a comment, the deal stays out of the decision and won stages meanwhile — with who may do what.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.js";
import { Client, signIn, signInRop, signInAdmin } from "../lib/client.js";
import { assertFieldError, CYRILLIC } from "../lib/checks.js";

let server, rop, admin, designer, english, kam, analyst, support, pipeline;
let products;
const demo = (email) => ({ email, password: "otdel-demo" });
const bySku = (sku) => products.find((p) => p.sku === sku);
const stage = (pred) => pipeline.stages.find(pred);

before(async () => {
  server = await startServer();
  rop = await signInRop(server);
  admin = await signInAdmin(server);
  designer = await signIn(server, demo("designer@otdel.demo"));
  english = await signIn(server, demo("designer2@otdel.demo"));
  assert.equal(
    (await english.patch("/api/v1/me", { locale: "en" })).status,
    200,
  );
  kam = await signIn(server, demo("sales@otdel.demo"));
  analyst = await signIn(server, demo("analyst@otdel.demo"));
  support = await signIn(server, demo("support@otdel.demo"));
  const res = await rop.get("/api/v1/products?limit=200");
  assert.equal(res.status, 200, res.text);
  products = res.body.items;
  pipeline = (await rop.get("/api/v1/pipelines")).body.items.find(
    (p) => p.is_default,
  );
});
after(async () => {
  await server?.dispose();
});

async function newDeal(client, body = {}) {
  const res = await client.post("/api/v1/deals", {
    title: "Кухня в квартиру на Лесной",
    ...body,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

async function addLine(client, dealId, body) {
  const res = await client.post(`/api/v1/deals/${dealId}/lines`, body);
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test("the demo workspace has a believable catalog, price lists, schemes and lines on deals", async () => {
  assert.ok(products.length >= 10, `products: ${products.length}`);
  assert.ok(products.some((p) => p.made_to_order));
  assert.match(products[0].name, CYRILLIC);
  const lists = await designer.get("/api/v1/price-lists");
  assert.equal(lists.status, 200, lists.text);
  assert.equal(lists.body.items.filter((l) => l.is_default).length, 1);
  assert.ok(lists.body.items.some((l) => l.client_segment === "дилер"));
  const schemes = await designer.get("/api/v1/discount-schemes");
  assert.deepEqual([...new Set(schemes.body.items.map((s) => s.kind))].sort(), [
    "promotion",
    "segment",
    "volume",
  ]);
  const pending = await rop.get("/api/v1/discount-approvals?status=pending");
  assert.equal(pending.status, 200, pending.text);
  assert.ok(
    pending.body.items.some((a) => a.can_decide && a.discount_bp === 1800),
    "the designer's 18 % waits for the head",
  );
  const lines = await designer.get(
    `/api/v1/deals/${pending.body.items[0].deal_id}/lines`,
  );
  assert.equal(lines.status, 200, lines.text);
  assert.equal(
    lines.body.amount_minor,
    lines.body.lines.reduce((n, l) => n + l.amount_minor, 0),
  );
  assert.equal(lines.body.approval.status, "pending");
});

test("products and price lists: the head changes them, sellers read them, others get nothing", async () => {
  const created = await rop.post("/api/v1/products", {
    name: "Барная стойка из массива дуба",
    sku: "BAR-OAK",
    unit: "шт",
    vat_rate_bp: 2000,
    made_to_order: true,
  });
  assert.equal(created.status, 201, created.text);
  const dup = await rop.post("/api/v1/products", {
    name: "Копия",
    sku: "BAR-OAK",
  });
  assertFieldError(dup, "sku", "not_unique");
  const bad = await rop.post("/api/v1/products", {
    name: "",
    sku: "X1",
    vat_rate_bp: 12000,
  });
  assertFieldError(bad, "name", "required");
  assertFieldError(bad, "vat_rate_bp", "out_of_range");

  assert.equal(
    (await designer.post("/api/v1/products", { name: "x", sku: "X2" })).status,
    403,
    "a seller reads the catalog but does not change it",
  );
  const found = await designer.get("/api/v1/products?q=барная");
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(
    found.body.items.map((p) => p.sku),
    ["BAR-OAK"],
    "the search folds Cyrillic case",
  );
  assert.equal((await analyst.get("/api/v1/products")).status, 200);
  assert.equal(
    (await analyst.patch(`/api/v1/products/${created.body.id}`, { name: "y" }))
      .status,
    403,
    "the analyst reads the catalog and changes nothing",
  );
  assert.equal((await support.get("/api/v1/products")).status, 403);
  assert.equal(
    (await new Client(server.url).get("/api/v1/products", { validate: false }))
      .status,
    401,
  );

  const list = await rop.post("/api/v1/price-lists", {
    name: "Прайс для HoReCa",
    currency: "RUB",
    client_segment: "horeca",
  });
  assert.equal(list.status, 201, list.text);
  assert.equal(list.body.is_default, false);
  const priced = await rop.put(`/api/v1/price-lists/${list.body.id}/prices`, {
    items: [
      { product_id: created.body.id, price_minor: 5_400_000 },
      { product_id: bySku("MK-GRANITE").id, price_minor: 1_500_000 },
    ],
  });
  assert.equal(priced.status, 200, priced.text);
  assert.equal(priced.body.items.length, 2);
  const negative = await rop.put(`/api/v1/price-lists/${list.body.id}/prices`, {
    items: [{ product_id: created.body.id, price_minor: -1 }],
  });
  assert.equal(negative.status, 422, negative.text);
  const withPrices = await designer.get(
    `/api/v1/products?price_list_id=${list.body.id}&q=BAR-OAK`,
  );
  assert.equal(withPrices.body.items[0].price_minor, 5_400_000);
  const archived = await rop.patch(`/api/v1/products/${created.body.id}`, {
    archived: true,
  });
  assert.equal(archived.status, 200, archived.text);
  assert.ok(archived.body.archived_at);
  const audit = await admin.get(
    `/api/v1/audit-log?object_type=product&object_id=${created.body.id}`,
  );
  assert.deepEqual(audit.body.items.map((a) => a.action).sort(), [
    "product.create",
    "product.update",
  ]);
});

test("deal lines take the list's price and the schemes' discount, and the deal's amount is their sum", async () => {
  const deal = await newDeal(designer, { amount_minor: 10_000_00 });
  const kitchen = bySku("KH-MOD-M");
  // 12 running metres reach the volume scheme's 3 % tier.
  const quote = await designer.get(
    `/api/v1/deals/${deal.id}/line-quote?product_id=${kitchen.id}&quantity_milli=12000`,
  );
  assert.equal(quote.status, 200, quote.text);
  assert.equal(quote.body.suggestion.discount_bp, 300);
  assert.equal(quote.body.suggestion.kind, "volume");
  assert.match(quote.body.suggestion.explanation, /от 10 пог\. м — 3 %/);
  const first = await addLine(designer, deal.id, {
    product_id: kitchen.id,
    quantity_milli: 12_000,
  });
  const line = first.lines[0];
  assert.equal(line.name, kitchen.name);
  assert.equal(line.unit_price_minor, quote.body.unit_price_minor);
  assert.equal(line.discount_bp, 300, "the suggestion applies by default");
  assert.equal(
    line.amount_minor,
    Math.round((12 * line.unit_price_minor * 9700) / 10000),
  );
  assert.equal(first.amount_minor, line.amount_minor);
  // A free-text line with a price: 1.5 × 333.33 ₽ − 10 % = 449.9955 ₽ → 450.00 ₽ (half up).
  const second = await addLine(designer, deal.id, {
    name: "Доработка по эскизу клиента",
    quantity_milli: 1_500,
    unit_price_minor: 33_333,
    discount_bp: 1000,
  });
  assert.equal(second.lines[1].amount_minor, 45_000);
  assert.equal(second.amount_minor, line.amount_minor + 45_000);
  const dealNow = await designer.get(`/api/v1/deals/${deal.id}`);
  assert.equal(dealNow.body.amount_minor, second.amount_minor);
  const handAmount = await designer.patch(`/api/v1/deals/${deal.id}`, {
    amount_minor: 1,
  });
  assertFieldError(handAmount, "amount_minor", "from_lines");
  // Changing the quantity recounts the line and the deal.
  const changed = await designer.patch(
    `/api/v1/deals/${deal.id}/lines/${second.lines[1].id}`,
    { quantity_milli: 3_000 },
  );
  assert.equal(changed.status, 200, changed.text);
  assert.equal(changed.body.lines[1].amount_minor, 89_999);
  const removed = await designer.delete(
    `/api/v1/deals/${deal.id}/lines/${second.lines[1].id}`,
  );
  assert.equal(removed.status, 200, removed.text);
  assert.equal(removed.body.amount_minor, line.amount_minor);
  const audit = await admin.get(
    `/api/v1/audit-log?object_type=deal&object_id=${deal.id}`,
  );
  assert.ok(
    audit.body.items.some((a) => a.action === "deal.amount_from_lines"),
    "the money change is audited",
  );
});

test("bad lines are refused with the field named and change nothing", async () => {
  const deal = await newDeal(designer);
  const kept = await addLine(designer, deal.id, {
    product_id: bySku("MK-GRANITE").id,
    quantity_milli: 1_000,
  });
  const negative = await designer.post(`/api/v1/deals/${deal.id}/lines`, {
    product_id: bySku("MK-GRANITE").id,
    quantity_milli: -2_000,
  });
  assertFieldError(negative, "quantity_milli", "out_of_range");
  const tooMuch = await designer.post(`/api/v1/deals/${deal.id}/lines`, {
    name: "Скидка больше цены",
    quantity_milli: 1_000,
    unit_price_minor: 100_00,
    discount_bp: 10_001,
  });
  assertFieldError(tooMuch, "discount_bp", "out_of_range");
  const unknown = await designer.post(`/api/v1/deals/${deal.id}/lines`, {
    product_id: 987654321,
    quantity_milli: 1_000,
  });
  assertFieldError(unknown, "product_id", "invalid");
  const noPrice = await designer.post(`/api/v1/deals/${deal.id}/lines`, {
    name: "Без цены",
    quantity_milli: 1_000,
  });
  assertFieldError(noPrice, "unit_price_minor", "required");
  const zero = await designer.patch(
    `/api/v1/deals/${deal.id}/lines/${kept.lines[0].id}`,
    { quantity_milli: 0 },
  );
  assertFieldError(zero, "quantity_milli", "out_of_range");
  const after = await designer.get(`/api/v1/deals/${deal.id}/lines`);
  assert.deepEqual(after.body.lines, kept.lines, "nothing changed");
  assert.equal(after.body.amount_minor, kept.amount_minor);
});

test("deal lines follow the deal's visibility and rights", async () => {
  const deal = await newDeal(designer);
  await addLine(designer, deal.id, {
    product_id: bySku("SM-PULLOUT").id,
    quantity_milli: 2_000,
  });
  assert.equal(
    (await kam.get(`/api/v1/deals/${deal.id}/lines`)).status,
    404,
    "another seller's deal has no lines for them",
  );
  assert.equal(
    (
      await kam.post(`/api/v1/deals/${deal.id}/lines`, {
        name: "x",
        quantity_milli: 1000,
        unit_price_minor: 1,
      })
    ).status,
    404,
  );
  assert.equal(
    (await analyst.get(`/api/v1/deals/${deal.id}/lines`)).status,
    200,
  );
  const readOnly = await analyst.post(`/api/v1/deals/${deal.id}/lines`, {
    name: "x",
    quantity_milli: 1000,
    unit_price_minor: 1,
  });
  assert.equal(readOnly.status, 403, readOnly.text);
  assert.equal(
    (await support.get(`/api/v1/deals/${deal.id}/lines`)).status,
    404,
  );
  const lines = await rop.get(`/api/v1/deals/${deal.id}/lines`);
  assert.equal(
    lines.body.can_edit,
    true,
    "the head changes the subtree's deals",
  );
});

test("a discount above the designer's limit waits for the head; the deal stays out of the decision and won stages", async () => {
  const decision = stage((s) => s.is_decision);
  const won = stage((s) => s.kind === "won");
  const deal = await newDeal(designer, { title: "Кухня с островом, скидка" });
  const asked = await addLine(designer, deal.id, {
    product_id: bySku("KH-LOFT-M").id,
    quantity_milli: 4_000,
    discount_bp: 1500,
  });
  assert.equal(asked.my_limit_bp, 1000);
  assert.equal(asked.lines[0].over_limit, true);
  assert.equal(asked.approval.status, "pending");
  assert.equal(asked.approval.discount_bp, 1500);
  assert.equal(asked.lines.length, 1, "the line is saved");

  for (const target of [decision, won]) {
    const refused = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
      stage_id: target.id,
    });
    assert.equal(refused.status, 409, refused.text);
    assert.match(refused.body.detail, /согласования/);
  }
  const inEnglish = await rop.get(`/api/v1/deals/${deal.id}`);
  assert.equal(inEnglish.body.stage_id, deal.stage_id, "nothing moved");

  const queue = await rop.get("/api/v1/discount-approvals?status=pending");
  const request = queue.body.items.find((a) => a.deal_id === deal.id);
  assert.ok(request?.can_decide, "in the head's queue");
  const own = await designer.get("/api/v1/discount-approvals?status=pending");
  assert.equal(
    own.body.items.find((a) => a.deal_id === deal.id).can_decide,
    false,
  );
  const selfApprove = await designer.post(
    `/api/v1/discount-approvals/${request.id}/approve`,
    {},
  );
  assert.equal(selfApprove.status, 403, selfApprove.text);
  assert.equal(
    (await kam.post(`/api/v1/discount-approvals/${request.id}/approve`, {}))
      .status,
    404,
    "a seller outside the deal's reach",
  );
  const noComment = await rop.post(
    `/api/v1/discount-approvals/${request.id}/reject`,
    {},
  );
  assertFieldError(noComment, "comment", "required");
  const rejected = await rop.post(
    `/api/v1/discount-approvals/${request.id}/reject`,
    { comment: "15 % много, до 12 % согласую" },
  );
  assert.equal(rejected.status, 200, rejected.text);
  assert.equal(rejected.body.status, "rejected");
  assert.equal(rejected.body.decided_by, rop.me.id);
  const stillBlocked = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: decision.id,
  });
  assert.equal(stillBlocked.status, 409);
  assert.match(stillBlocked.body.detail, /отклонил/);
  const again = await rop.post(
    `/api/v1/discount-approvals/${request.id}/approve`,
    {},
  );
  assert.equal(again.status, 409, "decided once");

  // The designer lowers it to 12 % and asks again; the head approves.
  const lowered = await designer.patch(
    `/api/v1/deals/${deal.id}/lines/${asked.lines[0].id}`,
    { discount_bp: 1200 },
  );
  assert.equal(lowered.status, 200, lowered.text);
  assert.equal(lowered.body.approval.status, "pending");
  assert.equal(lowered.body.approval.discount_bp, 1200);
  const approved = await rop.post(
    `/api/v1/discount-approvals/${lowered.body.approval.id}/approve`,
    { comment: "Согласовано" },
  );
  assert.equal(approved.status, 200, approved.text);
  const moved = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: decision.id,
  });
  assert.equal(moved.status, 200, moved.text);
  const notes = await designer.get("/api/v1/notifications");
  const kinds = notes.body.items.map((n) => n.kind);
  assert.ok(kinds.includes("catalog.discount_rejected"), kinds.join());
  assert.ok(kinds.includes("catalog.discount_approved"), kinds.join());
  const audit = await admin.get(
    `/api/v1/audit-log?object_type=discount_approval&object_id=${request.id}`,
  );
  assert.deepEqual(audit.body.items.map((a) => a.action).sort(), [
    "discount_approval.reject",
    "discount_approval.request",
  ]);
  // Within the approved 12 % the designer changes nothing that needs asking.
  const within = await designer.patch(
    `/api/v1/deals/${deal.id}/lines/${asked.lines[0].id}`,
    { discount_bp: 1100 },
  );
  assert.equal(within.body.approval.status, "approved");
});

test("lowering the discount within the limit withdraws the request; asking by hand and the limits", async () => {
  const deal = await newDeal(english, { title: "Kitchen for a show flat" });
  const asked = await addLine(english, deal.id, {
    product_id: bySku("KH-MOD-M").id,
    quantity_milli: 3_000,
    discount_bp: 2000,
  });
  assert.equal(asked.approval.status, "pending");
  const dup = await english.post(`/api/v1/deals/${deal.id}/discount-approval`, {
    comment: "please",
  });
  assert.equal(dup.status, 409, dup.text);
  assert.doesNotMatch(dup.body.detail, CYRILLIC);
  const lowered = await english.patch(
    `/api/v1/deals/${deal.id}/lines/${asked.lines[0].id}`,
    { discount_bp: 800 },
  );
  assert.equal(lowered.body.approval, null, "withdrawn");
  const won = stage((s) => s.kind === "won");
  const wonRes = await english.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: won.id,
  });
  assert.equal(wonRes.status, 200, wonRes.text);
  const closed = await english.post(`/api/v1/deals/${deal.id}/lines`, {
    name: "x",
    quantity_milli: 1000,
    unit_price_minor: 1,
  });
  assert.equal(closed.status, 409, "a won deal's lines stay as sold");

  // Limits: the head sees every role's and raises the designers' to 25 %.
  const limits = await rop.get("/api/v1/discount-limits");
  assert.equal(limits.status, 200, limits.text);
  const designerLimit = limits.body.items.find(
    (l) => l.role_code === "designer_manager",
  );
  assert.equal(designerLimit.max_discount_bp, 1000);
  assert.equal(
    limits.body.items.find((l) => l.role_code === "head_of_sales")
      .max_discount_bp,
    null,
  );
  assert.equal((await designer.get("/api/v1/discount-limits")).status, 403);
  assert.equal(
    (
      await designer.put("/api/v1/discount-limits/designer_manager", {
        max_discount_bp: 5000,
      })
    ).status,
    403,
  );
  const raised = await rop.put("/api/v1/discount-limits/designer_manager", {
    max_discount_bp: 2500,
  });
  assert.equal(raised.status, 200, raised.text);
  const other = await newDeal(english, { title: "Kitchen, 20 % within limit" });
  const free = await addLine(english, other.id, {
    product_id: bySku("KH-MOD-M").id,
    quantity_milli: 2_000,
    discount_bp: 2000,
  });
  assert.equal(free.approval, null);
  assert.equal(free.my_limit_bp, 2500);
  const reset = await rop.delete("/api/v1/discount-limits/designer_manager");
  assert.equal(reset.status, 200, reset.text);
  assert.equal(
    reset.body.items.find((l) => l.role_code === "designer_manager")
      .max_discount_bp,
    1000,
  );
  const bad = await rop.put("/api/v1/discount-limits/designer_manager", {
    max_discount_bp: 10_001,
  });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(
    (await rop.put("/api/v1/discount-limits/nobody", { max_discount_bp: 1 }))
      .status,
    404,
  );
});

test("schemes: segment discount for designers' studios, promotion dates, and bad schemes", async () => {
  const studio = await designer.post("/api/v1/companies", {
    name: "Студия «Светлый угол»",
    legal_form: "ooo",
    tags: ["Дизайнер"],
  });
  assert.equal(studio.status, 201, studio.text);
  const deal = await newDeal(designer, { company_id: studio.body.id });
  const quote = await designer.get(
    `/api/v1/deals/${deal.id}/line-quote?product_id=${bySku("MK-GRANITE").id}`,
  );
  assert.equal(quote.body.suggestion.kind, "segment");
  assert.equal(quote.body.suggestion.discount_bp, 700);
  assert.match(quote.body.suggestion.explanation, /сегмента/);
  const fronts = await designer.get(
    `/api/v1/deals/${deal.id}/line-quote?product_id=${bySku("FS-ENAMEL").id}`,
  );
  assert.equal(fronts.body.suggestion.kind, "promotion", "10 % beats 7 %");
  const badTiers = await rop.post("/api/v1/discount-schemes", {
    name: "Кривые пороги",
    kind: "volume",
    tiers: [
      { min_quantity_milli: 5000, discount_bp: 300 },
      { min_quantity_milli: 2000, discount_bp: 500 },
    ],
  });
  assertFieldError(badTiers, "tiers/1/min_quantity_milli", "not_ascending");
  const badDates = await rop.post("/api/v1/discount-schemes", {
    name: "Назад во времени",
    kind: "promotion",
    discount_bp: 500,
    valid_from: "2027-03-10",
    valid_to: "2027-03-01",
  });
  assertFieldError(badDates, "valid_to", "invalid_range");
  const over = await rop.post("/api/v1/discount-schemes", {
    name: "Больше ста",
    kind: "segment",
    client_segment: "опт",
    discount_bp: 10_500,
  });
  assertFieldError(over, "discount_bp", "out_of_range");
  assert.equal(
    (
      await designer.post("/api/v1/discount-schemes", {
        name: "Моя акция",
        kind: "promotion",
        discount_bp: 5000,
        valid_from: "2027-01-01",
        valid_to: "2027-12-31",
      })
    ).status,
    403,
  );
});
