// Work calendars over HTTP: the workspace calendar, overrides, the production calendar's days, and the
// "is P working at T" / "T + N working minutes" queries that every SLA uses.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.js';
import { signInAdmin, signInRop } from '../lib/client.js';
import { assertFieldError } from '../lib/checks.js';

const HOUR = 3_600_000;
// An instant given as Moscow local time (UTC+3 all year).
const msk = (y, mo, d, h = 0, mi = 0) => Date.UTC(y, mo - 1, d, h, mi) - 3 * HOUR;
const nineToSix = [{ start: '09:00', end: '18:00' }];
// The shared client has no put(); PUT is only used here so far.
const put = (client, path, json, opts = {}) => client.request('PUT', path, { ...opts, json });
const DEFAULT_WEEK = { mon: nineToSix, tue: nineToSix, wed: nineToSix, thu: nineToSix, fri: nineToSix, sat: [], sun: [] };

let server;
let admin;
let rop;
before(async () => {
  server = await startServer();
  admin = await signInAdmin(server);
  rop = await signInRop(server);
});
after(async () => { await server?.dispose(); });

test('everyone signed in reads the workspace calendar: Monday to Friday 09:00–18:00, Moscow', async () => {
  const res = await rop.get('/api/v1/calendars/workspace');
  assert.equal(res.status, 200);
  assert.equal(res.body.scope, 'workspace');
  assert.equal(res.body.time_zone, 'Europe/Moscow');
  assert.deepEqual(res.body.week, DEFAULT_WEEK);
  assert.deepEqual(res.body.effective.week, DEFAULT_WEEK);
});

test('the 2026 production calendar is there, official, and 2027 says it is derived by rule', async () => {
  const y2026 = await rop.get('/api/v1/calendars/days?year=2026');
  assert.equal(y2026.status, 200);
  assert.equal(y2026.body.builtin, true);
  assert.equal(y2026.body.official, true);
  assert.match(y2026.body.source, /1466/);
  const byDate = Object.fromEntries(y2026.body.items.map((d) => [d.date, d]));
  assert.equal(byDate['2026-01-09'].kind, 'holiday');
  assert.equal(byDate['2026-12-31'].kind, 'holiday');
  assert.equal(byDate['2026-04-30'].kind, 'short');
  assert.equal(y2026.body.items.length, 22);
  const y2027 = await rop.get('/api/v1/calendars/days?year=2027');
  assert.equal(y2027.body.official, false);
  assert.match(y2027.body.source, /derived by rule; check the government decree/);
  const y2031 = await rop.get('/api/v1/calendars/days?year=2031');
  assert.equal(y2031.body.builtin, false);
  assert.deepEqual(y2031.body.items, []);
});

test('days: a bad year is refused', async () => {
  const res = await rop.get('/api/v1/calendars/days?year=20x6');
  assert.equal(res.status, 422);
  const missing = await rop.get('/api/v1/calendars/days');
  assert.equal(missing.status, 422);
});

test('is-working and deadline follow weekends, public holidays and the New Year break', async () => {
  const id = rop.me.id;
  const monday = await rop.get(`/api/v1/calendars/employees/${id}/working?at=${msk(2026, 11, 23, 12)}`);
  assert.equal(monday.status, 200);
  assert.equal(monday.body.working, true);
  assert.equal(monday.body.next_working_at, null);
  assert.equal(monday.body.time_zone, 'Europe/Moscow');
  const unityDay = await rop.get(`/api/v1/calendars/employees/${id}/working?at=${msk(2026, 11, 4, 12)}`);
  assert.equal(unityDay.body.working, false);
  assert.equal(unityDay.body.next_working_at, msk(2026, 11, 5, 9));
  const deadline = await rop.get(`/api/v1/calendars/employees/${id}/deadline?from=${msk(2026, 12, 30, 17)}&minutes=120`);
  assert.equal(deadline.status, 200);
  assert.equal(deadline.body.deadline, msk(2027, 1, 11, 10));
  assert.equal(deadline.body.minutes, 120);
});

test('queries: unknown person 404, minutes out of range and missing 422', async () => {
  assert.equal((await rop.get('/api/v1/calendars/employees/999999/working')).status, 404);
  const big = await rop.get(`/api/v1/calendars/employees/${rop.me.id}/deadline?minutes=600000`);
  assert.equal(big.status, 422);
  assertFieldError(big, 'minutes', 'out_of_range');
  const missing = await rop.get(`/api/v1/calendars/employees/${rop.me.id}/deadline`);
  assertFieldError(missing, 'minutes', 'required');
});

