// Activities over HTTP (ACT-1, ORG-3): the demo seller's full day; every kind on a client's timeline with keyset
// pages; a call recording sniffed as audio (a PDF refused, a huge file 413) and played back; a meeting ending before
// it starts; tasks set inside and outside one's subtree, "My tasks" and the team's, checklist and completion; an
// e-mail really sent through a local SMTP server (Debian's python3-aiosmtpd) and read back with Python's e-mail
// parser; a received e-mail logged by hand (broken MIME refused); escalation of an overdue task with the manual clock;
// a telephony webhook's call on the lead it opened — and who may do what: the seller, another seller, the head of
// sales, the read-only analyst, nobody signed in.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, freePort } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError, CYRILLIC } from '../lib/checks.js';

const MIN = 60_000;
const demo = (email) => ({ email, password: 'otdel-demo' });
let server, smtp, maildir, admin, rop, seller, other, analyst, english, anon, company;

async function waitFor(check, what, ms = 10_000) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

before(async () => {
  maildir = mkdtempSync(path.join(os.tmpdir(), 'otdel-act-maildir-'));
  for (const d of ['tmp', 'new', 'cur']) mkdirSync(path.join(maildir, d));
  const smtpPort = await freePort();
  smtp = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, demo('sales@otdel.demo'));
  other = await signIn(server, demo('designer3@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
  english = await signIn(server, demo('lead2@otdel.demo'));
  assert.equal((await english.patch('/api/v1/me', { locale: 'en' })).status, 200);
  anon = new Client(server.url);
  const res = await admin.post('/api/v1/email-accounts', {
    from_address: 'Отдел продаж <sales@otdel.test>', smtp_url: `smtp://127.0.0.1:${smtpPort}`,
  });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.body.has_password, false);
  const c = await seller.post('/api/v1/companies', {
    name: 'ООО «Кухни на заказ»', emails: ['buyer@kuhni-client.ru'],
  });
  assert.equal(c.status, 201, c.text);
  company = c.body.company ?? c.body;
});
after(async () => {
  await server?.dispose();
  smtp?.kill('SIGTERM');
  if (maildir) rmSync(maildir, { recursive: true, force: true });
});

const put = (c, p, json) => c.request('PUT', p, { json });
async function now() {
  return (await admin.get('/api/v1/admin/clock')).body.now;
}
async function log(client, body) {
  const res = await client.post('/api/v1/activities', { record_type: 'company', record_id: company.id, ...body });
  assert.equal(res.status, 201, res.text);
  return res.body;
}

test("the demo seller's day is full: calls with outcomes, meetings, tasks due today and overdue, e-mails", async () => {
  const open = await seller.get('/api/v1/tasks?scope=mine&limit=100');
  assert.equal(open.status, 200, open.text);
  assert.ok(open.body.items.length >= 4, `open tasks: ${open.body.items.length}`);
  const overdue = await seller.get('/api/v1/tasks?scope=mine&overdue=true');
  assert.ok(overdue.body.items.length >= 1, 'an overdue task');
  assert.ok(open.body.items.some((t) => t.task.checklist.length === 4 && t.task.checklist.some((i) => i.done)));
  assert.ok(open.body.items.some((t) => t.created_by !== t.owner_user_id), 'a task the head set');
  const items = [];
  for (const deal of (await seller.get('/api/v1/deals?owner=me&limit=10')).body.items) {
    const timeline = await seller.get(`/api/v1/activities?record_type=deal&record_id=${deal.id}&limit=50`);
    assert.equal(timeline.status, 200, timeline.text);
    items.push(...timeline.body.items);
  }
  const kinds = new Set(items.map((a) => a.kind));
  for (const k of ['call', 'meeting', 'task', 'email', 'sms', 'note']) assert.ok(kinds.has(k), `the deals have a ${k}`);
  const today = await now();
  assert.ok(items.some((a) => a.kind === 'meeting' && a.starts_at > today), 'a meeting still to come today');
  const outcomes = new Set(items.filter((a) => a.kind === 'call').map((a) => a.call.outcome));
  assert.ok(outcomes.size >= 2, 'calls with different outcomes');
  const team = await rop.get('/api/v1/tasks?scope=team&limit=200');
  assert.ok(team.body.items.length > open.body.items.length, 'the head sees the team');
});

