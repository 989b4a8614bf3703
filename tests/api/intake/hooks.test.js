// Signed webhooks (LEAD-1c, LEAD-1d): channel settings with write-only secrets; telephony events with HMAC signature,
// freshness window and replay guard (missed call -> lead, the same number again -> attached); Telegram updates behind
// the secret token; the generic signed JSON webhook.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, admin, rop, seller, anon;
const SECRET = 'pbx-shared-secret-0123456789';

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, { email: 'sales@otdel.demo', password: 'otdel-demo' });
  anon = new Client(server.url);
});
after(async () => { await server?.dispose(); });

async function channel(kind, extra = {}) {
  const res = await rop.post('/api/v1/intake/channels', { kind, name: `${kind} ${Math.random()}`, secret: SECRET, ...extra });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.secret, undefined, 'the secret is never returned');
  assert.equal(res.body.has_secret, true);
  return res.body;
}

/** Server time in seconds (the test server runs a manual clock). */
async function serverNowS() {
  const h = await anon.get('/api/v1/health');
  return Math.floor(h.body.time / 1000);
}

function signed(path, payload, { secret = SECRET, ts, tamper = false } = {}) {
  const body = JSON.stringify(payload);
  const sig = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  return anon.request('POST', path, {
    body: tamper ? body.replace('}', ',"x":1}') : body,
    headers: { 'Content-Type': 'application/json', 'X-Otdel-Timestamp': String(ts), 'X-Otdel-Signature': sig },
  });
}

async function leadsOfChannel(kind) {
  const res = await admin.get(`/api/v1/leads?channel=${kind}&status=all&limit=200`);
  assert.equal(res.status, 200, res.text);
  return res.body.items;
}

test('channel settings: roles, secret rules, write-only secrets, kind cannot change', async () => {
  assert.equal((await seller.get('/api/v1/intake/channels')).status, 403);
  assert.equal((await seller.post('/api/v1/intake/channels', { kind: 'telephony', name: 'x', secret: SECRET })).status, 403);
  const short = await rop.post('/api/v1/intake/channels', { kind: 'telephony', name: 'АТС', secret: 'short' });
  assert.equal(short.status, 422);
  assertFieldError(short, 'secret', 'invalid_secret');
  const c = await channel('telephony');
  assert.equal(c.hook_path, `/api/v1/public/hooks/telephony/${c.public_token}`);
  const got = await admin.get(`/api/v1/intake/channels/${c.id}`);
  assert.equal(got.body.secret, undefined);
  const kind = await admin.patch(`/api/v1/intake/channels/${c.id}`, { kind: 'imap' });
  assert.equal(kind.status, 422);
  assertFieldError(kind, 'kind', 'immutable');
  const imap = await rop.post('/api/v1/intake/channels', { kind: 'imap', name: 'Почта', secret: 'pw', config: { port: 70000 } });
  assert.equal(imap.status, 422);
  assertFieldError(imap, 'config/host', 'required');
  assertFieldError(imap, 'config/port', 'out_of_range');
  const list = await admin.get('/api/v1/intake/channels');
  assert.ok(list.body.items.every((x) => x.secret === undefined));
});

test('telephony: a missed call from an unknown number becomes a lead; the same number again attaches', async () => {
  const c = await channel('telephony');
  const path = c.hook_path;
  const ts = await serverNowS();
  const first = await signed(path, { event_id: 'call-1', type: 'missed', from: '+7 (912) 555-01-01', to: '+74950000000', started_at: ts }, { ts });
  assert.equal(first.status, 200, first.text);
  assert.equal(first.body.outcome, 'created_lead');
  const again = await signed(path, { event_id: 'call-2', type: 'missed', from: '89125550101', started_at: ts }, { ts });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.body.outcome, 'attached_to_lead');
  const done = await signed(path, { event_id: 'call-3', type: 'finished', from: '79125550101', duration_s: 75,
    recording_url: 'https://pbx.example/rec/3.mp3' }, { ts });
  assert.equal(done.status, 200);
  const leads = (await leadsOfChannel('phone')).filter((l) => l.intake_channel_id === c.id);
  assert.equal(leads.length, 1);
  assert.ok(leads[0].repeat_count >= 1);
});

