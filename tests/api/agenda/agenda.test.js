// The agenda room over HTTP (ACT-2, ACT-3, ACT-4) on the demo workspace: a seller's daily plan and who may open whose
// (the head drills in, a colleague gets 404), the head's team counts; call reviews by role — the head reviews, the
// seller sees it and cannot review themself, a colleague sees nothing, the analyst reads but does not review —; the
// iCalendar feed behind a secret URL read without a session and parsed by an independent parser (python3-icalendar),
// revoked and regenerated URLs answering 404; a meeting dragged in the week view; reminders on the manual clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer } from '../lib/server.js';
import { Client, signIn, signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

let server, admin, rop, seller, colleague, analyst;
const demo = (email) => ({ email, password: 'otdel-demo' });
const MIN = 60 * 1000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

before(async () => {
  server = await startServer({ extraArgs: ['--session-idle-minutes', '100000'] });
  admin = await signInAdmin(server);
  rop = await signInRop(server);
  seller = await signIn(server, demo('sales@otdel.demo'));
  colleague = await signIn(server, demo('designer3@otdel.demo'));
  analyst = await signIn(server, demo('analyst@otdel.demo'));
});
after(async () => { await server?.dispose(); });

async function now() {
  const r = await admin.get('/api/v1/admin/clock');
  assert.equal(r.status, 200, r.text);
  return r.body.now;
}
async function deal(who, title) {
  const d = await who.post('/api/v1/deals', { title });
  assert.equal(d.status, 201, d.text);
  return d.body.id;
}
async function activity(who, body) {
  const r = await who.post('/api/v1/activities', { record_type: 'deal', ...body });
  assert.equal(r.status, 201, r.text);
  return r.body;
}
// A short valid WAV (8 kHz, 8-bit mono) of `seconds`, as a recorder would upload it.
function wav(seconds) {
  const n = seconds * 8000;
  const b = Buffer.alloc(44 + n);
  b.write('RIFF', 0); b.writeUInt32LE(36 + n, 4); b.write('WAVEfmt ', 8); b.writeUInt32LE(16, 16);
  b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(8000, 24); b.writeUInt32LE(8000, 28);
  b.writeUInt16LE(1, 32); b.writeUInt16LE(8, 34); b.write('data', 36); b.writeUInt32LE(n, 40);
  for (let i = 0; i < n; i++) b[44 + i] = 128 + Math.round(60 * Math.sin((2 * Math.PI * 220 * i) / 8000));
  return b;
}
async function recordedCall(who, dealId, seconds) {
  const call = await activity(who, { kind: 'call', record_id: dealId, subject: 'Звонок по кухне', direction: 'out',
    outcome: 'answered', duration_s: seconds, phone: '+74951234567' });
  const up = await who.request('PUT', `/api/v1/activities/${call.id}/recording?file_name=call.wav`,
    { body: wav(seconds), headers: { 'content-type': 'audio/wav' } });
  assert.equal(up.status, 200, up.text);
  return call.id;
}

// The manual clock starts at the machine's time; a meeting two hours ahead must still fall on the same Moscow day, so
// late in the evening the clock moves on to the next morning first (it only moves forward).
async function nowWithHoursLeftToday(hours) {
  const t = await now();
  const msk = 3 * HOUR;
  const sinceMidnight = (t + msk) % DAY;
  if (sinceMidnight + hours * HOUR < DAY && sinceMidnight >= 8 * HOUR) return t;
  const nextMorning = sinceMidnight < 8 * HOUR ? t - sinceMidnight + 9 * HOUR : t - sinceMidnight + DAY + 9 * HOUR;
  const moved = await admin.post('/api/v1/admin/clock', { advance_ms: nextMorning - t });
  assert.equal(moved.status, 200, moved.text);
  return now();
}

test('a seller\'s daily plan: every section, the head drills in, a colleague gets 404, the team view', async () => {
  const t = await nowWithHoursLeftToday(4);
  const d = await deal(seller, 'Кухня для плана дня');
  const meeting = await activity(seller, { kind: 'meeting', record_id: d, subject: 'Замер на объекте',
    starts_at: t + 2 * HOUR, ends_at: t + 3 * HOUR, place: 'Москва, ул. Лесная, 5' });
  const overdue = await activity(seller, { kind: 'task', record_id: d, subject: 'Отправить КП', due_at: t - DAY });
  await activity(seller, { kind: 'call', record_id: d, subject: 'Уточнить размеры', direction: 'out',
    outcome: 'answered', duration_s: 120, phone: '+74951234567' });

  const day = await seller.get('/api/v1/agenda/day');
  assert.equal(day.status, 200, day.text);
  assert.equal(day.body.user_id, seller.me.id);
  assert.match(day.body.date, /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(day.body.meetings.some((m) => m.id === meeting.id), 'today\'s meeting');
  assert.ok(day.body.overdue.some((x) => x.id === overdue.id), 'the overdue task');
  assert.ok(day.body.calls.length >= 1);
  assert.equal(day.body.has_team, false);
  assert.equal(day.body.counts.meetings, day.body.meetings.length);

  const sellerId = day.body.user_id;
  const drill = await rop.get(`/api/v1/agenda/day?user_id=${sellerId}`);
  assert.equal(drill.status, 200, drill.text);
  assert.ok(drill.body.meetings.some((m) => m.id === meeting.id));
  assert.equal((await colleague.get(`/api/v1/agenda/day?user_id=${sellerId}`)).status, 404);
  const bad = await seller.get('/api/v1/agenda/day?date=2026-02-30');
  assert.equal(bad.status, 400);

  const team = await rop.get('/api/v1/agenda/team');
  assert.equal(team.status, 200, team.text);
  const row = team.body.people.find((p) => p.user_id === sellerId);
  assert.ok(row, 'the seller is in the head\'s team');
  assert.ok(row.overdue >= 1 && row.meetings >= 1);
  assert.ok(team.body.people.length >= 8, 'the whole demo team');
  assert.equal(team.body.totals.overdue, team.body.people.reduce((s, p) => s + p.overdue, 0));
  const own = await seller.get('/api/v1/agenda/team');
  assert.deepEqual(own.body.people.map((p) => p.user_id), [sellerId]);
});

test('reviews by role: the head reviews, the seller sees it and cannot review themself, others cannot', async () => {
  const d = await deal(seller, 'Кухня для разбора');
  const call = await recordedCall(seller, d, 40);
  const queue = await rop.get('/api/v1/reviews/queue');
  assert.equal(queue.status, 200, queue.text);
  assert.ok(queue.body.items.some((q) => q.activity_id === call && q.has_recording));
  assert.deepEqual((await seller.get('/api/v1/reviews/queue')).body.items, []);

  const criteria = (await rop.get('/api/v1/review-criteria')).body.items;
  assert.ok(criteria.length >= 5);
  assert.equal(criteria[0].code, 'greeting');
  const marks = criteria.map((c, i) => ({ criterion_id: c.id, mark: i === 1 ? 1 : 2 }));

  const self = await seller.post('/api/v1/reviews', { activity_id: call, marks });
  assert.equal(self.status, 403);
  assert.equal(self.body.code, 'forbidden');
  assert.match(self.body.detail, /собственный/);
  assert.equal((await colleague.post('/api/v1/reviews', { activity_id: call, marks })).status, 404);
  const byAnalyst = await analyst.post('/api/v1/reviews', { activity_id: call, marks });
  assert.equal(byAnalyst.status, 403);

  const late = await rop.post('/api/v1/reviews', { activity_id: call, marks,
    comments: [{ at_second: 41, body: 'После конца записи' }] });
  assert.equal(late.status, 422);
  assertFieldError(late, 'comments/0/at_second', 'out_of_range');
  const badMark = await rop.post('/api/v1/reviews', { activity_id: call, marks: [{ criterion_id: criteria[0].id, mark: 5 }] });
  assertFieldError(badMark, 'marks/0/mark', 'out_of_range');

  const r = await rop.post('/api/v1/reviews', { activity_id: call, marks, summary: 'Хорошо, но без бюджета',
    comments: [{ at_second: 12, body: 'Здесь спросить про бюджет' }] });
  assert.equal(r.status, 201, r.text);
  const needs = criteria[1].weight;
  const total = criteria.reduce((s, c) => s + c.weight, 0);
  assert.equal(r.body.score_bp, Math.round(((2 * total - needs) * 10000) / (2 * total)));
  assert.equal(r.body.comments[0].at_second, 12);
  assert.equal((await rop.post('/api/v1/reviews', { activity_id: call, marks })).status, 409);

  const mine = await seller.get('/api/v1/reviews?user_id=me');
  assert.equal(mine.status, 200, mine.text);
  assert.ok(mine.body.items.some((x) => x.id === r.body.id));
  assert.equal((await seller.get(`/api/v1/reviews/${r.body.id}`)).status, 200);
  assert.equal((await colleague.get(`/api/v1/reviews/${r.body.id}`)).status, 404);
  assert.equal((await analyst.get(`/api/v1/reviews/${r.body.id}`)).status, 200);
  const notes = (await seller.get('/api/v1/notifications')).body.items;
  assert.ok(notes.some((n) => n.kind === 'agenda.review_created' && n.params.review_id === r.body.id));

  const c = await rop.post(`/api/v1/reviews/${r.body.id}/comments`, { at_second: 30, body: 'Следующий шаг — отлично' });
  assert.equal(c.status, 201, c.text);
  assert.equal((await seller.post(`/api/v1/reviews/${r.body.id}/comments`, { at_second: 3, body: 'Не согласен' })).status, 403);

  const today = (await seller.get('/api/v1/agenda/day')).body.date;
  const scores = await rop.get(`/api/v1/reviews/scores?from=${today}&to=${today}`);
  assert.equal(scores.status, 200, scores.text);
  const mineScore = scores.body.items.find((s) => s.user_id === r.body.reviewed_user_id);
  assert.ok(mineScore && mineScore.reviews >= 1);
  const sellerScores = await seller.get(`/api/v1/reviews/scores?from=${today}&to=${today}`);
  assert.ok(sellerScores.body.items.every((s) => s.user_id === r.body.reviewed_user_id));

  // Only administrators and organisation-level roles change the checklist.
  assert.equal((await seller.put('/api/v1/review-criteria', { items: criteria })).status, 403);
  const wrong = await rop.put('/api/v1/review-criteria', { items: [{ code: 'Bad code', label_ru: '', label_en: 'x', weight: 0 }] });
  assert.equal(wrong.status, 422);
  assertFieldError(wrong, 'items/0/code', 'invalid');
  assertFieldError(wrong, 'items/0/weight', 'out_of_range');
});

test('the iCalendar feed: secret URL without a session, parsed by python3-icalendar; revoked and regenerated -> 404',
  async () => {
    const t = await now();
    const d = await deal(seller, 'Кухня для календаря');
    const meeting = await activity(seller, { kind: 'meeting', record_id: d, subject: 'Встреча, замер; договор',
      starts_at: t + DAY, ends_at: t + DAY + HOUR, place: 'Офис, переговорная 2' });
    await activity(seller, { kind: 'task', record_id: d, subject: 'Подписать договор', due_at: t + 2 * DAY });

    const feed = await seller.post('/api/v1/calendar/feeds', { scope: 'user' });
    assert.equal(feed.status, 201, feed.text);
    assert.equal(feed.body.token.length, 64);
    const anonymous = new Client(server.url);
    const ics = await anonymous.get(feed.body.path, { auth: false });
    assert.equal(ics.status, 200);
    assert.match(ics.headers.get('content-type'), /^text\/calendar/);

    const script = `
import sys, json, icalendar
cal = icalendar.Calendar.from_ical(sys.stdin.buffer.read())
assert cal.name == 'VCALENDAR' and str(cal['VERSION']) == '2.0' and 'PRODID' in cal
out = []
for ev in cal.walk('VEVENT'):
    s, e = ev.decoded('DTSTART'), ev.decoded('DTEND')
    assert s.tzinfo is not None and e > s, (s, e)
    for p in ('UID', 'DTSTAMP', 'SUMMARY'):
        assert p in ev, p
    out.append({'uid': str(ev['UID']), 'summary': str(ev['SUMMARY']), 'start': int(s.timestamp() * 1000),
                'location': str(ev.get('LOCATION', '')), 'alarms': len(ev.walk('VALARM'))})
uids = [o['uid'] for o in out]
assert len(uids) == len(set(uids)), 'UIDs are unique'
print(json.dumps(out))
`;
    const parsed = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: ics.text }).toString());
    const ev = parsed.find((e) => e.uid.startsWith(`activity-${meeting.id}@`));
    assert.ok(ev, 'the meeting is in the feed');
    assert.equal(ev.summary, 'Встреча, замер; договор');
    assert.equal(ev.start, Math.floor((t + DAY) / 1000) * 1000);
    assert.equal(ev.location, 'Офис, переговорная 2');
    assert.equal(ev.alarms, 1);
    assert.ok(parsed.some((e) => e.summary === 'Задача: Подписать договор'));

    const team = await rop.post('/api/v1/calendar/feeds', { scope: 'team' });
    const teamIcs = await anonymous.get(team.body.path, { auth: false });
    assert.equal(teamIcs.status, 200);
    assert.ok(teamIcs.text.includes(`activity-${meeting.id}@`), 'the head\'s team feed has the seller\'s meeting');

    const again = await seller.post(`/api/v1/calendar/feeds/${feed.body.id}/regenerate`);
    assert.equal(again.status, 201, again.text);
    assert.equal((await anonymous.get(feed.body.path, { auth: false })).status, 404);
    assert.equal((await anonymous.get(again.body.path, { auth: false })).status, 200);
    assert.equal((await colleague.delete(`/api/v1/calendar/feeds/${again.body.id}`)).status, 404);
    assert.equal((await seller.delete(`/api/v1/calendar/feeds/${again.body.id}`)).status, 204);
    assert.equal((await anonymous.get(again.body.path, { auth: false })).status, 404);
    assert.equal((await anonymous.get('/api/v1/ical/0123', { auth: false })).status, 404);
    const list = await seller.get('/api/v1/calendar/feeds');
    assert.ok(list.body.items.every((f) => !('token' in f)));
  });

