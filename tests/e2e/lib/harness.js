// Shared set-up for the journeys: one headless Debian Chromium per test file, a fresh browser
// context (cookies, localStorage) per journey, and guards that fail on page errors or CSP violations.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.BASE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../artifacts');

export const ADMIN = { email: 'admin@otdel.demo', password: 'otdel-admin', name: 'Анна Смирнова' };
export const ROP = { email: 'rop@otdel.demo', password: 'otdel-rop', name: 'Игорь Петров' };

/**
 * How long a UI expectation may take before it counts as failed. 20 s, not 10: on a 2-core machine running the -O1
 * test build beside other work, the head's dashboard (charts, seven widgets) has been seen taking over 10 s to settle,
 * and a click made meanwhile (the user menu's "sign out") then waited out a 10 s response timer. A journey that
 * passes takes no longer for it.
 */
export const TIMEOUT = 20_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts the browser for this test file. Returns an object whose `open()` gives a fresh page
 * in a fresh context (like a new private window) with the given browser language.
 */
export function useBrowser() {
  const state = { browser: null, contexts: [] };

  before(async () => {
    // Playwright gives every launch a fresh temporary user-data-dir and deletes it on close.
    state.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
      timeout: 30_000,
    });
  });

  after(async () => {
    for (const context of state.contexts) await context.close().catch(() => {});
    await state.browser?.close();
  });

  return {
    /** A fresh page; `problems` collects page errors and CSP violations seen while it lives. */
    async open({ locale = 'ru-RU', viewport = { width: 1280, height: 800 } } = {}) {
      const context = await state.browser.newContext({ baseURL: BASE_URL, locale, viewport });
      state.contexts.push(context);
      context.setDefaultTimeout(TIMEOUT);
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        const text = message.text();
        if (/Content.Security.Policy|Refused to/i.test(text)) problems.push(`CSP: ${text}`);
        else if (message.type() === 'error' && !/Failed to load resource/.test(text)) {
          problems.push(`console error: ${text}`);
        }
      });
      return { context, page, problems };
    },
  };
}

/** Fails when the page logged an error or a CSP violation. */
export function assertNoProblems(problems) {
  assert.deepEqual(problems, [], `the page reported problems:\n${problems.join('\n')}`);
}

/** Signs in through the login form and waits for the shell. */
export async function signIn(page, user = ADMIN) {
  await page.goto('/login');
  await page.getByTestId('login-email').fill(user.email);
  await page.getByTestId('login-password').fill(user.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('user-name').waitFor();
}

/**
 * A signed-in API session of its own (cookie + CSRF token), outside any browser, for set-up and checks.
 * `request` answers { status, body } whatever the status; `call`, `get` and `post` assert a 2xx and answer the body.
 */
export async function apiSession(email, password) {
  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, `${email} signs in: ${await login.clone().text()}`);
  const { csrf_token: csrf } = await login.json();
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const send = async (method, url, body) => {
    const res = await fetch(`${BASE_URL}${url}`, {
      method,
      headers: {
        Cookie: cookie,
        Accept: 'application/json',
        ...(method === 'GET' ? {} : { 'X-CSRF-Token': csrf }),
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { res, text: await res.text() };
  };
  const request = async (method, url, body) => {
    const { res, text } = await send(method, url, body);
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
  const call = async (method, url, body) => {
    const { res, text } = await send(method, url, body);
    assert.ok(res.ok, `${method} ${url} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    request,
    call,
    get: (url) => call('GET', url),
    post: (url, body) => call('POST', url, body),
  };
}

/** Saves a screenshot next to the test output when a journey fails, to see what went wrong. */
export async function snapshotOnFailure(t, page) {
  if (!page) return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const name = t.name.replace(/[^\w-]+/g, '_').slice(0, 80);
  await page
    .screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true })
    .catch(() => {});
}

/** Polls until `fn` returns a truthy value (for checks that are not a single locator). */
export async function eventually(fn, message, timeout = TIMEOUT) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`${message} (last value: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
