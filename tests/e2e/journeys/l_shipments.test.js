// (l) Shipments of a sold deal (issue 6, DEAL-8). The designer-manager Дмитрий Кузнецов has sold a
// kitchen «Модерн» (made to order, 3 running metres) and two granite sinks from stock. In the deal's
// card he plans shipments from its lines: asking for more sinks than were sold is flagged before
// sending, and when a colleague's shipment takes a sink while his form is open, the server's refusal
// («Больше, чем продано: …») is shown in the form. He ships the sinks today; the kitchen, planned for
// yesterday, is overdue and listed in «Отгрузки → Просроченные»; it cannot leave before production is
// done, so he hands it off. The demo production manager (Сергей Фёдоров) takes the request into work
// and marks it ready in «Отгрузки → Производство»; then the kitchen is shipped and delivered and
// leaves the overdue list.
//
// Reads «today» from the server (the manual clock may have been moved by the journeys before it).
// Only this journey: scripts/test-e2e --test-name-pattern='shipments'
import { describe, it, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiSession,
  assertNoProblems,
  eventually,
  signIn,
  snapshotOnFailure,
  useBrowser,
} from '../lib/harness.js';

const browser = useBrowser();

const SELLER = { email: 'designer@otdel.demo', password: 'otdel-demo', name: 'Дмитрий Кузнецов' };
const PRODUCTION = { email: 'production@otdel.demo', password: 'otdel-demo' };
const KITCHEN_SKU = 'KH-MOD-M';
const SINK_SKU = 'MK-GRANITE';

/** "YYYY-MM-DD" shifted by whole days. */
const shiftDay = (day, n) =>
  new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A day as the date picker's input shows it: the same shape as the value it shows now. */
function asPickerText(day, shown) {
  const [y, m, d] = day.split('-');
  return /^\d{2}\.\d{2}\.\d{4}$/.test(shown) ? `${d}.${m}.${y}` : day;
}

