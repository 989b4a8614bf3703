import { beforeEach, describe, expect, it, vi } from 'vitest';
import { render, screen, waitFor, within } from '@testing-library/react';
import App from '../../App';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';

const ME = {
  id: 2,
  email: 'rop@otdel.demo',
  full_name: 'Игорь Петров',
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

// The server's clock is far from the browser's (a demo server whose time was moved by hand).
const SERVER_NOW = Date.UTC(2026, 11, 7, 7, 0, 0);
const MIN = 60_000;

function item(id: number, title: string, owner: string, deadlineIn: number, extra: object = {}) {
  return {
    lead_id: id,
    title,
    lead_status: 'new',
    priority: 45,
    owner_user_id: id + 100,
    owner_name: owner,
    assigned_at: SERVER_NOW - 5 * MIN,
    routing: {
      rule_id: 2,
      state: 'running',
      deadline_at: SERVER_NOW + deadlineIn,
      sla_minutes: 60,
      reassignments: 0,
      breaches: 0,
      first_assigned_at: SERVER_NOW - 5 * MIN,
      first_response_at: null,
      first_response_kind: '',
      remaining_working_ms: deadlineIn,
      ...extra,
    },
  };
}

const BOARD = {
  now: SERVER_NOW,
  items: [
    item(11, 'Шкаф-купе', 'Ольга Васильева', -2 * MIN, { reassignments: 1, breaches: 1 }),
    item(12, 'Кухня 3 м', 'Никита Орлов', 10 * MIN),
    item(13, 'Гардеробная', 'Никита Орлов', 50 * MIN),
  ],
};

const COVERAGE = {
  items: [
    {
      rule_id: 2,
      rule_name: 'Сайт — ответить за час',
      department_id: 2,
      lead_managers: 2,
      minimum: 2,
      gaps: [{ day: '2026-12-09', on_duty: 1 }],
    },
  ],
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function stubServer() {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      if (url === '/api/v1/me') return respond(200, ME);
      if (url === '/api/v1/health') return respond(200, { status: 'ok', time: SERVER_NOW });
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/employees'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/roles')) return respond(200, { items: [] });
      if (url.startsWith('/api/v1/routing/board')) return respond(200, BOARD);
      if (url === '/api/v1/routing/coverage') return respond(200, COVERAGE);
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
}

describe('SLA board', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'counts down by the server clock, colours by time left and warns about thin coverage',
    { timeout: 120_000 },
    async () => {
      stubServer();
      window.history.pushState({}, '', '/leads/sla');
      render(<App queryClient={createQueryClient()} />);
      const board = await screen.findByTestId('sla-board');
      await waitFor(() => expect(within(board).getAllByTestId('sla-countdown')).toHaveLength(3));
      // Wait for the server offset: the overdue one is then red.
      await waitFor(() =>
        expect(within(board).getAllByTestId('sla-countdown')[0]).toHaveAttribute(
          'data-tone',
          'overdue',
        ),
      );
      const rows = within(board)
        .getAllByTestId('sla-board-lead')
        .map((a) => a.closest('tr')!);
      const countdown = (row: HTMLElement) => within(row).getByTestId('sla-countdown');
      expect(countdown(rows[0])).toHaveTextContent(/^просрочен −0[23]:\d\d$/);
      expect(countdown(rows[1])).toHaveAttribute('data-tone', 'warn');
      expect(countdown(rows[1]).textContent).toMatch(/^(10:0\d|09:5\d)$/);
      expect(countdown(rows[2])).toHaveAttribute('data-tone', 'ok');
      expect(within(rows[0]).getByTestId('sla-board-owner')).toHaveTextContent('Ольга Васильева');
      expect(within(rows[0]).getByTestId('sla-board-reassignments')).toHaveTextContent('1');
      expect(within(rows[1]).getByTestId('sla-board-state')).toHaveTextContent('Идёт');
      expect(within(rows[1]).getByTestId('sla-board-lead')).toHaveAttribute(
        'href',
        '/leads?lead=12',
      );

      const coverage = await screen.findByTestId('sla-coverage');
      expect(coverage).toHaveTextContent('мало менеджеров по заявкам');
      expect(within(coverage).getByTestId('sla-coverage-gap')).toHaveTextContent(
        /«Сайт — ответить за час»: ср, 9 дек\.? — на смене 1, нужно не меньше 2/,
      );
    },
  );
});
