// Notifications by e-mail and Telegram (LEAD-7): a person turns the channels on, a routed lead's notification is
// sent as a real e-mail to a local SMTP server (Debian's python3-aiosmtpd on loopback, read back from its maildir)
// and as a Bot API call to a local stand-in for Telegram; bad channel settings are refused; a test message goes out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, freePort } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

const HOUR = 3_600_000;
const demo = (email) => ({ email, password: 'otdel-demo' });
let server, smtp, maildir, telegram;
const telegramCalls = [];

async function waitFor(check, what, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function mails() {
  const dir = path.join(maildir, 'new');
  let names = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.map((n) => readFileSync(path.join(dir, n), 'utf8'));
}

before(async () => {
  maildir = mkdtempSync(path.join(os.tmpdir(), 'otdel-maildir-'));
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(path.join(maildir, d));  // the Maildir the handler writes
  const smtpPort = await freePort();
  // Debian's python3 (the package lives there, not in a user's pyenv).
  smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const tgPort = await freePort();
  telegram = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      telegramCalls.push({ url: req.url, body: JSON.parse(body || '{}') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: true, result: { message_id: telegramCalls.length } }));
    });
  });
  await new Promise((r) => telegram.listen(tgPort, '127.0.0.1', r));
  await waitFor(() => true, 'smtp');
  await new Promise((r) => setTimeout(r, 500));  // aiosmtpd binds its port
  server = await startServer({
    extraArgs: ['--smtp-url', `smtp://127.0.0.1:${smtpPort}`, '--mail-from', 'Отдел <crm@otdel.test>',
      '--telegram-bot-token', 'TESTTOKEN', '--telegram-api-base', `http://127.0.0.1:${tgPort}`,
      '--public-url', 'https://crm.otdel.test'],
  });
});
after(async () => {
  await server?.dispose();
  smtp?.kill('SIGTERM');
  await new Promise((r) => telegram?.close(r));
  if (maildir) rmSync(maildir, { recursive: true, force: true });
});

const put = (c, p, json) => c.request('PUT', p, { json });

test('channel settings: own only, validated, listed with whether the server can send on them', async () => {
  const lead = await signIn(server, demo('lead@otdel.demo'));
  const list = await lead.get('/api/v1/me/notification-channels');
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.items.map((i) => [i.channel, i.configured, i.enabled]), [['email', true, false], ['telegram', true, false]]);
  const bad = await put(lead, '/api/v1/me/notification-channels/email', { target: 'no-at-sign' });
  assertFieldError(bad, 'target', 'invalid_email');
  const badChat = await put(lead, '/api/v1/me/notification-channels/telegram', { target: '@olga' });
  assertFieldError(badChat, 'target', 'invalid_chat_id');
  assert.equal((await put(lead, '/api/v1/me/notification-channels/pigeon', { target: 'x' })).status, 404);
  assert.equal((await new Client(server.url).get('/api/v1/me/notification-channels')).status, 401);
  const after = await lead.get('/api/v1/me/notification-channels');
  assert.ok(after.body.items.every((i) => !i.enabled), 'nothing saved by bad input');
});

test('a routed lead reaches its assignee by e-mail (real SMTP) and Telegram, with a link into the app', async () => {
  const people = {};
  for (const email of ['lead@otdel.demo', 'lead2@otdel.demo']) {
    const c = await signIn(server, demo(email));
    const id = (await c.get('/api/v1/me')).body.id;
    const e = await put(c, '/api/v1/me/notification-channels/email', { target: email.replace('@otdel.demo', '@mail.test') });
    assert.equal(e.status, 200, e.text);
    const t = await put(c, '/api/v1/me/notification-channels/telegram', { target: String(1000 + id), kinds: ['routing.assigned'] });
    assert.equal(t.status, 200, t.text);
    people[id] = email;
  }
  // Working hours on the manual clock, so that someone is on shift.
  for (let i = 0; i < 24 * 12; i++) {
    const admin = await signInAdmin(server);
    if ((await admin.post('/api/v1/routing/simulate', { channel: 'form' })).body.decision.user_id) break;
    await admin.post('/api/v1/admin/clock', { advance_ms: HOUR });
  }
  const rop = await signInRop(server);
  const form = await rop.post('/api/v1/intake/forms', { name: 'Почта', allowed_origins: [] });
  const title = `Шкаф-купе в прихожую ${Date.now()}`;
  const sent = await new Client(server.url).post(`/api/v1/public/forms/${form.body.public_key}/leads`, { name: 'Ирина', phone: '+7 912 555-44-33', message: title });
  assert.ok([200, 201, 202].includes(sent.status), sent.text);
  const admin = await signInAdmin(server);
  const lead = (await admin.get(`/api/v1/leads?form_id=${form.body.id}`)).body.items[0];
  assert.ok(lead?.owner_user_id, 'routed');
  const to = people[lead.owner_user_id].replace('@otdel.demo', '@mail.test');

  const mail = await waitFor(() => mails().find((m) => m.includes(to)), 'the e-mail').catch((e) => {
    throw new Error(`${e.message}\n${server.log.split('\n').filter((l) => /smtp|notify|mail/i.test(l)).slice(-10).join('\n')}`);
  });
  assert.match(mail, /^Subject: .*=\?utf-8\?/im, 'a UTF-8 encoded subject');
  assert.match(mail, /From: .*crm@otdel\.test/);
  const [head, ...rest] = mail.split(/\r?\n\r?\n/);
  assert.match(head, /Content-Transfer-Encoding: base64/i);
  const text = Buffer.from(rest.join('\n').replace(/\s+/g, ''), 'base64').toString('utf8');
  assert.match(text, /Вам назначена заявка/, 'in the assignee\'s language (Russian)');
  assert.match(text, /https:\/\/crm\.otdel\.test\/leads\?lead=\d+/, 'a link into the app');
  const call = await waitFor(() => telegramCalls.find((c) => c.body.chat_id === String(1000 + lead.owner_user_id)), 'the Telegram call');
  assert.equal(call.url, '/botTESTTOKEN/sendMessage');
  assert.match(call.body.text, /Новая заявка/);
  assert.ok(call.body.text.includes(title.slice(0, 20)));
});

test('a test message goes out on demand; without a channel it is 404', async () => {
  const support = await signIn(server, demo('support@otdel.demo'));
  assert.equal((await support.post('/api/v1/me/notification-channels/telegram/test', {})).status, 404);
  assert.equal((await put(support, '/api/v1/me/notification-channels/telegram', { target: '777' })).status, 200);
  const before = telegramCalls.length;
  const res = await support.post('/api/v1/me/notification-channels/telegram/test', {});
  assert.equal(res.status, 200, res.text);
  assert.equal(telegramCalls.length, before + 1);
  assert.equal(telegramCalls.at(-1).body.chat_id, '777');
  assert.equal((await support.delete('/api/v1/me/notification-channels/telegram')).status, 204);
});
