// Website forms (LEAD-1a): settings and who may change them, the snippet and embed script, and the public endpoint —
// CORS allow-list with preflight, honeypot, per-IP limit with Retry-After, Idempotency-Key replay and mismatch,
// body limit, urlencoded Cyrillic, missing contact in ru/en, the plain HTML post redirect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError, CYRILLIC } from '../lib/checks.js';

let server, admin, rop, seller, anon;
const SITE = 'https://shop.example.ru';

before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, { email: 'sales@otdel.demo', password: 'otdel-demo' });
  anon = new Client(server.url);
});
after(async () => { await server?.dispose(); });

async function newForm(extra = {}) {
  const res = await rop.post('/api/v1/intake/forms', { name: `Форма ${Math.random()}`, allowed_origins: [SITE], ...extra });
  assert.equal(res.status, 201, res.text);
  return res.body;
}
const submitPath = (f) => `/api/v1/public/forms/${f.public_key}/leads`;
async function leadsOf(form) {
  const res = await admin.get(`/api/v1/leads?form_id=${form.id}&status=all&limit=200`);
  assert.equal(res.status, 200, res.text);
  return res.body.items;
}

test('settings: head of sales and admin manage forms; a seller and anonymous callers cannot', async () => {
  const f = await newForm({ allowed_origins: ['HTTPS://Shop.Example.RU:443/', 'http://localhost:5173'], campaign: 'весна' });
  assert.deepEqual(f.allowed_origins, [SITE, 'http://localhost:5173']);
  assert.match(f.public_key, /^f[0-9a-f]{32}$/);
  assert.equal((await seller.get('/api/v1/intake/forms')).status, 403);
  assert.equal((await seller.post('/api/v1/intake/forms', { name: 'x' })).status, 403);
  assert.equal((await seller.get(`/api/v1/intake/forms/${f.id}`)).status, 403);
  assert.equal((await anon.get('/api/v1/intake/forms')).status, 401);
  const list = await admin.get('/api/v1/intake/forms');
  assert.equal(list.status, 200);
  assert.ok(list.body.items.some((x) => x.id === f.id));

  const bad = await admin.patch(`/api/v1/intake/forms/${f.id}`,
    { allowed_origins: ['https://a.ru/path'], success_url: 'javascript:alert(1)', rate_per_ip_per_min: 0 });
  assert.equal(bad.status, 422);
  assertFieldError(bad, 'rate_per_ip_per_min', 'out_of_range');
  const bad2 = await admin.patch(`/api/v1/intake/forms/${f.id}`, { allowed_origins: ['https://a.ru/path'], success_url: 'ftp://x' });
  assert.equal(bad2.status, 422);
  assertFieldError(bad2, 'allowed_origins/0', 'invalid_origin');
  assertFieldError(bad2, 'success_url', 'invalid_url');
  assert.deepEqual((await admin.get(`/api/v1/intake/forms/${f.id}`)).body.allowed_origins, f.allowed_origins, 'unchanged');

  const rotated = await admin.post(`/api/v1/intake/forms/${f.id}/rotate-key`);
  assert.equal(rotated.status, 200);
  assert.notEqual(rotated.body.public_key, f.public_key);
  assert.equal((await anon.post(submitPath(f), { phone: '+79123456789' })).status, 404, 'the old key stops working');
  const audit = await admin.get(`/api/v1/audit-log?object_type=intake_form&object_id=${f.id}`);
  if (audit.status === 200) assert.ok(audit.body.items.length >= 2);
  assert.equal((await admin.delete(`/api/v1/intake/forms/${f.id}`)).status, 204);
  assert.equal((await admin.get(`/api/v1/intake/forms/${f.id}`)).status, 404);
});

