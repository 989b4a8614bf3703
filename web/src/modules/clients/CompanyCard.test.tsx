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

const COMPANY = {
  id: 7,
  legal_form: 'ooo',
  name: 'Ромашка',
  full_name: 'ООО «Ромашка»',
  inn: '7707083893',
  kpp: '770701001',
  ogrn: null,
  legal_address: 'Москва, ул. Лесная, 5',
  actual_address: '',
  bank_details: { bank_name: 'Сбербанк', bik: '044525225' },
  financial_state: 'growing',
  purchase_volume_minor: 150_000_000,
  currency: 'RUB',
  payment_discipline: 'good',
  preferences: '',
  notes: 'Звонить после обеда',
  website: '',
  tags: ['опт'],
  custom: {},
  owner_user_id: 2,
  owner_name: 'Игорь Петров',
  source_lead_id: 41,
  merged_into_id: null,
  deleted_at: null,
  created_at: 1_700_000_000_000,
  updated_at: 1_700_000_000_000,
  phones: [
    {
      id: 1,
      kind: 'phone',
      label: 'work',
      raw: '8 (495) 123-45-67',
      value: '+74951234567',
      is_primary: true,
    },
  ],
  emails: [],
  contacts: [
    {
      company_id: 7,
      contact_id: 9,
      contact_name: 'Ольга Соколова',
      position: 'Закупщик',
      decision_role: 'decision_maker',
      is_primary: true,
    },
  ],
  decision_maker_ids: [9],
};

const TIMELINE = {
  items: [
    {
      id: 'audit-3',
      at: 1_700_000_100_000,
      kind: 'company.create',
      source: 'audit',
      channel: '',
      subject_type: 'company',
      subject_id: 7,
      actor: { id: 2, name: 'Игорь Петров' },
      actor_name: 'Игорь Петров',
      summary: '',
      payload: {},
    },
    {
      id: 'event-5',
      at: 1_700_000_200_000,
      kind: 'call_missed',
      source: 'event',
      channel: 'phone',
      subject_type: 'company',
      subject_id: 7,
      actor: null,
      actor_name: null,
      summary: '',
      payload: {},
    },
  ],
  next_cursor: null,
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
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/employees'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/custom-fields')) return respond(200, { items: [] });
      if (url.startsWith('/api/v1/companies/7/timeline')) return respond(200, TIMELINE);
      if (url === '/api/v1/duplicates/check') return respond(200, { items: [] });
      if (url === '/api/v1/companies/7' && method === 'PATCH')
        return respond(422, {
          type: 'about:blank',
          title: 'Unprocessable',
          status: 422,
          code: 'validation_failed',
          detail: 'Проверьте поля',
          errors: [
            { field: 'inn', code: 'invalid_inn', message: 'ИНН с неверной контрольной цифрой' },
            { field: 'bank_details/bik', code: 'invalid_bik', message: 'БИК — 9 цифр' },
          ],
        });
      if (url === '/api/v1/companies/7') return respond(200, COMPANY);
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

describe('company card', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'shows the fields in groups, the decision maker and the history',
    { timeout: 120_000 },
    async () => {
      stubServer();
      window.history.pushState({}, '', '/clients/companies/7');
      render(<App queryClient={createQueryClient()} />);
      const card = await screen.findByTestId('company-card', {}, { timeout: 20_000 });
      expect(within(card).getByTestId('page-title')).toHaveTextContent('Ромашка');
      const requisites = within(card).getByTestId('card-requisites');
      expect(requisites).toHaveTextContent('7707083893');
      expect(requisites).toHaveTextContent('770701001');
      expect(within(card).getByTestId('card-main')).toHaveTextContent('8 (495) 123-45-67');
      const people = within(card).getByTestId('card-people');
      expect(people).toHaveTextContent('Ольга Соколова');
      expect(people).toHaveTextContent('ЛПР');
      expect(card).toHaveTextContent('Платит вовремя');
      await waitFor(() => expect(within(card).getAllByTestId('timeline-entry')).toHaveLength(2));
      const entries = within(card).getAllByTestId('timeline-entry');
      expect(entries[0]).toHaveTextContent('Создано');
      expect(entries[0]).toHaveTextContent('Игорь Петров');
      expect(entries[1]).toHaveTextContent('Пропущенный звонок');
    },
  );

  it(
    'puts the server field errors under the INN and BIK inputs',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/clients/companies/7');
      render(<App queryClient={createQueryClient()} />);
      fireEvent.click(await screen.findByTestId('client-edit', {}, { timeout: 20_000 }));
      const form = await screen.findByTestId('company-form');
      fireEvent.click(screen.getByTestId('client-save'));
      // Validation, the request and the re-render take a few seconds in jsdom.
      await waitFor(() => expect(calls.some((c) => c.method === 'PATCH')).toBe(true), {
        timeout: 10_000,
      });
      expect(
        await within(form).findByText('ИНН с неверной контрольной цифрой', {}, { timeout: 10_000 }),
      ).toBeInTheDocument();
      expect(within(form).getByText('БИК — 9 цифр')).toBeInTheDocument();
      const patch = calls.find((c) => c.method === 'PATCH');
      const body = JSON.parse(patch!.body!);
      expect(body.inn).toBe('7707083893');
      expect(body.bank_details).toEqual({ bank_name: 'Сбербанк', bik: '044525225' });
      expect(body.phones).toEqual([
        { value: '8 (495) 123-45-67', label: 'work', is_primary: true },
      ]);
      expect(body.purchase_volume_minor).toBe(150_000_000);
    },
  );
});
