// Deals over HTTP: the demo pipeline and its gate, the kanban board with totals, a deal's life through the gate in
// Russian and English (every missing item named), loss with a reason, the list's filters, the checklist, history,
// pipeline settings — and who may do what: head of sales (all, settings), designer-managers (own), a KAM (own), a
// read-only analyst, support without deal rights, a lead manager, nobody signed in.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startServer } from "../lib/server.js";
import { Client, signIn, signInRop } from "../lib/client.js";
import { assertFieldError, CYRILLIC } from "../lib/checks.js";

let server,
  rop,
  designer,
  english,
  seller,
  analyst,
  support,
  leadManager,
  pipeline;
const demo = (email) => ({ email, password: "otdel-demo" });
const stageOf = (kind, position) =>
  pipeline.stages.find((s) =>
    kind ? s.kind === kind : s.position === position,
  );

before(async () => {
  server = await startServer();
  rop = await signInRop(server);
  designer = await signIn(server, demo("designer@otdel.demo"));
  english = await signIn(server, demo("designer2@otdel.demo"));
  assert.equal(
    (await english.patch("/api/v1/me", { locale: "en" })).status,
    200,
  );
  seller = await signIn(server, demo("sales@otdel.demo"));
  analyst = await signIn(server, demo("analyst@otdel.demo"));
  support = await signIn(server, demo("support@otdel.demo"));
  leadManager = await signIn(server, demo("lead@otdel.demo"));
  const res = await rop.get("/api/v1/pipelines");
  assert.equal(res.status, 200, res.text);
  pipeline = res.body.items.find((p) => p.is_default);
});
after(async () => {
  await server?.dispose();
});

async function newDeal(client, body = {}) {
  const res = await client.post("/api/v1/deals", {
    title: "Кухня в новостройку",
    ...body,
  });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test("the demo workspace has one default pipeline with a gated contract stage and a believable board", async () => {
  assert.equal(pipeline.stages.length, 7);
  assert.deepEqual(
    pipeline.stages.map((s) => s.kind),
    ["open", "open", "open", "open", "open", "won", "lost"],
  );
  assert.ok(pipeline.stages.some((s) => s.is_decision));
  const contract = stageOf(null, 4);
  assert.deepEqual(contract.required_fields, [
    "amount",
    "company",
    "company.inn",
  ]);
  assert.equal(contract.checklist.length, 2);
  const board = await rop.get(`/api/v1/pipelines/${pipeline.id}/board?limit=2`);
  assert.equal(board.status, 200, board.text);
  assert.equal(board.body.columns.length, 7);
  const total = board.body.columns.reduce((n, c) => n + c.count, 0);
  assert.ok(total >= 14, `demo deals: ${total}`);
  for (const c of board.body.columns) {
    assert.ok(c.items.length <= 2);
    assert.equal(
      c.next_cursor !== null,
      c.count > c.items.length,
      `column ${c.stage_id}`,
    );
    const sum = c.totals.reduce((n, t) => n + t.amount_minor, 0);
    if (c.count === 0) assert.equal(sum, 0);
  }
  // The rest of a column comes from the list, page by page, and adds up to the column's count.
  const column = board.body.columns.find((c) => c.next_cursor);
  const ids = [];
  let cursor = null;
  do {
    const page = await rop.get(
      `/api/v1/deals?stage_id=${column.stage_id}&limit=2${cursor ? `&cursor=${cursor}` : ""}`,
    );
    assert.equal(page.status, 200, page.text);
    ids.push(...page.body.items.map((d) => d.id));
    cursor = page.body.next_cursor;
  } while (cursor);
  assert.equal(ids.length, column.count);
  assert.ok(
    board.body.columns.some((c) => c.items.some((d) => d.idle)),
    "some demo deals are idle",
  );
});

test("a deal goes through the gate only with everything the stage asks for, told in Russian", async () => {
  const deal = await newDeal(designer);
  assert.equal(deal.owner_user_id, designer.me.id);
  assert.equal(deal.stage_id, stageOf(null, 0).id);
  assert.equal(deal.status, "open");
  const contract = stageOf(null, 4);
  const refused = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: contract.id,
  });
  assert.equal(refused.status, 422, refused.text);
  assert.deepEqual(
    refused.body.errors.map((e) => e.field),
    [
      "amount",
      "company",
      "company.inn",
      ...contract.checklist.map((c) => `checklist/${c.code}`),
    ],
  );
  assert.match(refused.body.errors[0].message, /Сумма сделки/);
  assert.match(
    refused.body.errors[3].message,
    new RegExp(contract.checklist[0].label.slice(0, 10)),
  );
  assert.match(refused.body.detail, CYRILLIC);
  assert.equal(
    (await designer.get(`/api/v1/deals/${deal.id}`)).body.stage_id,
    deal.stage_id,
    "nothing moved",
  );

  const company = await designer.post("/api/v1/companies", {
    name: "ООО «Кухонный двор»",
    legal_form: "ooo",
    inn: "7707083893",
  });
  assert.equal(company.status, 201, company.text);
  const filled = await designer.patch(`/api/v1/deals/${deal.id}`, {
    amount_minor: 45_000_000,
    company_id: company.body.id,
    expected_close_date: "2027-01-20",
  });
  assert.equal(filled.status, 200, filled.text);
  assert.equal(filled.body.company_name, "ООО «Кухонный двор»");
  const items = Object.fromEntries(
    contract.checklist.map((c) => [c.code, true]),
  );
  const ticked = await designer.put(`/api/v1/deals/${deal.id}/checklist`, {
    items,
  });
  assert.equal(ticked.status, 200, ticked.text);
  const moved = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: contract.id,
  });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.stage_id, contract.id);
  const won = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: stageOf("won").id,
  });
  assert.equal(won.status, 200, won.text);
  assert.equal(won.body.status, "won");
  assert.ok(won.body.closed_at);
  const history = await designer.get(`/api/v1/deals/${deal.id}/history`);
  assert.deepEqual(
    history.body.items.map((h) => h.to_stage_id),
    [stageOf(null, 0).id, contract.id, stageOf("won").id],
  );
  const audit = await (
    await signIn(server, { email: "admin@otdel.demo", password: "otdel-admin" })
  ).get(`/api/v1/audit-log?object_type=deal&object_id=${deal.id}`);
  assert.equal(audit.status, 200, audit.text);
  const actions = audit.body.items.map((a) => a.action);
  for (const a of [
    "deal.create",
    "deal.update",
    "deal.checklist",
    "deal.stage",
  ])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
  // Winning the deal is on the company's timeline.
  const timeline = await designer.get(
    `/api/v1/companies/${company.body.id}/timeline`,
  );
  assert.ok(
    timeline.body.items.some((t) => t.kind === "deal_won"),
    timeline.text,
  );
});

