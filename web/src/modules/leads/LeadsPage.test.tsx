import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
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

const LEAD = {
  id: 41,
  status: 'new',
  junk_reason: null,
  title: 'Кухня 3 метра до конца месяца',
  request_text: 'Нужна кухня 3 м, бюджет 300 тыс., до конца месяца',
  contact_name: 'Ольга',
  company_name: '',
  inn: null,
  points: [
    {
      id: 1,
      kind: 'phone',
      label: 'mobile',
      raw: '8 912 345-67-89',
      value: '+79123456789',
      is_primary: true,
    },
  ],
  utm: { source: '', medium: '', campaign: '', content: '', term: '' },
  sla: null,
  channel: 'form',
  campaign: 'spring',
  priority: {
    score: 70,
    reasons: [
      { code: 'phone', points: 10, text: '+10 указан телефон', params: {} },
      {
        code: 'product',
        points: 25,
        text: '+25 назван товар: кухня',
        params: { product: 'кухня' },
      },
      { code: 'budget', points: 20, text: '+20 указан бюджет: 300 000 ₽', params: {} },
    ],
  },
  owner_user_id: null,
  company_id: null,
  contact_id: null,
  converted_company_id: null,
  converted_contact_id: null,
  repeat_count: 0,
  last_request_at: 1_700_000_000_000,
  created_at: 1_700_000_000_000,
  updated_at: 1_700_000_000_000,
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function stubServer() {
  const calls: { url: string; method: string; body?: string; csrf?: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      const headers = (init.headers ?? {}) as Record<string, string>;
      calls.push({ url, method, body: init.body as string, csrf: headers['X-CSRF-Token'] });
      if (url === '/api/v1/me') return respond(200, ME);
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/employees'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/saved-views')) return respond(200, { items: [] });
      if (url.startsWith('/api/v1/leads?') || url === '/api/v1/leads')
        return respond(200, { items: [LEAD], next_cursor: null });
      if (url === '/api/v1/duplicates/check')
        return respond(200, {
          items: [
            {
              type: 'company',
              id: 7,
              title: 'ООО «Ромашка»',
              match: 'phone',
              value: '+79123456789',
            },
          ],
        });
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

describe('lead inbox', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'shows the score with its reasons, the channel and an honest SLA placeholder',
    { timeout: 120_000 },
    async () => {
      stubServer();
      window.history.pushState({}, '', '/leads');
      render(<App queryClient={createQueryClient()} />);
      const table = await screen.findByTestId('leads-table');
      await waitFor(() => expect(within(table).getByTestId('lead-score')).toHaveTextContent('70'));
      expect(within(table).getByTestId('lead-title')).toHaveTextContent('Кухня 3 метра');
      expect(within(table).getByTestId('lead-channel')).toHaveTextContent('Сайт');
      expect(within(table).getByTestId('lead-sla')).toHaveTextContent('—');
      expect(within(table).getByTestId('lead-status')).toHaveTextContent('Новый');

      fireEvent.click(within(table).getByRole('button', { name: /expand|развернуть/i }));
      const reasons = await screen.findByTestId('priority-reasons');
      const lines = within(reasons)
        .getAllByRole('listitem')
        .map((li) => li.textContent);
      expect(lines).toEqual([
        '+25 назван товар: кухня',
        '+20 указан бюджет: 300 000 ₽',
        '+10 указан телефон',
      ]);
    },
  );

  it(
    'warns about a duplicate while a phone is typed into a new lead',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/leads');
      render(<App queryClient={createQueryClient()} />);
      fireEvent.click(await screen.findByTestId('lead-new'));
      fireEvent.change(await screen.findByTestId('lead-phone'), {
        target: { value: '8 (912) 345-67-89' },
      });
      const warning = await screen.findByTestId('duplicate-warnings', {}, { timeout: 5000 });
      expect(within(warning).getByText('ООО «Ромашка»').closest('a')).toHaveAttribute(
        'href',
        '/clients/companies/7',
      );
      expect(warning).toHaveTextContent('совпадает: телефон');
      const check = calls.find((c) => c.url === '/api/v1/duplicates/check');
      expect(JSON.parse(check!.body!)).toEqual({ phones: ['8 (912) 345-67-89'] });
      expect(check!.csrf).toBe('csrf-abc');
    },
  );
});
