import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import App from '../../App';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';

const ME = {
  id: 3,
  email: 'lead@otdel.demo',
  full_name: 'Ольга Васильева',
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

const NOW = Date.UTC(2026, 11, 3, 7, 0, 0);
const MIN = 60_000;

function lead(id: number, title: string, sla: object | null) {
  return {
    id,
    status: 'new',
    junk_reason: null,
    title,
    request_text: '',
    contact_name: 'Марина',
    company_name: '',
    inn: null,
    points: [],
    utm: { source: '', medium: '', campaign: '', content: '', term: '' },
    sla,
    channel: 'form',
    campaign: '',
    priority: { score: 40, reasons: [] },
    owner_user_id: 3,
    company_id: null,
    contact_id: null,
    converted_company_id: null,
    converted_contact_id: null,
    repeat_count: 0,
    last_request_at: NOW,
    created_at: NOW,
    updated_at: NOW,
  };
}

const sla = (state: string, deadline: number | null) => ({
  state,
  deadline_at: deadline,
  sla_minutes: 60,
  reassignments: 0,
  breaches: 0,
  first_response_at: null,
});

const LEADS = [
  lead(41, 'Кухня 3 м', sla('running', NOW + 45 * MIN)),
  lead(42, 'Шкаф', sla('responded', null)),
  lead(43, 'Прихожая', sla('queued', null)),
];

const ROUTING = {
  routing: {
    rule_id: 2,
    state: 'running',
    deadline_at: NOW + 45 * MIN,
    sla_minutes: 60,
    reassignments: 1,
    breaches: 1,
    first_assigned_at: NOW - 75 * MIN,
    first_response_at: null,
    first_response_kind: '',
    remaining_working_ms: 45 * MIN,
  },
  assignments: [
    {
      id: 1,
      user_id: 6,
      user_name: 'Никита Орлов',
      rule_id: 2,
      reason: 'routed',
      explanation: {
        rule_id: 2,
        rule_position: 2,
        rule_name: 'Сайт — за час',
        strategy: 'round_robin',
        user_id: 6,
        skipped: [],
        text: 'rule 2 «Сайт — за час», round_robin → Никита Орлов',
      },
      assigned_at: NOW - 75 * MIN,
      deadline_at: NOW - 15 * MIN,
      responded_at: null,
      response_working_ms: null,
      breached_at: NOW - 15 * MIN,
      ended_at: NOW - 15 * MIN,
      end_reason: 'breached',
    },
    {
      id: 2,
      user_id: 3,
      user_name: 'Ольга Васильева',
      rule_id: 2,
      reason: 'reassigned',
      explanation: {
        rule_id: 2,
        rule_position: 2,
        rule_name: 'Сайт — за час',
        strategy: 'round_robin',
        user_id: 3,
        skipped: [{ user_id: 6, name: 'Никита Орлов', reason: 'excluded', param: '' }],
        text: '…',
      },
      assigned_at: NOW - 15 * MIN,
      deadline_at: NOW + 45 * MIN,
      responded_at: null,
      response_working_ms: null,
      breached_at: null,
      ended_at: null,
      end_reason: '',
    },
  ],
  meetings: [],
};

const SLOTS = {
  items: [
    {
      user_id: 4,
      name: 'Дмитрий Кузнецов',
      slots: [
        { starts_at: NOW + 60 * MIN, ends_at: NOW + 150 * MIN },
        { starts_at: NOW + 90 * MIN, ends_at: NOW + 180 * MIN },
      ],
    },
    { user_id: 7, name: 'Елена Морозова', slots: [] },
  ],
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

function stubServer() {
  const calls: { url: string; method: string; body?: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      calls.push({ url, method, body: init.body as string });
      if (url === '/api/v1/me') return respond(200, ME);
      if (url === '/api/v1/health') return respond(200, { status: 'ok', time: NOW });
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/employees'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/roles')) return respond(200, { items: [] });
      if (url.startsWith('/api/v1/saved-views')) return respond(200, { items: [] });
      if (url.startsWith('/api/v1/timeline') || url.includes('/timeline'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/leads?') || url === '/api/v1/leads')
        return respond(200, { items: LEADS, next_cursor: null });
      if (url === '/api/v1/leads/41') return respond(200, LEADS[0]);
      if (url === '/api/v1/leads/41/routing') return respond(200, ROUTING);
      if (url === '/api/v1/leads/41/first-response') return respond(200, { stopped: true });
      if (url.startsWith('/api/v1/leads/41/handoff/slots')) return respond(200, SLOTS);
      if (url === '/api/v1/leads/41/handoff')
        return respond(409, {
          type: 'about:blank',
          title: 'Конфликт',
          status: 409,
          code: 'conflict',
          detail: 'Это время уже занято: выберите другое окно.',
          request_id: 'r',
        });
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

describe('lead routing in the inbox and the drawer', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'counts down running clocks and tags answered and queued ones',
    { timeout: 120_000 },
    async () => {
      stubServer();
      window.history.pushState({}, '', '/leads');
      render(<App queryClient={createQueryClient()} />);
      const table = await screen.findByTestId('leads-table');
      await waitFor(() => expect(within(table).getAllByTestId('lead-sla')).toHaveLength(3));
      const cell = (id: number) =>
        within(table.querySelector(`[data-lead-id="${id}"]`) as HTMLElement).getByTestId(
          'lead-sla',
        );
      await waitFor(() =>
        expect(within(cell(41)).getByTestId('sla-countdown').textContent).toMatch(/^4[45]:\d\d$/),
      );
      expect(within(cell(41)).getByTestId('sla-countdown')).toHaveAttribute('data-tone', 'ok');
      expect(cell(42)).toHaveTextContent('Отвечено');
      expect(cell(43)).toHaveTextContent('В очереди');
    },
  );

  it(
    'shows the routing history, records a call and reports a taken slot',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/leads?lead=41');
      render(<App queryClient={createQueryClient()} />);
      const section = await screen.findByTestId('lead-routing', {}, { timeout: 5000 });
      const history = within(section).getAllByTestId('routing-assignment');
      // Newest first.
      expect(history[0]).toHaveAttribute('data-reason', 'reassigned');
      expect(history[0]).toHaveTextContent('Передан после просрочки');
      expect(within(history[0]).getByTestId('routing-explanation')).toHaveTextContent(
        'Правило 2 «Сайт — за час», по очереди → Ольга Васильева. Пропущены: Никита Орлов — пропустил(а) срок по этому лиду',
      );
      expect(history[1]).toHaveTextContent('срок пропущен');
      expect(section).toHaveTextContent('передач: 1');

      fireEvent.click(within(section).getByTestId('lead-first-response'));
      fireEvent.click(await screen.findByTestId('first-response-call'));
      await waitFor(() =>
        expect(calls.some((c) => c.url === '/api/v1/leads/41/first-response')).toBe(true),
      );
      const response = calls.find((c) => c.url === '/api/v1/leads/41/first-response')!;
      expect(response.method).toBe('POST');
      expect(JSON.parse(response.body!)).toEqual({ kind: 'call' });
      expect(await screen.findByText(/часы SLA остановлены/)).toBeInTheDocument();

      fireEvent.click(within(section).getByTestId('lead-handoff'));
      const modal = await screen.findByTestId('handoff-modal');
      const hosts = await within(modal).findAllByTestId('handoff-host');
      // A host with no free time is not listed.
      expect(hosts).toHaveLength(1);
      expect(hosts[0]).toHaveTextContent('Дмитрий Кузнецов');
      fireEvent.click(within(hosts[0]).getAllByTestId('handoff-slot')[1]);
      fireEvent.change(within(modal).getByTestId('handoff-place'), {
        target: { value: 'Салон на Тверской' },
      });
      fireEvent.click(screen.getByTestId('handoff-book'));
      expect(await within(modal).findByTestId('handoff-error')).toHaveTextContent(
        'Это время уже занято: выберите другое окно.',
      );
      const booking = calls.find((c) => c.url === '/api/v1/leads/41/handoff')!;
      expect(JSON.parse(booking.body!)).toEqual({
        host_user_id: 4,
        starts_at: NOW + 90 * MIN,
        minutes: 90,
        place: 'Салон на Тверской',
      });
      // The slots are read again so the taken one can disappear.
      await waitFor(() =>
        expect(
          calls.filter((c) => c.url.startsWith('/api/v1/leads/41/handoff/slots')),
        ).toHaveLength(2),
      );
    },
  );
});