test('every kind on the client timeline, newest first, in keyset pages; filters by kind', async () => {
  const t0 = await now();
  const call = await log(seller, { kind: 'call', direction: 'out', outcome: 'answered', duration_s: 125, phone: '8 916 700-11-22', body: 'Договорились о замере' });
  assert.equal(call.call.phone, '+79167001122');
  assert.equal(call.call.duration_s, 125);
  const meeting = await log(seller, { kind: 'meeting', subject: 'Замер', starts_at: t0 + 60 * MIN, ends_at: t0 + 120 * MIN, place: 'ул. Садовая, 8', video_url: 'https://telemost.yandex.ru/j/1' });
  assert.equal(meeting.meeting.place, 'ул. Садовая, 8');
  const note = await log(seller, { kind: 'note', body: 'Клиент сравнивает с двумя салонами' });
  const sms = await log(seller, { kind: 'sms', phone: '+79167001122', body: 'Напоминаем о замере завтра' });
  assert.equal(sms.sms.status, 'sent');
  const page1 = await seller.get(`/api/v1/activities?record_type=company&record_id=${company.id}&limit=2`);
  assert.equal(page1.status, 200, page1.text);
  assert.equal(page1.body.items[0].id, meeting.id, 'the coming meeting stands first');
  assert.ok(page1.body.next_cursor);
  const page2 = await seller.get(`/api/v1/activities?record_type=company&record_id=${company.id}&limit=50&cursor=${page1.body.next_cursor}`);
  const ids = [...page1.body.items, ...page2.body.items].map((a) => a.id);
  for (const a of [call, note, sms]) assert.ok(ids.includes(a.id));
  assert.equal(new Set(ids).size, ids.length, 'no item twice across pages');
  const calls = await seller.get(`/api/v1/activities?record_type=company&record_id=${company.id}&kind=call`);
  assert.ok(calls.body.items.every((a) => a.kind === 'call'));
  assert.equal((await seller.get(`/api/v1/activities?record_type=company&record_id=${company.id}&cursor=zz`)).status, 400);
  assert.equal((await seller.get('/api/v1/activities?record_type=company')).status, 400);
});

test('who sees and changes a timeline: another seller 404, head yes, analyst reads only, anonymous 401', async () => {
  const note = await log(seller, { kind: 'note', body: 'только для своих' });
  const path = `/api/v1/activities?record_type=company&record_id=${company.id}`;
  assert.equal((await other.get(path)).status, 404);
  assert.equal((await other.get(`/api/v1/activities/${note.id}`)).status, 404);
  assert.equal((await other.patch(`/api/v1/activities/${note.id}`, { body: 'x' })).status, 404);
  const foreign = await other.post('/api/v1/activities', { kind: 'note', record_type: 'company', record_id: company.id, body: 'x' });
  assert.equal(foreign.status, 422);
  assertFieldError(foreign, 'record_id', 'invalid');
  assert.equal((await rop.get(path)).status, 200);
  const edited = await rop.patch(`/api/v1/activities/${note.id}`, { body: 'дополнил руководитель' });
  assert.equal(edited.status, 200, edited.text);
  assert.equal((await analyst.get(path)).status, 200);
  assert.equal((await analyst.patch(`/api/v1/activities/${note.id}`, { body: 'x' })).status, 403);
  assert.equal((await analyst.post('/api/v1/activities', { kind: 'note', record_type: 'company', record_id: company.id, body: 'x' })).status, 403);
  assert.equal((await anon.get(path)).status, 401);
  assert.equal((await seller.request('DELETE', `/api/v1/activities/${note.id}`)).status, 204);
  assert.equal((await seller.get(`/api/v1/activities/${note.id}`)).status, 404);
});