test('snippet and embed script: the key, the endpoint, the honeypot; served as cacheable JavaScript', async () => {
  const f = await newForm({ honeypot_field: 'fax' });
  const s = await rop.get(`/api/v1/intake/forms/${f.id}/snippet`);
  assert.equal(s.status, 200);
  assert.ok(s.body.html.includes(`data-otdel-form="${f.public_key}"`));
  assert.ok(s.body.html.includes('name="fax"'), 'the honeypot is in the HTML');
  assert.ok(s.body.html.includes(s.body.script_url));
  assert.match(s.body.script_url, new RegExp(`/api/v1/public/forms/${f.public_key}/embed\\.js$`));
  const js = await anon.get(`/api/v1/public/forms/${f.public_key}/embed.js`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type'), /^text\/javascript/);
  assert.match(js.headers.get('cache-control'), /max-age=300/);
  assert.ok(js.text.includes(`"${f.public_key}"`) && js.text.includes('"fax"') && js.text.includes('Idempotency-Key'));
  assert.ok(js.text.includes('randomUUID'));
  assert.equal((await anon.get('/api/v1/public/forms/fnope/embed.js')).status, 404);
});

test('CORS: preflight and answers echo an allowed origin only; a disallowed browser origin is refused', async () => {
  const f = await newForm();
  const ok = await anon.request('OPTIONS', submitPath(f), { headers: { Origin: SITE, 'Access-Control-Request-Method': 'POST' } });
  assert.equal(ok.status, 204);
  assert.equal(ok.headers.get('access-control-allow-origin'), SITE);
  assert.match(ok.headers.get('vary') || '', /Origin/);
  assert.match(ok.headers.get('access-control-allow-headers') || '', /Idempotency-Key/);
  const evil = await anon.request('OPTIONS', submitPath(f), { headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } });
  assert.equal(evil.status, 204);
  assert.equal(evil.headers.get('access-control-allow-origin'), null);

  const denied = await anon.post(submitPath(f), { phone: '+79120000001' }, { headers: { Origin: 'https://evil.example' } });
  assert.equal(denied.status, 403);
  assert.equal(denied.headers.get('access-control-allow-origin'), null);
  const allowed = await anon.post(submitPath(f), { name: 'Анна', phone: '+7 912 000-00-02', message: 'Нужна кухня 3 метра' },
    { headers: { Origin: SITE } });
  assert.equal(allowed.status, 201, allowed.text);
  assert.equal(allowed.headers.get('access-control-allow-origin'), SITE);
  assert.ok(allowed.body.accepted && allowed.body.receipt);
  assert.equal(allowed.body.lead_id, undefined, 'no ids leak to the public');
  const server2server = await anon.post(submitPath(f), { phone: '+79120000003' });
  assert.equal(server2server.status, 201, 'no Origin: a server-side post');
  const leads = await leadsOf(f);
  assert.equal(leads.length, 2);
  const anna = leads.find((l) => l.contact_name === 'Анна');
  assert.equal(anna.channel, 'form');
  assert.equal(anna.intake_form_id, f.id);
});

test('honeypot: answered 200 like a success, nothing stored', async () => {
  const f = await newForm();
  const res = await anon.post(submitPath(f), { phone: '+79120000010', website: 'http://spam.example' });
  assert.equal(res.status, 200);
  assert.equal(res.body.accepted, true);
  assert.equal((await leadsOf(f)).length, 0);
  assert.match(server.log, /honeypot/);
});

test('per-IP rate limit: 429 with Retry-After, and the Russian/English messages', async () => {
  const f = await newForm({ rate_per_ip_per_min: 3 });
  for (let i = 0; i < 3; i++) {
    const r = await anon.post(submitPath(f), { phone: `+7912000002${i}` });
    assert.equal(r.status, 201, r.text);
  }
  const limited = await anon.post(submitPath(f), { phone: '+79120000029' }, { headers: { 'Accept-Language': 'en' } });
  assert.equal(limited.status, 429);
  assert.equal(limited.body.code, 'rate_limited');
  assert.match(limited.headers.get('retry-after') || '', /^\d+$/);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
  assert.match(limited.body.detail, /Too many submissions/);
  assert.equal((await leadsOf(f)).length, 3);
});

