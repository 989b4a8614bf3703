// Sign-in, the session cookie, /me, CSRF and logout.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, DEMO_ADMIN, DEMO_ROP } from '../lib/server.js';
import { Client, SESSION_COOKIE, signInAdmin, rawRequest } from '../lib/client.js';
import { CYRILLIC, assertFieldError } from '../lib/checks.js';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.dispose(); });

const LOGIN = '/api/v1/auth/login';

test('login sets an HttpOnly SameSite=Lax otdel_session cookie and returns the user with a CSRF token', async () => {
  const c = new Client(server.url);
  const res = await c.post(LOGIN, DEMO_ADMIN);
  assert.equal(res.status, 200);
  const cookie = res.setCookies.find((x) => x.name === SESSION_COOKIE);
  assert.ok(cookie, `Set-Cookie ${SESSION_COOKIE}`);
  assert.ok(cookie.value.length >= 20, 'session token has enough entropy');
  assert.equal(cookie.attrs.httponly, true, 'HttpOnly');
  assert.equal(String(cookie.attrs.samesite).toLowerCase(), 'lax', 'SameSite=Lax');
  assert.equal(cookie.attrs.path, '/', 'Path=/');
  assert.equal(res.body.email, DEMO_ADMIN.email);
  assert.equal(res.body.is_admin, true);
  assert.equal(res.body.locale, 'ru');
  assert.ok(res.body.csrf_token, 'csrf_token');
  assert.ok(!res.text.includes(DEMO_ADMIN.password), 'password never echoed');
  assert.ok(!res.text.includes(cookie.value), 'session token not in the body');
});

test('the e-mail is case-insensitive, the password is not', async () => {
  const c = new Client(server.url);
  const res = await c.post(LOGIN, { email: DEMO_ADMIN.email.toUpperCase(), password: DEMO_ADMIN.password });
  assert.equal(res.status, 200);
  const wrongCase = await new Client(server.url).post(LOGIN, { email: DEMO_ADMIN.email, password: DEMO_ADMIN.password.toUpperCase() });
  assert.equal(wrongCase.status, 401, 'passwords are case-sensitive');
});

test('each login gets a new session cookie, also when the client already has one', async () => {
  const c = new Client(server.url);
  await c.login(DEMO_ADMIN);
  const first = c.session;
  await c.login(DEMO_ADMIN); // sends the old cookie along
  assert.notEqual(c.session, first, 'rotated');
  const other = new Client(server.url);
  await other.login(DEMO_ADMIN);
  assert.notEqual(other.session, c.session);
  assert.notEqual(other.csrf, c.csrf, 'CSRF token is per session');
});

test('wrong password -> 401 invalid_credentials in Russian by default, English with Accept-Language: en', async () => {
  const ru = await new Client(server.url).post(LOGIN, { email: DEMO_ADMIN.email, password: 'wrong-password' });
  assert.equal(ru.status, 401);
  assert.equal(ru.body.code, 'invalid_credentials');
  assert.match(ru.body.detail, CYRILLIC, `Russian detail: ${ru.body.detail}`);
  assert.equal(ru.setCookies.filter((x) => x.name === SESSION_COOKIE && x.value).length, 0, 'no session cookie');

  const en = await new Client(server.url, { lang: 'en-US,en;q=0.9' }).post(LOGIN, { email: DEMO_ADMIN.email, password: 'wrong-password' });
  assert.equal(en.status, 401);
  assert.equal(en.body.code, 'invalid_credentials');
  assert.doesNotMatch(en.body.detail, CYRILLIC, `English detail: ${en.body.detail}`);
  assert.match(en.body.detail, /[A-Za-z]{3,}/);

  const ruExplicit = await new Client(server.url, { lang: 'ru-RU,ru;q=0.9,en;q=0.5' }).post(LOGIN, { email: DEMO_ADMIN.email, password: 'nope' });
  assert.match(ruExplicit.body.detail, CYRILLIC);
});

