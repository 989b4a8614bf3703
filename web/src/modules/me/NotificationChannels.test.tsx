import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import App from '../../App';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import { kindPreset } from './channelsApi';

const ME = {
  id: 5,
  email: 'nikita@otdel.demo',
  full_name: 'Никита Орлов',
  locale: 'ru',
  is_admin: false,
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

interface Channel {
  channel: 'email' | 'telegram';
  target: string;
  kinds: string[];
  enabled: boolean;
  configured: boolean;
}

function respond(status: number, body?: unknown): Response {
  if (status === 204) return new Response(null, { status });
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

const DEFAULTS: Record<Channel['channel'], Channel> = {
  email: { channel: 'email', target: '', kinds: ['routing.'], enabled: false, configured: true },
  telegram: {
    channel: 'telegram',
    target: '',
    kinds: ['routing.'],
    enabled: false,
    configured: true,
  },
};

function stubServer(initial: Channel[]) {
  const calls: { url: string; method: string; body?: string }[] = [];
  let channels = initial.map((c) => ({ ...c }));
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      calls.push({ url, method, body: init.body as string });
      if (url === '/api/v1/me') return respond(200, ME);
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/api-tokens'))
        return respond(200, { items: [], next_cursor: null });
      if (url === '/api/v1/me/notification-channels') return respond(200, { items: channels });
      const m = /^\/api\/v1\/me\/notification-channels\/(email|telegram)(\/test)?$/.exec(url);
      if (m) {
        const kind = m[1] as Channel['channel'];
        const current = channels.find((c) => c.channel === kind)!;
        if (m[2]) {
          if (kind === 'telegram')
            return respond(503, {
              status: 503,
              code: 'notify.telegram_refused',
              detail: 'Telegram не принял сообщение: chat not found',
            });
          return respond(200, { sent: true });
        }
        if (method === 'DELETE') {
          channels = channels.map((c) => (c.channel === kind ? DEFAULTS[kind] : c));
          return respond(204);
        }
        const body = JSON.parse(init.body as string) as {
          target: string;
          kinds?: string[];
          enabled?: boolean;
        };
        if (!body.target.includes('@') && kind === 'email')
          return respond(422, {
            status: 422,
            code: 'validation_failed',
            detail: 'Некоторые поля заполнены неверно.',
            errors: [
              { field: 'target', code: 'invalid_email', message: 'Введите корректный e-mail.' },
            ],
          });
        const saved = {
          ...current,
          target: body.target,
          kinds: body.kinds ?? ['routing.'],
          enabled: body.enabled ?? true,
        };
        channels = channels.map((c) => (c.channel === kind ? saved : c));
        return respond(200, saved);
      }
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

async function openProfile() {
  window.history.pushState({}, '', '/profile');
  render(<App queryClient={createQueryClient()} />);
  const card = await screen.findByTestId('notify-channels');
  await within(card).findByTestId('channel-email');
  return card;
}

describe('kindPreset', () => {
  it('tells the offered choices from anything else', () => {
    expect(kindPreset([])).toBe('all');
    expect(kindPreset(['routing.'])).toBe('routing');
    expect(kindPreset(['routing.assigned'])).toBe('custom');
  });
});

describe('notification channels on the profile', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'shows the server’s field error on the address, then saves all notifications',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer([DEFAULTS.email, { ...DEFAULTS.telegram, configured: false }]);
      const card = await openProfile();
      const email = within(card).getByTestId('channel-email');
      // Not saved yet: the account's address is offered, the test waits for a save.
      await waitFor(() =>
        expect(within(email).getByTestId('channel-target-email')).toHaveValue(ME.email),
      );
      expect(within(email).getByTestId('channel-status-email')).toHaveTextContent('Не подключено');
      expect(within(email).getByTestId('channel-test-email')).toBeDisabled();

      fireEvent.change(within(email).getByTestId('channel-target-email'), {
        target: { value: 'nikita-at-otdel' },
      });
      fireEvent.click(within(email).getByTestId('channel-save-email'));
      expect(
        await within(email).findByText('Введите корректный e-mail.', {}, { timeout: 5000 }),
      ).toBeInTheDocument();

      fireEvent.change(within(email).getByTestId('channel-target-email'), {
        target: { value: ' nikita@otdel.demo ' },
      });
      fireEvent.click(within(email).getByTestId('channel-kinds-email-all'));
      fireEvent.click(within(email).getByTestId('channel-save-email'));
      await waitFor(() =>
        expect(within(email).getByTestId('channel-status-email')).toHaveTextContent('Включено'),
      );
      const puts = calls.filter((c) => c.method === 'PUT');
      expect(puts).toHaveLength(2);
      expect(puts[1].url).toBe('/api/v1/me/notification-channels/email');
      expect(JSON.parse(puts[1].body!)).toEqual({
        target: 'nikita@otdel.demo',
        kinds: [],
        enabled: true,
      });

      fireEvent.click(within(email).getByTestId('channel-test-email'));
      expect(await within(email).findByTestId('channel-test-ok-email')).toHaveTextContent(
        'nikita@otdel.demo',
      );
    },
  );

  it(
    'disables a channel the server cannot send on and explains why',
    { timeout: 120_000 },
    async () => {
      stubServer([DEFAULTS.email, { ...DEFAULTS.telegram, configured: false }]);
      const card = await openProfile();
      const telegram = within(card).getByTestId('channel-telegram');
      expect(within(telegram).getByTestId('channel-unconfigured-telegram')).toHaveTextContent(
        'не подключил Telegram-бота',
      );
      expect(within(telegram).getByTestId('channel-status-telegram')).toHaveTextContent(
        'Не настроено на сервере',
      );
      expect(within(telegram).getByTestId('channel-target-telegram')).toBeDisabled();
      expect(within(telegram).getByTestId('channel-save-telegram')).toBeDisabled();
      expect(telegram).toHaveTextContent('Chat id — это число');
    },
  );

  it('shows why a test message failed and removes a channel', { timeout: 120_000 }, async () => {
    const calls = stubServer([
      DEFAULTS.email,
      { ...DEFAULTS.telegram, target: '123456789', kinds: [], enabled: true },
    ]);
    const card = await openProfile();
    const telegram = within(card).getByTestId('channel-telegram');
    await waitFor(() =>
      expect(within(telegram).getByTestId('channel-target-telegram')).toHaveValue('123456789'),
    );
    expect(within(telegram).getByTestId('channel-kinds-telegram-all').closest('label')).toHaveClass(
      'ant-radio-wrapper-checked',
    );

    fireEvent.click(within(telegram).getByTestId('channel-test-telegram'));
    expect(await within(telegram).findByTestId('channel-test-error-telegram')).toHaveTextContent(
      'Telegram не принял сообщение: chat not found',
    );

    fireEvent.click(within(telegram).getByTestId('channel-remove-telegram'));
    fireEvent.click(await screen.findByTestId('channel-remove-confirm'));
    await waitFor(() =>
      expect(within(telegram).getByTestId('channel-status-telegram')).toHaveTextContent(
        'Не подключено',
      ),
    );
    expect(
      calls.some(
        (c) => c.method === 'DELETE' && c.url === '/api/v1/me/notification-channels/telegram',
      ),
    ).toBe(true);
    expect(within(telegram).getByTestId('channel-target-telegram')).toHaveValue('');
    expect(within(telegram).queryByTestId('channel-test-error-telegram')).not.toBeInTheDocument();
  });
});