test('telephony: bad signature, tampered body, stale or future timestamp -> 401; a replayed event -> 409', async () => {
  const c = await channel('telephony');
  const ts = await serverNowS();
  const ev = { event_id: 'evt-x', type: 'missed', from: '+79125550202' };
  const wrong = await signed(c.hook_path, ev, { secret: 'another-secret-0123456789', ts });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.code, 'unauthenticated');
  assert.equal((await signed(c.hook_path, ev, { ts, tamper: true })).status, 401);
  const stale = await signed(c.hook_path, ev, { ts: ts - 301 });
  assert.equal(stale.status, 401);
  assert.match(stale.body.detail, /5 минут|5 minutes/);
  assert.equal((await signed(c.hook_path, ev, { ts: ts + 301 })).status, 401);
  const unsigned = await anon.post(c.hook_path, ev);
  assert.equal(unsigned.status, 401);
  const ok = await signed(c.hook_path, ev, { ts });
  assert.equal(ok.status, 200);
  const replay = await signed(c.hook_path, ev, { ts });
  assert.equal(replay.status, 409);
  assert.equal(replay.body.code, 'conflict');
  const badType = await signed(c.hook_path, { event_id: 'evt-y', type: 'ringing', from: '+79125550203' }, { ts });
  assert.equal(badType.status, 422);
  assertFieldError(badType, 'type', 'not_one_of');
  assert.equal((await signed('/api/v1/public/hooks/telephony/cnope', ev, { ts })).status, 404);
  // A telephony token does not open the generic endpoint.
  assert.equal((await signed(`/api/v1/public/hooks/generic/${c.public_token}`, ev, { ts })).status, 404);
});

test('telegram: the secret token is checked; a message becomes a lead; other updates are ignored', async () => {
  const c = await channel('telegram', { secret: 'tg_Secret-123' });
  const update = (id, text) => ({ update_id: id, message: { message_id: id, date: 1772349300,
    from: { id: 42, is_bot: false, first_name: 'Мария', last_name: 'Иванова', username: 'masha' },
    chat: { id: 4242, type: 'private' }, text } });
  const post = (body, secret) => anon.post(c.hook_path, body, { headers: { 'X-Telegram-Bot-Api-Secret-Token': secret } });
  const wrong = await post(update(1, 'Привет'), 'tg_wrong');
  assert.equal(wrong.status, 401);
  assert.equal((await post(update(1, 'Привет'), undefined)).status, 401);
  const ok = await post(update(100, 'Нужен шкаф-купе 2 метра, белый'), 'tg_Secret-123');
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.outcome, 'created_lead');
  const redelivered = await post(update(100, 'Нужен шкаф-купе 2 метра, белый'), 'tg_Secret-123');
  assert.equal(redelivered.status, 200, 'Telegram must get 200, or it retries');
  assert.equal(redelivered.body.outcome, 'duplicate_delivery');
  const other = await post({ update_id: 101, callback_query: { id: 'q' } }, 'tg_Secret-123');
  assert.equal(other.status, 200);
  assert.deepEqual(other.body, { accepted: false, outcome: 'ignored' });
  const leads = (await leadsOfChannel('telegram')).filter((l) => l.intake_channel_id === c.id);
  assert.equal(leads.length, 1);
  assert.equal(leads[0].contact_name, 'Мария Иванова');
  assert.equal(leads[0].external_ref, '100');
});

test('generic webhook: a signed marketplace lead; unsigned is refused; the documented payload is validated', async () => {
  const c = await channel('webhook');
  const ts = await serverNowS();
  const payload = { external_id: 'ord-1', source: 'ozon', name: 'ООО Ромашка', phones: ['+7 912 555-03-03'],
    emails: ['zakaz@romashka.example'], message: 'Заказ 20 стульев', utm: { source: 'ozon', campaign: 'sale' },
    custom: { order_sum: '45000' } };
  const ok = await signed(c.hook_path, payload, { ts });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.outcome, 'created_lead');
  assert.equal((await anon.post(c.hook_path, payload)).status, 401);
  const bad = await signed(c.hook_path, { source: 'x', phones: 'no', extra: 1 }, { ts });
  assert.equal(bad.status, 422);
  assertFieldError(bad, 'external_id', 'required');
  assertFieldError(bad, 'extra', 'unknown_field');
  const leads = (await leadsOfChannel('webhook')).filter((l) => l.intake_channel_id === c.id);
  assert.equal(leads.length, 1);
  assert.equal(leads[0].external_ref, 'ozon:ord-1');
  assert.equal(leads[0].custom.order_sum, '45000');
});