test('unknown e-mail and wrong password are indistinguishable', async () => {
  const a = await new Client(server.url).post(LOGIN, { email: 'nobody@otdel.demo', password: 'whatever' });
  const b = await new Client(server.url).post(LOGIN, { email: DEMO_ROP.email, password: 'whatever' });
  assert.equal(a.status, 401);
  assert.equal(a.body.code, b.body.code);
  assert.equal(a.body.detail, b.body.detail);
});

test('GET /me: 401 unauthenticated without a cookie, the user with one', async () => {
  const anon = new Client(server.url);
  const none = await anon.get('/api/v1/me');
  assert.equal(none.status, 401);
  assert.equal(none.body.code, 'unauthenticated');

  const c = await signInAdmin(server);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.body.email, DEMO_ADMIN.email);
  assert.equal(me.body.csrf_token, c.csrf, 'same CSRF token as at login');
  assert.ok(me.body.workspace.id >= 1);

  const rop = new Client(server.url);
  await rop.login(DEMO_ROP);
  const rme = await rop.get('/api/v1/me');
  assert.equal(rme.body.is_admin, false);
  assert.equal(rme.body.workspace.id, me.body.workspace.id, 'same demo workspace');
});

test('bad or garbage session cookies -> 401, never 500', async () => {
  const values = ['garbage', '', 'A'.repeat(4000), '%00%ff%fe', '"quoted"', 'a.b.c', '../../etc/passwd', "' OR 1=1 --"];
  for (const v of values) {
    const res = await rawRequest(server.url, { path: '/api/v1/me', headers: { Cookie: `${SESSION_COOKIE}=${v}` } });
    assert.equal(res.status, 401, `cookie ${JSON.stringify(v.slice(0, 20))}: ${res.status} ${res.body.toString().slice(0, 200)}`);
    assert.match(res.headers['content-type'], /^application\/problem\+json/);
    const body = JSON.parse(res.body.toString());
    assert.ok(['unauthenticated', 'session_expired'].includes(body.code), body.code);
  }
  const binary = await rawRequest(server.url, { path: '/api/v1/me', headers: { Cookie: Buffer.from(`${SESSION_COOKIE}=\u00ff\u00fe\u0080`, 'latin1').toString('latin1') } });
  assert.equal(binary.status, 401);
  // A valid session with junk cookies around it still works.
  const c = await signInAdmin(server);
  const mixed = await rawRequest(server.url, { path: '/api/v1/me', headers: { Cookie: `a=1; ${SESSION_COOKIE}=${c.session}; theme=dark` } });
  assert.equal(mixed.status, 200);
});