describe('shipments', () => {
  let page;
  afterEach(async (t) => {
    if (t.passed === false) await snapshotOnFailure(t, page);
  });

  it('plans shipments from the deal lines, refuses more than was sold, hands the kitchen to production and ships it', async () => {
    const stamp = Date.now();
    const title = `Кухня «Модерн» и мойки, отгрузка ${stamp}`;

    // The sale itself (not what this journey is about): the deal and its two lines, through the API.
    const seller = (await apiSession(SELLER.email, SELLER.password)).request;
    const productId = async (sku, q) => {
      const r = await seller('GET', `/api/v1/products?q=${encodeURIComponent(q)}`);
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const p = r.body.items.find((x) => x.sku === sku);
      assert.ok(p, `the demo catalog has ${sku}`);
      return p.id;
    };
    const kitchenProduct = await productId(KITCHEN_SKU, 'Модерн');
    const sinkProduct = await productId(SINK_SKU, 'Мойка');
    const deal = await seller('POST', '/api/v1/deals', { title });
    assert.equal(deal.status, 201, JSON.stringify(deal.body));
    const dealId = deal.body.id;
    for (const [product, qty] of [
      [kitchenProduct, 3000],
      [sinkProduct, 2000],
    ]) {
      const l = await seller('POST', `/api/v1/deals/${dealId}/lines`, {
        product_id: product,
        quantity_milli: qty,
      });
      assert.equal(l.status, 201, JSON.stringify(l.body));
    }
    const view = await seller('GET', `/api/v1/deals/${dealId}/shipments`);
    assert.equal(view.status, 200);
    const today = view.body.today;
    const kitchenLine = view.body.lines.find((l) => l.made_to_order);
    const sinkLine = view.body.lines.find((l) => !l.made_to_order);
    assert.ok(
      kitchenLine && sinkLine,
      `both lines are shippable: ${JSON.stringify(view.body.lines)}`,
    );
    assert.equal(sinkLine.sku, SINK_SKU);

    // The designer opens the deal: its shipments block lists what is sold and left per line.
    const s = await browser.open({ locale: 'ru-RU', viewport: { width: 1600, height: 1000 } });
    page = s.page;
    await signIn(page, SELLER);
    await page.goto(`/deals/${dealId}`);
    await page.getByTestId('deal-drawer-title').getByText(title).waitFor();
    const block = page.getByTestId('deal-shipments');
    await block.getByTestId('shipment-lines').waitFor();
    assert.match(await block.getByTestId('shipment-lines').textContent(), /под заказ/);

    // A new shipment: three sinks are more than the two sold — flagged before anything is sent.
    await block.getByTestId('shipment-new').click();
    const form = page.getByTestId('shipment-plan-form');
    await form.waitFor();
    const sinkQty = page.getByTestId(`shipment-qty-${sinkLine.deal_line_id}`);
    await sinkQty.fill('3');
    await page.getByText('больше, чем осталось').waitFor();
    assert.equal(await page.locator('#shipment-plan-submit').isDisabled(), true);

    // Two sinks are what is left — but a colleague ships one from the same deal while the form is open.
    await sinkQty.fill('2');
    await eventually(
      async () => !(await page.locator('#shipment-plan-submit').isDisabled()),
      'two sinks can be planned',
    );
    const other = await seller('POST', `/api/v1/deals/${dealId}/shipments`, {
      planned_date: today,
      address: 'Москва, ул. Лесная, 5',
      carrier: 'Своя доставка',
      items: [{ deal_line_id: sinkLine.deal_line_id, quantity_milli: 1000 }],
    });
    assert.equal(other.status, 201, JSON.stringify(other.body));
    await page.getByTestId('shipment-address').fill('Москва, ул. Лесная, 5, кв. 12');
    await page.locator('#shipment-plan-submit').click();
    const refusal = page.getByTestId('shipment-refusal');
    await refusal.waitFor();
    const refusalText = await refusal.textContent();
    assert.match(refusalText, /Отгрузка больше проданного/);
    assert.match(refusalText, /Больше, чем продано: .*Мойка гранитная/);
    assertNoProblems(s.problems);

    // One sink then — the last one left — planned for today.
    await sinkQty.fill('1');
    await page.locator('#shipment-plan-submit').click();
    await form.waitFor({ state: 'detached' });
    const stock = await eventually(async () => {
      const r = await seller('GET', `/api/v1/deals/${dealId}/shipments`);
      return r.body.items.find((x) => x.id !== other.body.id);
    }, 'the sink shipment is planned');
    assert.equal(stock.items[0].quantity_milli, 1000);
    await page.getByTestId(`shipment-status-${stock.id}`).waitFor();

    // The kitchen, planned for yesterday: overdue from the start.
    await block.getByTestId('shipment-new').click();
    await form.waitFor();
    const planned = page
      .locator('input[data-testid="shipment-planned"], [data-testid="shipment-planned"] input')
      .first();
    const shown = await planned.inputValue();
    await planned.click();
    await planned.fill(asPickerText(shiftDay(today, -1), shown));
    await planned.press('Enter');
    await page.getByTestId(`shipment-qty-${kitchenLine.deal_line_id}`).fill('3');
    await page.getByTestId('shipment-carrier').fill('ПЭК');
    await page.locator('#shipment-plan-submit').click();
    await form.waitFor({ state: 'detached' });
    const kitchen = await eventually(async () => {
      const r = await seller('GET', `/api/v1/deals/${dealId}/shipments`);
      return r.body.items.find((x) => x.items.some((i) => i.made_to_order));
    }, 'the kitchen shipment is planned');
    assert.equal(kitchen.planned_date, shiftDay(today, -1));
    assert.equal(kitchen.overdue, true);
    await block.getByText('просрочена').waitFor();

    // The sinks leave today and arrive.
    await page.getByTestId(`shipment-shipped-${stock.id}`).click();
    await eventually(
      async () =>
        (await page.getByTestId(`shipment-status-${stock.id}`).textContent()) === 'Отгружена',
      'the sink shipment is shipped',
    );
    await page.getByTestId(`shipment-delivered-${stock.id}`).click();
    await eventually(
      async () =>
        (await page.getByTestId(`shipment-status-${stock.id}`).textContent()) === 'Доставлена',
      'the sink shipment is delivered',
    );

    // The kitchen cannot leave before production has built it: the refusal says why.
    await page.getByTestId(`shipment-shipped-${kitchen.id}`).click();
    await page.locator('.ant-message').getByText('сначала передайте их в производство').waitFor();
    assert.equal(
      await page.getByTestId(`shipment-status-${kitchen.id}`).textContent(),
      'Готовится',
    );
    await page.getByTestId(`shipment-production-${kitchen.id}`).click();
    await page
      .getByTestId(`shipment-prod-${kitchen.id}`)
      .getByText('Передано в производство')
      .waitFor();

    // Overdue shipments: the kitchen is there, with the seller's name.
    await page.goto('/shipments/overdue');
    const overdueLink = page.getByTestId(`overdue-shipment-${kitchen.id}`);
    await overdueLink.waitFor();
    assert.equal(await overdueLink.textContent(), title);
    const row = page.locator('tr', { has: overdueLink });
    assert.match(await row.textContent(), new RegExp(SELLER.name));
    assertNoProblems(s.problems);

    // The production manager takes it into work and marks it ready.
    const p = await browser.open({ locale: 'ru-RU', viewport: { width: 1600, height: 1000 } });
    page = p.page;
    await signIn(page, PRODUCTION);
    await page.goto('/shipments/production');
    await page.getByTestId('production-page').waitFor();
    const requests = await (
      await apiSession(PRODUCTION.email, PRODUCTION.password)
    ).request('GET', '/api/v1/production-requests');
    assert.equal(requests.status, 200, JSON.stringify(requests.body));
    const request = requests.body.items.find((r) => r.shipment_id === kitchen.id);
    assert.ok(request, `production sees the request: ${JSON.stringify(requests.body.items)}`);
    await page.getByTestId(`production-in_production-${request.id}`).click();
    await page.getByTestId(`production-status-${request.id}`).getByText('В производстве').waitFor();
    await page.getByTestId(`production-ready-${request.id}`).click();
    await page
      .getByTestId(`production-status-${request.id}`)
      .getByText('Готово к отгрузке')
      .waitFor();
    assertNoProblems(p.problems);

    // The seller ships the kitchen (yesterday's plan, today's date) and it arrives; nothing is overdue now.
    page = s.page;
    await page.goto(`/deals/${dealId}`);
    await page.getByTestId(`shipment-prod-${kitchen.id}`).getByText('Готово к отгрузке').waitFor();
    await page.getByTestId(`shipment-shipped-${kitchen.id}`).click();
    await eventually(
      async () =>
        (await page.getByTestId(`shipment-status-${kitchen.id}`).textContent()) === 'Отгружена',
      'the kitchen is shipped',
    );
    await page.getByTestId(`shipment-delivered-${kitchen.id}`).click();
    await eventually(
      async () =>
        (await page.getByTestId(`shipment-status-${kitchen.id}`).textContent()) === 'Доставлена',
      'the kitchen is delivered',
    );
    const lines = await block.getByTestId('shipment-lines').textContent();
    assert.doesNotMatch(lines, /осталось [1-9]/, `nothing is left to ship: ${lines}`);
    await page.goto('/shipments/overdue');
    await page.getByTestId('overdue-shipments-page').waitFor();
    await eventually(
      async () => (await page.getByTestId(`overdue-shipment-${kitchen.id}`).count()) === 0,
      'the kitchen has left the overdue list',
    );
    const after = await seller('GET', `/api/v1/deals/${dealId}/shipments`);
    const statuses = after.body.items.map((x) => x.status).sort();
    assert.deepEqual(statuses, ['delivered', 'delivered', 'preparing']);
    assertNoProblems(s.problems);
  });
});