test('week view, drag to reschedule, and a reminder 15 minutes before on the manual clock', async () => {
  const t = await now();
  const d = await deal(seller, 'Кухня для напоминания');
  const meeting = await activity(seller, { kind: 'meeting', record_id: d, subject: 'Презентация проекта',
    starts_at: t + HOUR, ends_at: t + 2 * HOUR, participants: [{ user_id: rop.me.id }] });

  const week = await seller.get(`/api/v1/calendar/events?from=${t - DAY}&to=${t + 6 * DAY}`);
  assert.equal(week.status, 200, week.text);
  const ev = week.body.items.find((e) => e.id === meeting.id);
  assert.ok(ev && ev.editable);
  assert.equal((await seller.get(`/api/v1/calendar/events?from=${t}&to=${t + 60 * DAY}`)).status, 400);

  const back = await seller.patch(`/api/v1/calendar/meetings/${meeting.id}`, { starts_at: t + 3 * HOUR, ends_at: t + 2 * HOUR });
  assert.equal(back.status, 422);
  assertFieldError(back, 'ends_at', 'before_start');
  assert.equal((await colleague.patch(`/api/v1/calendar/meetings/${meeting.id}`,
    { starts_at: t + 3 * HOUR, ends_at: t + 4 * HOUR })).status, 404);
  const moved = await seller.patch(`/api/v1/calendar/meetings/${meeting.id}`,
    { starts_at: t + 90 * MIN, ends_at: t + 150 * MIN });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.body.start, t + 90 * MIN);

  const reminders = async (who) => (await who.get('/api/v1/notifications')).body.items
    .filter((n) => n.kind === 'agenda.meeting_reminder' && n.params.activity_id === meeting.id);
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 74 * MIN })).status, 200);
  assert.equal((await reminders(seller)).length, 0, 'not yet: 16 minutes before');
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 1 * MIN })).status, 200);
  const got = await reminders(seller);
  assert.equal(got.length, 1, 'reminded 15 minutes before');
  assert.equal(got[0].params.minutes, 15);
  assert.equal((await reminders(rop)).length, 1, 'the participant too');
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 5 * MIN })).status, 200);
  assert.equal((await reminders(seller)).length, 1, 'once');
});