test('CSRF: state changes with a cookie session need the session\'s X-CSRF-Token', async () => {
  const c = await signInAdmin(server);
  const without = await c.patch('/api/v1/me', { full_name: 'Без токена' }, { csrf: false });
  assert.equal(without.status, 403);
  assert.equal(without.body.code, 'csrf_failed');

  const wrong = await c.patch('/api/v1/me', { full_name: 'Чужой токен' }, { csrf: false, headers: { 'X-CSRF-Token': 'x'.repeat(43) } });
  assert.equal(wrong.status, 403);
  assert.equal(wrong.body.code, 'csrf_failed');

  const other = await signInAdmin(server);
  const crossed = await c.patch('/api/v1/me', { full_name: 'Токен другой сессии' }, { csrf: false, headers: { 'X-CSRF-Token': other.csrf } });
  assert.equal(crossed.status, 403, 'a CSRF token of another session is refused');

  const unchanged = await c.get('/api/v1/me');
  assert.notEqual(unchanged.body.full_name, 'Без токена');

  const ok = await c.patch('/api/v1/me', { full_name: 'Администратор Демо' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.full_name, 'Администратор Демо');
  assert.equal((await c.get('/api/v1/me')).body.full_name, 'Администратор Демо');

  const logoutWithout = await c.post('/api/v1/auth/logout', undefined, { csrf: false });
  assert.equal(logoutWithout.status, 403);
  assert.equal(logoutWithout.body.code, 'csrf_failed');
  assert.equal((await c.get('/api/v1/me')).status, 200, 'still signed in');
});

test('PATCH /me validation: lengths in characters, locale enum, no empty patch, no unknown fields', async () => {
  const c = await signInAdmin(server);
  const max = await c.patch('/api/v1/me', { full_name: 'Я'.repeat(200) });
  assert.equal(max.status, 200, '200 Cyrillic characters are within maxLength 200');
  const long = await c.patch('/api/v1/me', { full_name: 'Я'.repeat(201) });
  assert.equal(long.status, 422);
  assertFieldError(long, 'full_name', 'too_long');
  const empty = await c.patch('/api/v1/me', { full_name: '' });
  assert.equal(empty.status, 422);
  assertFieldError(empty, 'full_name', 'too_short');
  const locale = await c.patch('/api/v1/me', { locale: 'de' });
  assert.equal(locale.status, 422);
  assertFieldError(locale, 'locale', 'not_one_of');
  const none = await c.patch('/api/v1/me', {});
  assert.equal(none.status, 422);
  const unknown = await c.patch('/api/v1/me', { is_admin: false });
  assert.equal(unknown.status, 422);
  assertFieldError(unknown, 'is_admin', 'unknown_field');
  assert.equal((await c.get('/api/v1/me')).body.is_admin, true, 'is_admin untouched');
});

test('the user\'s locale decides the language of messages, over Accept-Language', async () => {
  const c = await signInAdmin(server);
  const ru = await c.patch('/api/v1/me', { locale: 'de' }, { headers: { 'Accept-Language': 'en' } });
  assert.match(ru.body.detail, CYRILLIC, 'Russian user: Russian even with Accept-Language: en');
  assert.equal((await c.patch('/api/v1/me', { locale: 'en' })).body.locale, 'en');
  try {
    const en = await c.patch('/api/v1/me', { locale: 'de' }, { headers: { 'Accept-Language': 'ru' } });
    assert.equal(en.status, 422);
    assert.doesNotMatch(en.body.detail, CYRILLIC, `English user: ${en.body.detail}`);
    for (const e of en.body.errors) assert.doesNotMatch(e.message, CYRILLIC, e.message);
  } finally {
    assert.equal((await c.patch('/api/v1/me', { locale: 'ru' })).status, 200);
  }
});

test('logout ends the session on the server: the old cookie replayed -> 401', async () => {
  const c = await signInAdmin(server);
  const old = c.session;
  // Used just before: the server may answer it from its session cache (auth.session_cache_ms), which logout must end.
  assert.equal((await c.get('/api/v1/me')).status, 200);
  const res = await c.post('/api/v1/auth/logout');
  assert.equal(res.status, 204);
  const cleared = res.setCookies.find((x) => x.name === SESSION_COOKIE);
  assert.ok(cleared, 'logout clears the cookie');
  assert.ok(cleared.value === '' || cleared.attrs['max-age'] === '0' || Date.parse(cleared.attrs.expires) < Date.now(),
    `cookie expired: ${JSON.stringify(cleared)}`);
  const replay = await rawRequest(server.url, { path: '/api/v1/me', headers: { Cookie: `${SESSION_COOKIE}=${old}` } });
  assert.equal(replay.status, 401);
  const again = new Client(server.url);
  again.cookies.set(SESSION_COOKIE, old);
  again.csrf = c.csrf;
  assert.equal((await again.post('/api/v1/auth/logout')).status, 401, 'logout with a dead session -> 401');
});

test('logout without a session -> 401', async () => {
  const res = await new Client(server.url).post('/api/v1/auth/logout');
  assert.equal(res.status, 401);
});
