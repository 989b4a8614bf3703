import { describe, expect, it, vi, beforeEach } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import App from '../../App';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';

const ME = {
  id: 1,
  email: 'admin@otdel.demo',
  full_name: 'Анна Смирнова',
  locale: 'ru',
  is_admin: true,
  workspace: {
    id: 1,
    name: 'Демо',
    slug: 'demo',
    time_zone: 'Europe/Moscow',
    currency: 'RUB',
    default_locale: 'ru',
  },
  csrf_token: 'csrf-abc',
};

type Handler = (url: string, init: RequestInit) => Response;

function respond(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': type },
  });
}

function stubServer(handler: Handler) {
  const calls: { url: string; init: RequestInit }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      return handler(url, init);
    }),
  );
  return calls;
}

const unauthenticated = () =>
  respond(
    401,
    {
      type: 'about:blank',
      title: 'Unauthenticated',
      status: 401,
      code: 'unauthenticated',
      detail: 'Войдите',
      request_id: 'r',
    },
    'application/problem+json',
  );

describe('login page', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
    window.history.pushState({}, '', '/');
  });

  it('sends a visitor without a session to the login page', async () => {
    stubServer(() => unauthenticated());
    render(<App queryClient={createQueryClient()} />);
    expect(await screen.findByTestId('login-title')).toHaveTextContent('Вход в Отдел');
    expect(window.location.pathname).toBe('/login');
  });

  it("shows the server's message when the password is wrong", async () => {
    const calls = stubServer((url) =>
      url === '/api/v1/auth/login'
        ? respond(
            401,
            {
              type: 'about:blank',
              title: 'Invalid credentials',
              status: 401,
              code: 'invalid_credentials',
              detail: 'Неверная почта или пароль. Проверьте раскладку.',
              request_id: 'r',
            },
            'application/problem+json',
          )
        : unauthenticated(),
    );
    render(<App queryClient={createQueryClient()} />);
    const user = userEvent.setup({ delay: null });
    fireEvent.change(await screen.findByTestId('login-email'), {
      target: { value: 'admin@otdel.demo' },
    });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'wrong' } });
    await user.click(screen.getByTestId('login-submit'));
    expect(await screen.findByTestId('login-error')).toHaveTextContent(
      'Неверная почта или пароль. Проверьте раскладку.',
    );
    const login = calls.find((c) => c.url === '/api/v1/auth/login')!;
    expect((login.init.headers as Record<string, string>)['Accept-Language']).toBe('ru');
    expect(JSON.parse(login.init.body as string)).toEqual({
      email: 'admin@otdel.demo',
      password: 'wrong',
    });
  });

  it('validates the form in the chosen language without calling the server', async () => {
    const calls = stubServer(() => unauthenticated());
    render(<App queryClient={createQueryClient()} />);
    const user = userEvent.setup({ delay: null });
    await user.click(await screen.findByTestId('lang-en'));
    expect(screen.getByTestId('login-title')).toHaveTextContent('Sign in to Otdel');
    await user.click(screen.getByTestId('login-submit'));
    expect(await screen.findByText('Enter your e-mail')).toBeInTheDocument();
    expect(await screen.findByText('Enter your password')).toBeInTheDocument();
    fireEvent.change(screen.getByTestId('login-email'), { target: { value: 'not-an-email' } });
    await user.click(screen.getByTestId('login-submit'));
    expect(
      await screen.findByText('Enter a valid e-mail address', {}, { timeout: 5000 }),
    ).toBeInTheDocument();
    expect(calls.some((c) => c.url === '/api/v1/auth/login')).toBe(false);
    expect(window.localStorage.getItem('otdel.lang')).toBe('en');
  });

  it('signs in, shows the shell, and saves a language switch with the CSRF token', async () => {
    let locale = 'ru';
    const calls = stubServer((url, init) => {
      if (url === '/api/v1/auth/login') return respond(200, { ...ME, locale });
      if (url === '/api/v1/me' && init.method === 'PATCH') {
        locale = JSON.parse(init.body as string).locale;
        return respond(200, { ...ME, locale });
      }
      if (url.startsWith('/api/v1/notifications')) {
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      }
      // The start page's own data is not this test's concern: an error keeps the session (a 401 would end it).
      if (
        url.startsWith('/api/v1/reports') ||
        url.startsWith('/api/v1/agenda') ||
        url.startsWith('/api/v1/goals')
      ) {
        return respond(503, { error: { code: 'unavailable', message: 'Нет данных' } });
      }
      return unauthenticated();
    });
    render(<App queryClient={createQueryClient()} />);
    const user = userEvent.setup({ delay: null });
    fireEvent.change(await screen.findByTestId('login-email'), {
      target: { value: 'admin@otdel.demo' },
    });
    fireEvent.change(screen.getByTestId('login-password'), { target: { value: 'otdel-admin' } });
    await user.click(screen.getByTestId('login-submit'));

    expect(await screen.findByTestId('user-name')).toHaveTextContent('Анна Смирнова');
    expect(screen.getByTestId('nav-deals')).toHaveTextContent('Сделки');
    expect(window.location.pathname).toBe('/dashboard');

    await user.click(screen.getByTestId('lang-en'));
    await waitFor(() => expect(screen.getByTestId('nav-deals')).toHaveTextContent('Deals'));
    await waitFor(() => expect(locale).toBe('en'));
    const patch = calls.find((c) => c.init.method === 'PATCH')!;
    expect((patch.init.headers as Record<string, string>)['X-CSRF-Token']).toBe('csrf-abc');
    expect(JSON.parse(patch.init.body as string)).toEqual({ locale: 'en' });
  });
});
