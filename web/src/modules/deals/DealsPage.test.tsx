import { beforeEach, describe, expect, it, vi } from 'vitest';
import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
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

function stage(id: number, name: string, probability: number, kind = 'open', extra = {}) {
  return {
    id,
    pipeline_id: 1,
    name,
    position: id,
    probability,
    kind,
    required_fields: [],
    checklist: [],
    idle_days: null,
    is_decision: false,
    ...extra,
  };
}

const PIPELINE = {
  id: 1,
  name: 'Основная',
  position: 0,
  is_default: true,
  archived_at: null,
  stages: [
    stage(1, 'Новая заявка', 10),
    stage(2, 'КП отправлено', 40, 'open', {
      required_fields: ['amount'],
      checklist: [{ code: 'c1', label: 'Замер согласован' }],
    }),
    stage(3, 'Проиграна', 0, 'lost'),
  ],
};

const DEAL = {
  id: 11,
  pipeline_id: 1,
  stage_id: 1,
  title: 'Кухня на Ленина',
  company_id: 4,
  company_name: 'ООО «Ромашка»',
  contact_id: null,
  contact_name: '',
  owner_user_id: 1,
  owner_name: 'Анна Смирнова',
  amount_minor: 0,
  currency: 'RUB',
  expected_close_date: '2026-03-31',
  source_lead_id: 7,
  forecast_category: 'pipeline',
  status: 'open',
  loss_reason_id: null,
  loss_comment: '',
  checklist: {},
  stage_entered_at: 0,
  last_activity_at: 0,
  idle: true,
  closed_at: null,
  payment_due_at: null,
  payment_overdue: false,
  deleted_at: null,
  created_by: 1,
  created_at: 0,
  updated_at: 0,
};

const OTHER = { ...DEAL, id: 12, title: 'Шкаф-купе', amount_minor: 125_000_000, idle: false };

const BOARD = {
  pipeline: PIPELINE,
  columns: [
    {
      stage_id: 1,
      count: 2,
      totals: [{ currency: 'RUB', amount_minor: 125_000_000 }],
      items: [DEAL, OTHER],
      next_cursor: null,
    },
    { stage_id: 2, count: 0, totals: [], items: [], next_cursor: null },
    { stage_id: 3, count: 0, totals: [], items: [], next_cursor: null },
  ],
};

const REFUSAL = {
  type: 'about:blank',
  title: 'Unprocessable',
  status: 422,
  code: 'validation_failed',
  detail: 'Сделку нельзя перевести на выбранный этап.',
  request_id: 'r',
  errors: [
    { field: 'amount', code: 'gate_required', message: 'Заполните «Сумма сделки».' },
    {
      field: 'checklist/c1',
      code: 'gate_unchecked',
      message: 'Отметьте пункт «Замер согласован».',
    },
  ],
};