test('bad input is told per field in the reader\'s language and writes nothing', async () => {
  const t0 = await now();
  const before = (await seller.get(`/api/v1/activities?record_type=company&record_id=${company.id}&limit=200`)).body.items.length;
  const meeting = await seller.post('/api/v1/activities', { kind: 'meeting', record_type: 'company', record_id: company.id, starts_at: t0 + 2 * 60 * MIN, ends_at: t0 + 60 * MIN });
  assert.equal(meeting.status, 422);
  assertFieldError(meeting, 'ends_at', 'before_start');
  assert.match(meeting.body.errors[0].message, CYRILLIC);
  const en = await english.post('/api/v1/activities', { kind: 'meeting', record_type: 'company', record_id: company.id, starts_at: t0 + 2 * 60 * MIN, ends_at: t0 });
  assert.equal(en.status, 422);
  assert.match(en.body.errors.find((e) => e.field === 'ends_at')?.message ?? en.body.errors[0].message, /before the start|record/i);
  const call = await seller.post('/api/v1/activities', { kind: 'call', record_type: 'company', record_id: company.id, direction: 'up', outcome: 'maybe', phone: 'abc' });
  assert.equal(call.status, 422);
  assertFieldError(call, 'direction', 'not_one_of');
  const email = await seller.post('/api/v1/activities', { kind: 'email', record_type: 'company', record_id: company.id, to: ['не почта'], subject: 'x' });
  assertFieldError(email, 'to/0', 'invalid_email');
  const unknown = await seller.post('/api/v1/activities', { kind: 'note', record_type: 'company', record_id: company.id, body: 'x', colour: 'red' });
  assertFieldError(unknown, 'colour', 'unknown_field');
  const after = (await seller.get(`/api/v1/activities?record_type=company&record_id=${company.id}&limit=200`)).body.items.length;
  assert.equal(after, before);
});

test('a call recording: audio by its bytes, a PDF refused, a huge file 413, played back to those who see it', async () => {
  const call = await log(seller, { kind: 'call', direction: 'in', outcome: 'answered', duration_s: 40 });
  const url = `/api/v1/activities/${call.id}/recording`;
  const pdf = await seller.request('PUT', `${url}?file_name=rec.mp3`, { body: Buffer.from('%PDF-1.7 not a recording'), headers: { 'Content-Type': 'audio/mpeg' } });
  assert.equal(pdf.status, 422, pdf.text);
  assertFieldError(pdf, 'recording', 'not_audio');
  const huge = await seller.request('PUT', url, { body: Buffer.alloc(26 * 1024 * 1024, 1), headers: { 'Content-Type': 'audio/wav' } });
  assert.equal(huge.status, 413);
  const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.from([36, 0, 0, 0]), Buffer.from('WAVEfmt '), Buffer.alloc(200)]);
  const ok = await seller.request('PUT', `${url}?file_name=${encodeURIComponent('звонок.wav')}`, { body: wav, headers: { 'Content-Type': 'application/octet-stream' } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.call.has_recording, true);
  const play = await fetch(server.url + url, { headers: { Cookie: rop.cookieHeader() } });
  assert.equal(play.status, 200);
  assert.equal(play.headers.get('content-type'), 'audio/wav');
  assert.deepEqual(Buffer.from(await play.arrayBuffer()), wav);
  assert.equal((await other.get(url)).status, 404);
});

test('tasks: the head sets one for a seller, a seller cannot for a peer; mine, team, checklist, completion', async () => {
  const t0 = await now();
  const set = await rop.post('/api/v1/activities', { kind: 'task', record_type: 'company', record_id: company.id, subject: 'Подготовить КП', assignee_user_id: seller.me.id, due_at: t0 + 60 * MIN, priority: 'high', checklist: ['Размеры', 'Фурнитура', 'Столешница'] });
  assert.equal(set.status, 201, set.text);
  const task = set.body;
  assert.equal(task.owner_user_id, seller.me.id);
  assert.equal(task.created_by, rop.me.id);
  const peer = await seller.post('/api/v1/activities', { kind: 'task', record_type: 'company', record_id: company.id, subject: 'x', assignee_user_id: other.me.id });
  assert.equal(peer.status, 422, peer.text);
  assertFieldError(peer, 'assignee_user_id', 'outside_subtree');
  assert.match(peer.body.errors[0].message, /подчинённым/);
  const mine = await seller.get('/api/v1/tasks?scope=mine&limit=200');
  assert.ok(mine.body.items.some((t) => t.id === task.id));
  assert.ok((await rop.get('/api/v1/tasks?scope=team&limit=200')).body.items.some((t) => t.id === task.id));
  assert.ok(!(await other.get('/api/v1/tasks?scope=team&limit=200')).body.items.some((t) => t.id === task.id));
  assert.equal((await other.get(`/api/v1/tasks?scope=${seller.me.id}`)).status, 404);
  const tick = await put(seller, `/api/v1/activities/${task.id}/checklist/${task.task.checklist[1].id}`, { done: true });
  assert.equal(tick.status, 200, tick.text);
  assert.deepEqual(tick.body.task.checklist.map((i) => i.done), [false, true, false]);
  const done = await seller.patch(`/api/v1/activities/${task.id}`, { done: true });
  assert.equal(done.body.done, true);
  const completed = await rop.get(`/api/v1/tasks?scope=${seller.me.id}&status=done&limit=200`);
  assert.ok(completed.body.items.some((t) => t.id === task.id && t.done_at));
  const notes = await seller.get('/api/v1/notifications?limit=50');
  assert.ok(notes.body.items.some((n) => n.kind === 'activities.task_assigned'));
});

