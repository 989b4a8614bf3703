import type { components } from './schema';

export type Schemas = components['schemas'];
export type Me = Schemas['Me'];
export type MeUpdate = Schemas['MeUpdate'];
export type ApiToken = Schemas['ApiToken'];
export type ApiTokenCreate = Schemas['ApiTokenCreate'];
export type ApiTokenCreated = Schemas['ApiTokenCreated'];
export type Notification = Schemas['Notification'];
export type Problem = Schemas['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

export interface Page<T> {
  items: T[];
  next_cursor: string | null;
}
export interface NotificationPage extends Page<Notification> {
  unread: number;
}

/** Codes the client invents for failures that never reached a problem+json answer. */
export const NETWORK_ERROR = 'network_error';
export const HTTP_ERROR = 'http_error';

/** A failed request: the server's problem details, or a transport failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId?: string;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    errors?: FieldError[];
    requestId?: string;
  }) {
    super(init.detail || `${init.code} (${init.status})`);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.errors = init.errors ?? [];
    this.requestId = init.requestId;
  }
}

export function isApiError(value: unknown): value is ApiError {
  return value instanceof ApiError;
}

const UNSAFE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);

function isFieldError(value: unknown): value is FieldError {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.field === 'string' && typeof v.code === 'string' && typeof v.message === 'string';
}

/** Turns any non-2xx response into an ApiError; problem+json bodies keep code, detail and field errors. */
export async function parseError(response: Response): Promise<ApiError> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const body: unknown = await response.json();
      if (typeof body === 'object' && body !== null) {
        const p = body as Record<string, unknown>;
        return new ApiError({
          status: typeof p.status === 'number' ? p.status : response.status,
          code: typeof p.code === 'string' && p.code ? p.code : HTTP_ERROR,
          detail: typeof p.detail === 'string' ? p.detail : '',
          errors: Array.isArray(p.errors) ? p.errors.filter(isFieldError) : [],
          requestId: typeof p.request_id === 'string' ? p.request_id : undefined,
        });
      }
    } catch {
      // Fall through: a broken body is reported like a non-JSON one.
    }
  }
  return new ApiError({ status: response.status, code: HTTP_ERROR, detail: '' });
}

export interface ClientOptions {
  /** Language sent as Accept-Language so the server localises its messages. */
  language: () => string;
  /** Called when an authenticated request answers 401 (the session is gone). */
  onUnauthorized?: (error: ApiError, path: string) => void;
  fetch?: typeof fetch;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  query?: Record<string, string | number | undefined | null>;
  signal?: AbortSignal;
}

/** A small typed fetch wrapper: same-origin cookies, CSRF header on writes, problem+json errors. */
export class ApiClient {
  private csrfToken: string | null = null;
  private readonly options: ClientOptions;

  constructor(options: ClientOptions) {
    this.options = options;
  }

  setCsrfToken(token: string | null | undefined): void {
    this.csrfToken = token ?? null;
  }

  getCsrfToken(): string | null {
    return this.csrfToken;
  }

  async request<T>(path: string, options: RequestOptions = {}): Promise<T> {
    const method = (options.method ?? 'GET').toUpperCase();
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.options.language(),
    };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    if (UNSAFE_METHODS.has(method) && this.csrfToken) headers['X-CSRF-Token'] = this.csrfToken;

    let url = path;
    if (options.query) {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(options.query)) {
        if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
      }
      const qs = params.toString();
      if (qs) url += `?${qs}`;
    }

    const doFetch = this.options.fetch ?? globalThis.fetch.bind(globalThis);
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        credentials: 'same-origin',
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
      });
    } catch (cause) {
      if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
      throw new ApiError({ status: 0, code: NETWORK_ERROR, detail: '' });
    }

    if (!response.ok) {
      const error = await parseError(response);
      if (error.status === 401 && path !== '/api/v1/auth/login') {
        this.csrfToken = null;
        this.options.onUnauthorized?.(error, path);
      }
      throw error;
    }
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  // --- auth ---
  async login(email: string, password: string): Promise<Me> {
    const me = await this.request<Me>('/api/v1/auth/login', {
      method: 'POST',
      body: { email, password } satisfies Schemas['LoginRequest'],
    });
    this.setCsrfToken(me.csrf_token);
    return me;
  }

  async logout(): Promise<void> {
    try {
      await this.request<void>('/api/v1/auth/logout', { method: 'POST' });
    } finally {
      this.csrfToken = null;
    }
  }

  async getMe(): Promise<Me> {
    const me = await this.request<Me>('/api/v1/me');
    if (me.csrf_token) this.setCsrfToken(me.csrf_token);
    return me;
  }

  async updateMe(update: MeUpdate): Promise<Me> {
    const me = await this.request<Me>('/api/v1/me', { method: 'PATCH', body: update });
    if (me.csrf_token) this.setCsrfToken(me.csrf_token);
    return me;
  }

  // --- API tokens ---
  listApiTokens(cursor?: string | null, limit = 50): Promise<Page<ApiToken>> {
    return this.request('/api/v1/api-tokens', { query: { cursor, limit } });
  }

  createApiToken(body: ApiTokenCreate): Promise<ApiTokenCreated> {
    return this.request('/api/v1/api-tokens', { method: 'POST', body });
  }

  revokeApiToken(id: number): Promise<void> {
    return this.request(`/api/v1/api-tokens/${id}`, { method: 'DELETE' });
  }

  // --- notifications ---
  listNotifications(cursor?: string | null, limit = 20): Promise<NotificationPage> {
    return this.request('/api/v1/notifications', { query: { cursor, limit } });
  }

  markNotificationRead(id: number): Promise<void> {
    return this.request(`/api/v1/notifications/${id}/read`, { method: 'POST' });
  }
}
