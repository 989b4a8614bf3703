import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, HTTP_ERROR, NETWORK_ERROR, parseError } from './client';

function problem(status: number, body: Record<string, unknown>): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/problem+json' },
  });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

const ME = {
  id: 1,
  email: 'admin@otdel.demo',
  full_name: 'Анна Смирнова',
  locale: 'ru',
  is_admin: true,
  workspace: {
    id: 1,
    name: 'Demo',
    slug: 'demo',
    time_zone: 'Europe/Moscow',
    currency: 'RUB',
    default_locale: 'ru',
  },
  csrf_token: 'csrf-123',
};

function makeClient(responses: Response[], language = 'ru') {
  const fetchMock = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => {
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    return next;
  });
  const onUnauthorized = vi.fn();
  const client = new ApiClient({
    language: () => language,
    onUnauthorized,
    fetch: fetchMock as unknown as typeof fetch,
  });
  const headersOf = (call: number) =>
    (fetchMock.mock.calls[call][1]?.headers ?? {}) as Record<string, string>;
  return { client, fetchMock, onUnauthorized, headersOf };
}

describe('parseError', () => {
  it('keeps status, code, detail and field errors of a problem+json body', async () => {
    const error = await parseError(
      problem(422, {
        type: 'about:blank',
        title: 'Validation failed',
        status: 422,
        code: 'validation_failed',
        detail: 'Проверьте поля формы',
        request_id: 'r-1',
        errors: [
          { field: 'name', code: 'required', message: 'Укажите название' },
          { field: 42, code: 'broken' },
        ],
      }),
    );
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(422);
    expect(error.code).toBe('validation_failed');
    expect(error.detail).toBe('Проверьте поля формы');
    expect(error.requestId).toBe('r-1');
    expect(error.errors).toEqual([
      { field: 'name', code: 'required', message: 'Укажите название' },
    ]);
  });

  it('reports a non-JSON answer with the HTTP status and no detail', async () => {
    const error = await parseError(
      new Response('<html>Bad gateway</html>', {
        status: 502,
        headers: { 'Content-Type': 'text/html' },
      }),
    );
    expect(error.status).toBe(502);
    expect(error.code).toBe(HTTP_ERROR);
    expect(error.detail).toBe('');
    expect(error.errors).toEqual([]);
  });

  it('survives a JSON content type with a broken body', async () => {
    const error = await parseError(
      new Response('{not json', {
        status: 500,
        headers: { 'Content-Type': 'application/problem+json' },
      }),
    );
    expect(error.status).toBe(500);
    expect(error.code).toBe(HTTP_ERROR);
  });
});

describe('ApiClient', () => {
  it('stores the CSRF token from login and sends it on every state-changing method', async () => {
    const { client, headersOf, fetchMock } = makeClient([
      json(200, ME),
      json(200, { items: [], next_cursor: null }),
      json(200, ME),
      new Response(null, { status: 204 }),
      json(200, {}),
      json(201, { id: 5 }),
    ]);
    await client.login('admin@otdel.demo', 'otdel-admin');
    expect(headersOf(0)['X-CSRF-Token']).toBeUndefined();
    expect(client.getCsrfToken()).toBe('csrf-123');

    await client.listApiTokens();
    expect(headersOf(1)['X-CSRF-Token']).toBeUndefined();

    await client.updateMe({ locale: 'en' });
    expect(fetchMock.mock.calls[2][1]?.method).toBe('PATCH');
    expect(headersOf(2)['X-CSRF-Token']).toBe('csrf-123');

    await client.revokeApiToken(7);
    expect(fetchMock.mock.calls[3][0]).toBe('/api/v1/api-tokens/7');
    expect(fetchMock.mock.calls[3][1]?.method).toBe('DELETE');
    expect(headersOf(3)['X-CSRF-Token']).toBe('csrf-123');

    await client.request('/api/v1/x', { method: 'put', body: {} });
    expect(headersOf(4)['X-CSRF-Token']).toBe('csrf-123');

    await client.createApiToken({ name: 'Сайт' });
    expect(fetchMock.mock.calls[5][1]?.method).toBe('POST');
    expect(headersOf(5)['X-CSRF-Token']).toBe('csrf-123');
    expect(fetchMock.mock.calls[5][1]?.body).toBe(JSON.stringify({ name: 'Сайт' }));
  });

  it('sends cookies same-origin, JSON content type and the UI language', async () => {
    const { client, fetchMock, headersOf } = makeClient([json(200, ME)], 'en');
    await client.getMe();
    const init = fetchMock.mock.calls[0][1];
    expect(init?.credentials).toBe('same-origin');
    expect(headersOf(0)['Accept-Language']).toBe('en');
    expect(headersOf(0)['Content-Type']).toBeUndefined();
    expect(client.getCsrfToken()).toBe('csrf-123');
  });

  it('builds query strings and skips empty parameters', async () => {
    const { client, fetchMock } = makeClient([
      json(200, { items: [], next_cursor: null, unread: 0 }),
      json(200, { items: [], next_cursor: null, unread: 0 }),
    ]);
    await client.listNotifications(null, 20);
    expect(fetchMock.mock.calls[0][0]).toBe('/api/v1/notifications?limit=20');
    await client.listNotifications('abc=', 5);
    expect(fetchMock.mock.calls[1][0]).toBe('/api/v1/notifications?cursor=abc%3D&limit=5');
  });

  it('throws ApiError with the server detail and tells the app when the session is gone', async () => {
    const { client, onUnauthorized } = makeClient([
      json(200, ME),
      problem(401, {
        type: 'about:blank',
        title: 'Unauthenticated',
        status: 401,
        code: 'unauthenticated',
        detail: 'Войдите в систему',
        request_id: 'r',
      }),
    ]);
    await client.login('a@b.c', 'x');
    const error = await client.getMe().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('unauthenticated');
    expect((error as ApiError).detail).toBe('Войдите в систему');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
    expect(client.getCsrfToken()).toBeNull();
  });

  it('does not treat wrong credentials at login as a lost session', async () => {
    const { client, onUnauthorized } = makeClient([
      problem(401, {
        type: 'about:blank',
        title: 'Invalid credentials',
        status: 401,
        code: 'invalid_credentials',
        detail: 'Неверная почта или пароль',
        request_id: 'r',
      }),
    ]);
    await expect(client.login('a@b.c', 'bad')).rejects.toMatchObject({
      status: 401,
      code: 'invalid_credentials',
      detail: 'Неверная почта или пароль',
    });
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('turns a transport failure into a network_error ApiError', async () => {
    const client = new ApiClient({
      language: () => 'ru',
      fetch: (async () => {
        throw new TypeError('Failed to fetch');
      }) as unknown as typeof fetch,
    });
    await expect(client.getMe()).rejects.toMatchObject({ status: 0, code: NETWORK_ERROR });
  });

  it('clears the CSRF token after logout even when the server refuses', async () => {
    const { client, headersOf } = makeClient([
      json(200, ME),
      problem(403, {
        type: 'about:blank',
        title: 'CSRF',
        status: 403,
        code: 'csrf_failed',
        detail: 'x',
        request_id: 'r',
      }),
    ]);
    await client.login('a@b.c', 'x');
    await expect(client.logout()).rejects.toMatchObject({ code: 'csrf_failed' });
    expect(headersOf(1)['X-CSRF-Token']).toBe('csrf-123');
    expect(client.getCsrfToken()).toBeNull();
  });
});