test('an overdue task escalates to the manager after the workspace delay (manual clock)', async () => {
  const settings = await put(admin, '/api/v1/activity-settings', { first_response_kinds: ['call', 'email'], escalation_delay_minutes: 30, recording_hosts: [] });
  assert.equal(settings.status, 200, settings.text);
  assert.equal((await put(seller, '/api/v1/activity-settings', settings.body)).status, 403);
  const bad = await put(admin, '/api/v1/activity-settings', { first_response_kinds: ['fax'], escalation_delay_minutes: -1 });
  assertFieldError(bad, 'escalation_delay_minutes', 'out_of_range');
  const t0 = await now();
  const task = await log(seller, { kind: 'task', subject: 'Выставить счёт', due_at: t0 + 10 * MIN });
  let r = await admin.post('/api/v1/admin/clock', { advance_ms: 39 * MIN });
  assert.equal(r.status, 200);
  assert.equal((await seller.get(`/api/v1/activities/${task.id}`)).body.task.escalated_at, null);
  r = await admin.post('/api/v1/admin/clock', { advance_ms: 2 * MIN });
  const escalated = (await seller.get(`/api/v1/activities/${task.id}`)).body;
  assert.ok(escalated.task.escalated_at, 'escalated');
  assert.equal(escalated.task.escalated_to, rop.me.id);
  const notes = await rop.get('/api/v1/notifications?limit=50');
  assert.ok(notes.body.items.some((n) => n.kind === 'activities.task_escalated' && n.params.activity_id === task.id));
});