test('only administrators change calendars', async () => {
  const ws = await put(rop, '/api/v1/calendars/workspace', { time_zone: 'Europe/Moscow', week: DEFAULT_WEEK });
  assert.equal(ws.status, 403);
  const post = await rop.post('/api/v1/calendars/days', { date: '2026-12-28', kind: 'holiday' });
  assert.equal(post.status, 403);
  const override = await put(rop, `/api/v1/calendars/employees/${rop.me.id}`, { time_zone: 'Asia/Vladivostok' });
  assert.equal(override.status, 403);
});

test('workspace calendar: bad settings give every field error at once, in the caller\'s language', async () => {
  const res = await put(admin, '/api/v1/calendars/workspace', {
    time_zone: 'Europe/Atlantis',
    week: { mon: [{ start: '9:00', end: '18:00' }], fri: [{ start: '22:00', end: '06:00' }], sat: [{ start: '05:00', end: '09:00' }], tue: [{ start: '10:00', end: '10:00' }], funday: [] },
  }, { headers: { 'Accept-Language': 'en' } });
  assert.equal(res.status, 422);
  assertFieldError(res, 'time_zone', 'invalid_time_zone');
  assertFieldError(res, 'week/mon/0/start', 'invalid_clock');
  assertFieldError(res, 'week/funday', 'unknown_field');
  const overlap = await put(admin, '/api/v1/calendars/workspace', {
    time_zone: 'Europe/Moscow',
    week: { fri: [{ start: '22:00', end: '06:00' }], sat: [{ start: '05:00', end: '09:00' }], tue: [{ start: '10:00', end: '10:00' }] },
  });
  assert.equal(overlap.status, 422);
  assertFieldError(overlap, 'week/tue/0', 'invalid_interval');
  const overnight = await put(admin, '/api/v1/calendars/workspace', {
    time_zone: 'Europe/Moscow',
    week: { fri: [{ start: '22:00', end: '06:00' }], sat: [{ start: '05:00', end: '09:00' }] },
  });
  assert.equal(overnight.status, 422);
  assertFieldError(overnight, 'week/sat', 'overlapping_intervals');
  assert.match(overnight.body.errors[0].message, /[А-Яа-яЁё]/, 'Russian by default');
});

test('workspace calendar: an overnight shift is stored, used and audited; then restored', async () => {
  const night = { ...DEFAULT_WEEK, fri: [{ start: '09:00', end: '18:00' }, { start: '22:00', end: '06:00' }] };
  const res1 = await put(admin, '/api/v1/calendars/workspace', { time_zone: 'Europe/Moscow', week: night });
  assert.equal(res1.status, 200);
  assert.equal(res1.body.overridden, true);
  assert.deepEqual(res1.body.week.fri, night.fri);
  // Saturday 28 Nov 2026 03:00 belongs to Friday's night shift.
  const sat = await rop.get(`/api/v1/calendars/employees/${rop.me.id}/working?at=${msk(2026, 11, 28, 3)}`);
  assert.equal(sat.body.working, true);
  const log = await admin.get('/api/v1/audit-log?object_type=work_calendar');
  assert.ok(log.body.items.some((r) => r.action === 'work_calendar.create' && r.after.week.fri === '09:00-18:00,22:00-06:00'));
  const back = await put(admin, '/api/v1/calendars/workspace', { time_zone: 'Europe/Moscow', week: DEFAULT_WEEK });
  assert.equal(back.status, 200);
});

