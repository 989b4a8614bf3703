import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
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

const DAY = 24 * 60 * MIN;

const FACTS = {
  items: [
    {
      user_id: 6,
      name: 'Никита Орлов',
      assigned: 14,
      responded: 12,
      breached: 2,
      response_working_ms_median: 12 * MIN,
      response_working_ms_p90: 95 * MIN,
    },
    {
      user_id: 7,
      name: 'Ольга Васильева',
      assigned: 3,
      responded: 0,
      breached: 0,
      response_working_ms_median: null,
      response_working_ms_p90: null,
    },
  ],
};

function stubServer() {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url);
      if (url === '/api/v1/me') return respond(200, ME);
      if (url === '/api/v1/health') return respond(200, { status: 'ok', time: SERVER_NOW });
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/employees'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/roles')) return respond(200, { items: [] });
      if (url.startsWith('/api/v1/routing/board')) return respond(200, BOARD);
      if (url === '/api/v1/routing/coverage') return respond(200, COVERAGE);
      if (url.startsWith('/api/v1/routing/facts')) return respond(200, FACTS);
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

/** The `from` of every facts request so far. */
const factsFrom = (calls: string[]) =>
  calls
    .filter((u) => u.startsWith('/api/v1/routing/facts'))
    .map((u) => Number(new URL(u, 'http://x').searchParams.get('from')));

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

  it(
    'shows response speed per person over the last 7 or 30 days of the server’s clock',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/leads/sla');
      render(<App queryClient={createQueryClient()} />);
      const card = await screen.findByTestId('routing-facts');
      expect(card).toHaveTextContent('Скорость ответа по сотрудникам');
      await waitFor(() => expect(within(card).getAllByTestId('facts-row')).toHaveLength(2), {
        timeout: 5000,
      });
      const [nikita, olga] = within(card).getAllByTestId('facts-row');
      expect(within(nikita).getByTestId('facts-name')).toHaveTextContent('Никита Орлов');
      expect(nikita).toHaveTextContent('14');
      expect(within(nikita).getByTestId('facts-breached')).toHaveTextContent('2');
      expect(within(nikita).getByTestId('facts-median')).toHaveTextContent('12 мин');
      expect(within(nikita).getByTestId('facts-p90')).toHaveTextContent('1 ч 35 мин');
      expect(within(olga).getByTestId('facts-median')).toHaveTextContent('—');

      // The period is counted back from the server's "now", not the browser's.
      const near = (from: number, days: number) =>
        from <= SERVER_NOW - days * DAY && from > SERVER_NOW - days * DAY - 2 * MIN;
      await waitFor(() => expect(factsFrom(calls).some((f) => near(f, 7))).toBe(true), {
        timeout: 5000,
      });
      fireEvent.click(within(card).getByTestId('facts-period-30'));
      await waitFor(() => expect(factsFrom(calls).some((f) => near(f, 30))).toBe(true), {
        timeout: 5000,
      });
      expect(within(card).getByTestId('facts-period-30')).toHaveTextContent('Последние 30 дней');
    },
  );
});