function respond(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

function stubServer(deal: { amount_minor: number } = DEAL) {
  const calls: { url: string; method: string; body?: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      calls.push({ url, method, body: init.body ? JSON.parse(String(init.body)) : undefined });
      const path = url.split('?')[0];
      if (path === '/api/v1/me') return respond(200, ME);
      if (path === '/api/v1/notifications')
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (path === '/api/v1/pipelines') return respond(200, { items: [PIPELINE] });
      if (path === '/api/v1/pipelines/1/board') return respond(200, BOARD);
      if (path === '/api/v1/deals/11') return respond(200, deal);
      if (path === '/api/v1/deals/11/history')
        return respond(200, {
          items: [
            { id: 1, from_stage_id: null, to_stage_id: 1, by_user_id: 1, by_name: 'Анна', at: 0 },
          ],
        });
      if (path === '/api/v1/deals/11/stage' && method === 'POST')
        return respond(422, REFUSAL, 'application/problem+json');
      if (path === '/api/v1/loss-reasons') return respond(200, { items: [] });
      if (path === '/api/v1/roles') return respond(200, { items: [] });
      if (
        path === '/api/v1/employees' ||
        path === '/api/v1/companies' ||
        path === '/api/v1/contacts'
      )
        return respond(200, { items: [], next_cursor: null });
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

describe('deals page', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'shows the kanban: stages with probability, count and money totals, cards with the idle flag',
    { timeout: 120_000 },
    async () => {
      stubServer();
      window.history.pushState({}, '', '/deals');
      render(<App queryClient={createQueryClient()} />);

      expect(await screen.findByTestId('page-title')).toHaveTextContent('Сделки');
      const columns = await screen.findAllByTestId('board-column');
      expect(columns.map((c) => c.dataset.stageName)).toEqual([
        'Новая заявка',
        'КП отправлено',
        'Проиграна',
      ]);
      const header = within(columns[0]).getByTestId('board-column-header');
      expect(header).toHaveTextContent('10%');
      expect(header).toHaveTextContent('сделок: 2');
      expect(
        within(columns[0]).getByTestId('board-column-total').textContent?.replace(/\s/g, ' '),
      ).toBe('1 250 000 ₽');
      const cards = within(columns[0]).getAllByTestId('deal-card');
      expect(cards).toHaveLength(2);
      expect(within(cards[0]).getByTestId('deal-idle')).toHaveTextContent('Без движения');
      expect(cards[0]).toHaveTextContent('ООО «Ромашка»');
      expect(within(cards[1]).queryByTestId('deal-idle')).toBeNull();
    },
  );

  it(
    'opens /deals/:id and lists exactly the missing items when the gate refuses a move',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/deals/11');
      render(<App queryClient={createQueryClient()} />);

      expect(await screen.findByTestId('deal-drawer-title')).toHaveTextContent('Кухня на Ленина');
      // The checklist of the stage ahead can be ticked before moving there.
      const checklist = await screen.findByTestId('deal-checklists');
      expect(checklist).toHaveTextContent('Для перехода на этап «КП отправлено»');
      expect(checklist).toHaveTextContent('Замер согласован');
      expect(screen.getByTestId('deal-lead-link')).toHaveAttribute('href', '/leads?lead=7');

      const select = screen.getByTestId('deal-stage-select');
      fireEvent.mouseDown(select.querySelector('.ant-select-selector')!);
      const option = await waitFor(() => {
        const found = document.querySelector(
          '.ant-select-dropdown [data-testid="deal-stage-option"][data-stage-name="КП отправлено"]',
        );
        expect(found).not.toBeNull();
        return found!;
      });
      fireEvent.click(option);

      const refusal = await screen.findByTestId('gate-refusal');
      expect(refusal).toHaveTextContent('Нельзя перейти на этап «КП отправлено»');
      const missing = within(refusal).getAllByTestId('gate-missing');
      expect(missing.map((m) => m.textContent)).toEqual([
        'Заполните «Сумма сделки».',
        'Отметьте пункт «Замер согласован».',
      ]);
      const move = calls.find((c) => c.url === '/api/v1/deals/11/stage');
      expect(move?.body).toEqual({ stage_id: 2 });
    },
  );

  it(
    'refreshes the «Сумма» field when the deal comes back with the amount of its changed lines',
    { timeout: 120_000 },
    async () => {
      const deal = { ...DEAL, amount_minor: 0 };
      stubServer(deal);
      const queryClient = createQueryClient();
      window.history.pushState({}, '', '/deals/11');
      render(<App queryClient={queryClient} />);

      expect(await screen.findByTestId('deal-drawer-title')).toHaveTextContent('Кухня на Ленина');
      const input = (await screen.findByTestId('deal-amount')) as HTMLInputElement;
      expect(input.value).toBe('');
      // A line was added in the drawer: the catalog's mutation invalidates the deals' queries and the server now
      // answers the lines' sum.
      deal.amount_minor = 12_500_050;
      await act(async () => {
        await queryClient.invalidateQueries({ queryKey: ['deals'] });
      });
      await waitFor(() => expect(input.value.replace(/\D/g, '')).toBe('12500050'));
    },
  );
});