test('a meeting booked or moved through the activities API is reminded exactly 15 minutes before', async () => {
  // Booked 16 minutes ahead: the reminder is due a minute later, well before the 10-minute sweep would plan it.
  const t = await now();
  const d = await deal(seller, 'Кухня: срочный замер');
  const soon = await activity(seller, { kind: 'meeting', record_id: d, subject: 'Замер на объекте',
    starts_at: t + 16 * MIN, ends_at: t + 46 * MIN });
  const later = await activity(seller, { kind: 'meeting', record_id: d, subject: 'Подписание договора',
    starts_at: t + 3 * HOUR, ends_at: t + 4 * HOUR });
  const reminders = async (m) => (await seller.get('/api/v1/notifications')).body.items
    .filter((n) => n.kind === 'agenda.meeting_reminder' && n.params.activity_id === m.id);
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 1 * MIN })).status, 200);
  const got = await reminders(soon);
  assert.equal(got.length, 1, 'reminded 15 minutes before');
  assert.equal(got[0].params.minutes, 15);
  // Moved through the activities API to 16 minutes from now: the reminder follows the new start.
  const moved = await seller.patch(`/api/v1/activities/${later.id}`,
    { starts_at: t + 17 * MIN, ends_at: t + 47 * MIN });
  assert.equal(moved.status, 200, moved.text);
  assert.equal((await reminders(later)).length, 0, 'not yet: 16 minutes before');
  assert.equal((await admin.post('/api/v1/admin/clock', { advance_ms: 1 * MIN })).status, 200);
  assert.equal((await reminders(later)).length, 1, 'reminded 15 minutes before the new start');
});