test('employee override: another time zone and no holidays, then removed', async () => {
  const id = rop.me.id;
  const res1 = await put(admin, `/api/v1/calendars/employees/${id}`, { time_zone: 'Asia/Vladivostok', week: null, holidays: 'none' });
  assert.equal(res1.status, 200);
  assert.equal(res1.body.overridden, true);
  assert.equal(res1.body.week, null);
  assert.equal(res1.body.effective.time_zone, 'Asia/Vladivostok');
  assert.deepEqual(res1.body.effective.week, DEFAULT_WEEK);
  assert.equal(res1.body.effective.holidays, 'none');
  // Wed 4 Nov 2026 (a holiday for the workspace) 09:00 in Vladivostok = 02:00 Moscow.
  const at = msk(2026, 11, 4, 2);
  assert.equal((await rop.get(`/api/v1/calendars/employees/${id}/working?at=${at}`)).body.working, true);
  const bad = await put(admin, `/api/v1/calendars/employees/${id}`, { time_zone: 'Nowhere/City' });
  assertFieldError(bad, 'time_zone', 'invalid_time_zone');
  assert.equal((await admin.delete(`/api/v1/calendars/employees/${id}`)).status, 204);
  assert.equal((await admin.delete(`/api/v1/calendars/employees/${id}`)).status, 404);
  const after = await rop.get(`/api/v1/calendars/employees/${id}`);
  assert.equal(after.body.overridden, false);
  assert.equal((await rop.get(`/api/v1/calendars/employees/${id}/working?at=${at}`)).body.working, false);
  assert.equal((await put(admin, '/api/v1/calendars/employees/999999', { time_zone: 'Europe/Moscow' })).status, 404);
  assert.equal((await put(admin, '/api/v1/calendars/departments/999999', { time_zone: 'Europe/Moscow' })).status, 404);
});

test('days: add, refuse a duplicate and bad input, change, delete — each audited', async () => {
  const bad = await admin.post('/api/v1/calendars/days', { date: '2026-02-30', kind: 'sometimes', hours: [{ start: '25:00', end: '10:00' }] });
  assert.equal(bad.status, 422);
  assertFieldError(bad, 'date', 'invalid_date');
  assertFieldError(bad, 'kind', 'not_one_of');
  assertFieldError(bad, 'hours/0/start', 'invalid_clock');
  const holidayWithHours = await admin.post('/api/v1/calendars/days', { date: '2026-12-28', kind: 'holiday', hours: [{ start: '09:00', end: '10:00' }] });
  assertFieldError(holidayWithHours, 'hours', 'hours_not_allowed');

  const created = await admin.post('/api/v1/calendars/days', { date: '2026-12-28', kind: 'short', hours: [{ start: '09:00', end: '15:00' }], name: 'Перед отпуском' });
  assert.equal(created.status, 201);
  assert.equal(created.body.source, 'manual');
  assert.deepEqual(created.body.hours, [{ start: '09:00', end: '15:00' }]);
  const dup = await admin.post('/api/v1/calendars/days', { date: '2026-12-28', kind: 'holiday' });
  assert.equal(dup.status, 409);
  const ends = await rop.get(`/api/v1/calendars/employees/${rop.me.id}/working?at=${msk(2026, 12, 28, 15)}`);
  assert.equal(ends.body.working, false);

  const changed = await admin.patch(`/api/v1/calendars/days/${created.body.id}`, { kind: 'holiday' });
  assert.equal(changed.status, 200);
  assert.deepEqual(changed.body.hours, []);
  const moveOnto = await admin.patch(`/api/v1/calendars/days/${created.body.id}`, { date: '2026-11-04' });
  assert.equal(moveOnto.status, 409);
  const empty = await admin.patch(`/api/v1/calendars/days/${created.body.id}`, {});
  assert.equal(empty.status, 422);

  assert.equal((await admin.delete(`/api/v1/calendars/days/${created.body.id}`)).status, 204);
  assert.equal((await admin.delete(`/api/v1/calendars/days/${created.body.id}`)).status, 404);
  const log = await admin.get('/api/v1/audit-log?object_type=calendar_day');
  const actions = log.body.items.filter((r) => r.object_id === created.body.id).map((r) => r.action);
  assert.deepEqual(actions, ['calendar_day.delete', 'calendar_day.update', 'calendar_day.create']);
});

test('a deleted built-in day stays deleted and the day counts again as working', async () => {
  const y = await admin.get('/api/v1/calendars/days?year=2027');
  const jan8 = y.body.items.find((d) => d.date === '2027-01-08');
  assert.equal((await admin.delete(`/api/v1/calendars/days/${jan8.id}`)).status, 204);
  const again = await admin.get('/api/v1/calendars/days?year=2027');
  assert.ok(!again.body.items.some((d) => d.date === '2027-01-08'));
  const working = await rop.get(`/api/v1/calendars/employees/${rop.me.id}/working?at=${msk(2027, 1, 8, 10)}`);
  assert.equal(working.body.working, true);
});