test("the same refusal in English, and losing needs a reason from the list", async () => {
  const deal = await newDeal(english, { amount_minor: 100_00 });
  const refused = await english.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: stageOf(null, 4).id,
  });
  assert.equal(refused.status, 422);
  assert.match(
    refused.body.errors.find((e) => e.field === "company.inn").message,
    /Company INN/,
  );
  assert.doesNotMatch(refused.body.detail, CYRILLIC);
  const lost = stageOf("lost");
  const noReason = await english.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: lost.id,
  });
  assertFieldError(noReason, "loss_reason_id", "required");
  const reasons = await english.get("/api/v1/loss-reasons");
  assert.ok(reasons.body.items.length >= 5);
  assert.doesNotMatch(
    reasons.body.items[0].name,
    CYRILLIC,
    "names in the reader's language",
  );
  const ok = await english.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: lost.id,
    loss_reason_id: reasons.body.items[0].id,
    loss_comment: "Went with a cheaper studio",
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.status, "lost");
  assert.equal(ok.body.loss_reason_id, reasons.body.items[0].id);
  const otherPipeline = await rop.post("/api/v1/pipelines", {
    name: "Корпоративные клиенты",
  });
  assert.equal(otherPipeline.status, 201, otherPipeline.text);
  const foreign = await english.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: otherPipeline.body.stages[0].id,
  });
  assertFieldError(foreign, "stage_id", "invalid");
});