test('an e-mail really goes out through SMTP from a template and reads back whole', async () => {
  const tpls = await seller.get('/api/v1/activity-templates');
  assert.equal(tpls.status, 200);
  const tpl = tpls.body.items.find((t) => t.channel === 'email');
  assert.ok(tpl, 'the demo has e-mail templates');
  const preview = await seller.post(`/api/v1/activity-templates/${tpl.id}/preview`, { record_type: 'company', record_id: company.id });
  assert.equal(preview.status, 200, preview.text);
  assert.ok(!preview.body.subject.includes('{{'));
  const sent = await log(seller, { kind: 'email', to: ['buyer@kuhni-client.ru', 'director@kuhni-client.ru'],
    cc: ['buh@kuhni-client.ru'], template_id: tpl.id });
  assert.equal(sent.email.status, 'sent', JSON.stringify(sent.email));
  const file = await waitFor(() => {
    const dir = path.join(maildir, 'new');
    const names = readdirSync(dir);
    return names.length ? path.join(dir, names[0]) : null;
  }, 'the e-mail in the maildir');
  // Read back with an independent parser (Python's e-mail package decodes RFC 2047 subjects and the body's charset).
  const parsed = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import email, email.policy, json, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read(), policy=email.policy.default)
b = m.get_body(preferencelist=('plain',))
print(json.dumps({'subject': str(m['subject']), 'to': str(m['to']), 'cc': str(m['cc']), 'from': str(m['from']), 'body': b.get_content() if b else ''}))
`, file], { encoding: 'utf8' }));
  assert.equal(parsed.subject, sent.subject);
  assert.match(parsed.subject, /ООО «Кухни на заказ»/);
  assert.match(parsed.to, /buyer@kuhni-client\.ru/);
  assert.match(parsed.to, /director@kuhni-client\.ru/, 'both recipients in To');
  assert.doesNotMatch(parsed.to, /buh@/, 'the copy is not in To');
  assert.match(parsed.cc, /buh@kuhni-client\.ru/, 'the copy in Cc');
  assert.match(parsed.from, /sales@otdel\.test/);
  assert.match(parsed.body, /Мария Соколова/);
  readFileSync(file);
});

test('a received e-mail logged by hand attaches by the sender address; broken MIME and strangers are refused', async () => {
  const eml = [
    'From: Покупатель <buyer@kuhni-client.ru>', 'To: sales@otdel.test', 'Subject: =?UTF-8?B?' + Buffer.from('Вопрос по смете').toString('base64') + '?=',
    'Message-ID: <q-1@kuhni-client.ru>', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '',
    'Можно ли заменить столешницу на кварц?', '',
  ].join('\r\n');
  const post = (body) => seller.request('POST', '/api/v1/activities/email-import', { body, headers: { 'Content-Type': 'message/rfc822' } });
  const ok = await post(eml);
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.company_id, company.id);
  assert.equal(ok.body.subject, 'Вопрос по смете');
  assert.equal(ok.body.email.direction, 'in');
  assert.equal((await post(eml)).body.id, ok.body.id, 'the same Message-ID once');
  const broken = await post('this is not an e-mail at all');
  assert.equal(broken.status, 422);
  assertFieldError(broken, 'message', 'broken_mime');
  const stranger = await post(eml.replace('buyer@kuhni-client.ru', 'nobody@nowhere.example').replace('q-1@', 'q-2@'));
  assertFieldError(stranger, 'message', 'unknown_sender');
  const huge = await post('From: a@b.ru\r\n\r\n' + 'x'.repeat(11 * 1024 * 1024));
  assert.equal(huge.status, 413);
});

test('a telephony missed call from an unknown number: a lead with the call on its timeline; mentions notify', async () => {
  const ch = await rop.post('/api/v1/intake/channels', { kind: 'telephony', name: 'АТС', secret: 'pbx-shared-secret-0123456789' });
  assert.equal(ch.status, 201, ch.text);
  const ts = Math.floor((await anon.get('/api/v1/health')).body.time / 1000);
  const body = JSON.stringify({ event_id: 'act-call-1', type: 'missed', from: '+7 (915) 321-00-99', started_at: ts, recording_url: 'https://pbx.example/rec/1.mp3' });
  const sig = createHmac('sha256', 'pbx-shared-secret-0123456789').update(`${ts}.${body}`).digest('hex');
  const hook = await anon.request('POST', ch.body.hook_path, { body, headers: { 'Content-Type': 'application/json', 'X-Otdel-Timestamp': String(ts), 'X-Otdel-Signature': sig } });
  assert.equal(hook.status, 200, hook.text);
  assert.equal(hook.body.outcome, 'created_lead');
  const leads = await admin.get('/api/v1/leads?channel=phone&status=all&limit=200');
  const leadId = leads.body.items.find((l) => l.intake_channel_id === ch.body.id)?.id;
  assert.ok(leadId, 'the lead of the call');
  const tl = await admin.get(`/api/v1/activities?record_type=lead&record_id=${leadId}`);
  assert.equal(tl.status, 200, tl.text);
  const call = tl.body.items.find((a) => a.kind === 'call');
  assert.ok(call, 'the call is on the lead');
  assert.equal(call.call.outcome, 'missed');
  assert.equal(call.call.phone, '+79153210099');
  assert.equal(call.call.recording_url, 'https://pbx.example/rec/1.mp3');
  assert.equal(call.call.has_recording, false, 'not allow-listed: kept as a URL only');
  const n = await admin.post('/api/v1/activities', { kind: 'note', record_type: 'lead', record_id: leadId, body: 'Перезвоните, пожалуйста', mentions: [rop.me.id] });
  assert.equal(n.status, 201, n.text);
  const notes = await rop.get('/api/v1/notifications?limit=50');
  assert.ok(notes.body.items.some((x) => x.kind === 'activities.mentioned' && x.params.activity_id === n.body.id));
});