test('Idempotency-Key: the same body replays the first answer once stored; another body is a 422', async () => {
  const f = await newForm();
  const body = { name: 'Пётр', phone: '+79120000040', message: 'шкаф' };
  const first = await anon.post(submitPath(f), body, { headers: { 'Idempotency-Key': 'k-1' } });
  assert.equal(first.status, 201);
  const again = await anon.post(submitPath(f), body, { headers: { 'Idempotency-Key': 'k-1' } });
  assert.equal(again.status, 201);
  assert.equal(again.body.receipt, first.body.receipt);
  assert.equal(again.headers.get('idempotency-replayed'), 'true');
  const other = await anon.post(submitPath(f), { ...body, message: 'другое' }, { headers: { 'Idempotency-Key': 'k-1' } });
  assert.equal(other.status, 422);
  assert.equal(other.body.code, 'validation_failed');
  assert.equal((await leadsOf(f)).length, 1, 'one lead for one key');
  const badKey = await anon.post(submitPath(f), body, { headers: { 'Idempotency-Key': 'x'.repeat(201) } });
  assert.equal(badKey.status, 400);
});

test('body limit: more than 16 KiB is a 413', async () => {
  const f = await newForm();
  const res = await anon.post(submitPath(f), { phone: '+79120000050', message: 'я'.repeat(9000) });
  assert.equal(res.status, 413);
  assert.equal(res.body.code, 'payload_too_large');
});

test('urlencoded Cyrillic from a plain HTML form; redirect to success_url when the browser wants a page', async () => {
  const f = await newForm({ success_url: 'https://shop.example.ru/spasibo' });
  const form = new URLSearchParams({ name: 'Иван Петров', phone: '8 (912) 000-00-60', message: 'Хочу шкаф-купе 2 м', 'custom.color': 'белый', consent: 'on' });
  const json = await anon.request('POST', submitPath(f), {
    body: form.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  assert.equal(json.status, 201, json.text);
  const page = await anon.request('POST', submitPath(f), {
    body: new URLSearchParams({ name: 'Ольга', phone: '+79120000061' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html,application/xhtml+xml' } });
  assert.equal(page.status, 303);
  assert.equal(page.headers.get('location'), 'https://shop.example.ru/spasibo');
  const leads = await leadsOf(f);
  const ivan = leads.find((l) => l.contact_name === 'Иван Петров');
  assert.ok(ivan, JSON.stringify(leads.map((l) => l.contact_name)));
  assert.match(ivan.request_text, CYRILLIC);
  assert.equal(ivan.custom.color, 'белый');
});

test('a phone or an e-mail is required: field errors in Russian and English', async () => {
  const f = await newForm();
  const ru = await anon.post(submitPath(f), { name: 'Без контактов', message: 'сколько стоит?' }, { headers: { 'Accept-Language': 'ru' } });
  assert.equal(ru.status, 422);
  assertFieldError(ru, 'phone', 'phone_or_email_required');
  assertFieldError(ru, 'email', 'phone_or_email_required');
  assert.match(ru.body.errors[0].message, CYRILLIC);
  const en = await anon.post(submitPath(f), { name: 'No contact' }, { headers: { 'Accept-Language': 'en' } });
  assert.equal(en.status, 422);
  assert.match(en.body.errors[0].message, /phone or an e-mail/);
  const badPhone = await anon.post(submitPath(f), { phone: '12', email: 'nope' });
  assert.equal(badPhone.status, 422);
  assertFieldError(badPhone, 'phone', 'invalid_phone');
  assertFieldError(badPhone, 'email', 'invalid_email');
  const media = await anon.request('POST', submitPath(f), { body: 'phone=1', headers: { 'Content-Type': 'text/csv' } });
  assert.equal(media.status, 415);
  assert.equal((await leadsOf(f)).length, 0, 'nothing half-written');
  const inactive = await newForm();
  await rop.patch(`/api/v1/intake/forms/${inactive.id}`, { active: false });
  assert.equal((await anon.post(submitPath(inactive), { phone: '+79120000070' })).status, 404);
});