test("who sees and changes deals follows the org tree and the role", async () => {
  const mine = await newDeal(designer, { title: "Гардеробная" });
  assert.equal(
    (await seller.get(`/api/v1/deals/${mine.id}`)).status,
    404,
    "another seller's deal does not exist for them",
  );
  assert.equal(
    (await seller.patch(`/api/v1/deals/${mine.id}`, { title: "x" })).status,
    404,
  );
  assert.equal((await rop.get(`/api/v1/deals/${mine.id}`)).status, 200);
  assert.equal(
    (await analyst.get(`/api/v1/deals/${mine.id}`)).status,
    200,
    "the analyst reads everything",
  );
  assert.equal(
    (await analyst.patch(`/api/v1/deals/${mine.id}`, { title: "x" })).status,
    404,
    "…and changes nothing",
  );
  assert.equal((await support.get("/api/v1/deals")).status, 403);
  assert.equal(
    (await support.post("/api/v1/deals", { title: "x" })).status,
    403,
  );
  assert.equal(
    (await leadManager.get("/api/v1/deals")).status,
    403,
    "lead managers sell meetings, not deals",
  );
  const anon = new Client(server.url);
  assert.equal(
    (await anon.get("/api/v1/deals", { validate: false })).status,
    401,
  );
  const own = await seller.get("/api/v1/deals?status=all&limit=200");
  assert.ok(
    own.body.items.every((d) => d.owner_user_id === seller.me.id),
    "a seller lists own deals only",
  );
  const giveAway = await designer.patch(`/api/v1/deals/${mine.id}`, {
    owner_user_id: seller.me.id,
  });
  assert.equal(giveAway.status, 403, giveAway.text);
  const reassigned = await rop.patch(`/api/v1/deals/${mine.id}`, {
    owner_user_id: seller.me.id,
  });
  assert.equal(reassigned.status, 200, reassigned.text);
  assert.equal((await seller.get(`/api/v1/deals/${mine.id}`)).status, 200);
  // Delete and restore: gone from lists, back again.
  assert.equal((await rop.delete(`/api/v1/deals/${mine.id}`)).status, 200);
  assert.equal(
    (await seller.get(`/api/v1/deals/${mine.id}`)).body.deleted_at !== null,
    true,
  );
  const listed = await seller.get("/api/v1/deals?status=all&limit=200");
  assert.ok(!listed.body.items.some((d) => d.id === mine.id));
  assert.equal(
    (await rop.post(`/api/v1/deals/${mine.id}/restore`)).status,
    200,
  );
});

test("bad input is refused with every field named and changes nothing", async () => {
  const before = (await designer.get("/api/v1/deals?status=all&limit=200")).body
    .items.length;
  const bad = await designer.post("/api/v1/deals", {
    title: "",
    amount_minor: -1,
    currency: "rub",
    expected_close_date: "2027-02-30",
    forecast_category: "maybe",
  });
  assert.equal(bad.status, 422, bad.text);
  for (const f of ["title", "amount_minor", "forecast_category"])
    assert.ok(
      bad.body.errors.some((e) => e.field === f),
      f,
    );
  const unknown = await designer.post("/api/v1/deals", {
    title: "x",
    salary: 1,
  });
  assertFieldError(unknown, "salary", "unknown_field");
  const date = await designer.post("/api/v1/deals", {
    title: "x",
    expected_close_date: "2027-02-30",
  });
  assertFieldError(date, "expected_close_date", "invalid_date");
  assert.equal(
    (await designer.get("/api/v1/deals?status=all&limit=200")).body.items
      .length,
    before,
  );
  const deal = await newDeal(designer);
  const tick = await designer.put(`/api/v1/deals/${deal.id}/checklist`, {
    items: { nope: true },
  });
  assertFieldError(tick, "items/nope", "invalid");
  assert.equal((await designer.get("/api/v1/deals?cursor=%%%")).status, 400);
  assert.equal((await designer.get("/api/v1/deals?status=maybe")).status, 400);
});

test("pipeline settings: the head of sales shapes stages and gates; sellers may not", async () => {
  const created = await rop.post("/api/v1/pipelines", { name: "Дилеры" });
  assert.equal(created.status, 201, created.text);
  const p = created.body;
  assert.equal(p.stages.length, 7);
  assert.equal(
    (
      await designer.post(`/api/v1/pipelines/${p.id}/stages`, {
        name: "x",
        probability: 10,
        kind: "open",
      })
    ).status,
    403,
  );
  const badStage = await rop.post(`/api/v1/pipelines/${p.id}/stages`, {
    name: "",
    probability: 150,
    kind: "open",
    required_fields: ["salary"],
  });
  assert.equal(badStage.status, 422, badStage.text);
  for (const f of ["name", "probability", "required_fields/0"])
    assert.ok(
      badStage.body.errors.some((e) => e.field === f),
      f,
    );
  const stage = await rop.post(`/api/v1/pipelines/${p.id}/stages`, {
    name: "Проверка дилера",
    probability: 20,
    kind: "open",
    idle_days: 5,
    required_fields: ["contact", "contact.phone"],
    checklist: [{ label: "Договор дилера подписан" }],
  });
  assert.equal(stage.status, 201, stage.text);
  assert.ok(stage.body.checklist[0].code);
  const ids = [stage.body.id, ...p.stages.map((s) => s.id)];
  const reordered = await rop.put(`/api/v1/pipelines/${p.id}/stage-order`, {
    ids,
  });
  assert.equal(reordered.status, 200, reordered.text);
  assert.equal(reordered.body.stages[0].id, stage.body.id);
  assertFieldError(
    await rop.put(`/api/v1/pipelines/${p.id}/stage-order`, {
      ids: ids.slice(1),
    }),
    "ids",
    "invalid",
  );
  const lost = p.stages.find((s) => s.kind === "lost");
  const lastLost = await rop.delete(`/api/v1/stages/${lost.id}`);
  assert.equal(lastLost.status, 409, lastLost.text);
  assert.equal(
    (await rop.delete(`/api/v1/stages/${stage.body.id}`)).status,
    204,
  );
  const fields = await rop.get("/api/v1/deal-fields");
  assert.ok(
    fields.body.items.some(
      (f) =>
        f.code === "company.inn" &&
        f.label === "ИНН компании" &&
        f.group === "company",
    ),
  );
  const def = await rop.patch(`/api/v1/pipelines/${p.id}`, {
    is_default: true,
  });
  assert.equal(def.status, 200, def.text);
  const all = (await rop.get("/api/v1/pipelines")).body.items;
  assert.deepEqual(
    all.filter((x) => x.is_default).map((x) => x.id),
    [p.id],
    "one default",
  );
  assert.equal(
    (await rop.patch(`/api/v1/pipelines/${pipeline.id}`, { is_default: true }))
      .status,
    200,
  );
  assert.equal((await rop.delete(`/api/v1/pipelines/${p.id}`)).status, 204);
  const reason = await rop.post("/api/v1/loss-reasons", {
    name_ru: "Нет монтажа в регионе",
    name_en: "No installation in the region",
  });
  assert.equal(reason.status, 201, reason.text);
  assert.equal(
    (await designer.post("/api/v1/loss-reasons", { name_ru: "x" })).status,
    403,
  );
});

test("the decision starts a 72-hour payment window: a reminder a day before, a flag after (manual clock)", async () => {
  // Sessions expire while the clock jumps days ahead: every step signs in afresh.
  const moveClockTo = async (ms) => {
    const admin = await signIn(server, {
      email: "admin@otdel.demo",
      password: "otdel-admin",
    });
    assert.equal(
      (await admin.post("/api/v1/admin/clock", { set_ms: ms })).status,
      200,
    );
    return signIn(server, demo("designer@otdel.demo"));
  };
  const decision = pipeline.stages.find((s) => s.is_decision);
  const deal = await newDeal(designer, {
    title: "Кухня с островом, решение принято",
    amount_minor: 61_000_000,
  });
  const decided = await designer.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: decision.id,
  });
  assert.equal(decided.status, 200, decided.text);
  const due = decided.body.payment_due_at;
  assert.equal(due - decided.body.stage_entered_at, 72 * 3600_000);
  assert.equal(decided.body.payment_overdue, false);
  const kinds = async (as) => {
    const r = await as.get("/api/v1/notifications?limit=100");
    assert.equal(r.status, 200, r.text);
    return r.body.items
      .filter((n) => n.params?.deal_id === deal.id)
      .map((n) => n.kind);
  };
  assert.deepEqual(await kinds(designer), []);
  let seller = await moveClockTo(due - 24 * 3600_000 + 1000);
  assert.deepEqual(await kinds(seller), ["deals.payment_reminder"]);
  assert.equal(
    (await seller.get(`/api/v1/deals/${deal.id}`)).body.payment_overdue,
    false,
  );
  seller = await moveClockTo(due + 1000);
  const flagged = (await seller.get(`/api/v1/deals/${deal.id}`)).body;
  assert.equal(flagged.payment_overdue, true);
  assert.deepEqual((await kinds(seller)).sort(), [
    "deals.payment_overdue",
    "deals.payment_reminder",
  ]);
  // Winning it at last clears the flag.
  const won = await seller.post(`/api/v1/deals/${deal.id}/stage`, {
    stage_id: stageOf("won").id,
  });
  assert.equal(won.body.payment_overdue, false);
  assert.equal(won.body.payment_due_at, null);
});
