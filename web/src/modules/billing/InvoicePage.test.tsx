import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter, Route, Routes } from 'react-router-dom';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import { ME } from './testFixtures';
import InvoicePage from './InvoicePage';

const CARD = {
  id: 7,
  deal_id: 11,
  deal_title: 'Встроенная кухня с техникой',
  owner_user_id: 4,
  owner_name: 'Елена Морозова',
  number: '2026-000007',
  state: 'issued',
  status: 'issued',
  issue_date: '2026-03-02',
  due_date: '2026-03-07',
  next_due_date: '2026-03-07',
  currency: 'RUB',
  payment_form: 'bank_transfer',
  vat_included: true,
  net_minor: 24_590_164,
  vat_minor: 5_409_836,
  total_minor: 30_000_000,
  paid_minor: 0,
  outstanding_minor: 30_000_000,
  company_id: 3,
  contact_id: null,
  payer_name: 'ООО «Ромашка»',
  payer_inn: '7707083893',
  note: '',
  cancel_reason: '',
  issued_at: 1,
  paid_at: null,
  cancelled_at: null,
  overdue_at: null,
  created_by: 4,
  created_at: 1,
  updated_at: 1,
  lines: [
    {
      product_id: null,
      name: 'Кухонный гарнитур',
      sku: '',
      unit: 'компл.',
      quantity_milli: 1000,
      unit_price_minor: 30_000_000,
      discount_bp: 0,
      vat_rate_bp: 2200,
      vat_minor: 5_409_836,
      amount_minor: 30_000_000,
    },
  ],
  instalments: [] as unknown[],
  payments: [] as unknown[],
  reminders: [] as unknown[],
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function stubServer() {
  const calls: { path: string; method: string; body?: unknown }[] = [];
  let card = { ...CARD };
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      const path = url.split('?')[0];
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ path, method, body });
      if (path === '/api/v1/me') return respond(200, ME);
      if (path === '/api/v1/roles') return respond(200, { items: [] });
      if (path === '/api/v1/invoices/7' && method === 'GET') return respond(200, card);
      if (path === '/api/v1/invoices/7/instalments' && method === 'PUT') {
        const items = (body as { items: { due_date: string; amount_minor: number }[] }).items;
        card = {
          ...card,
          due_date: items[items.length - 1].due_date,
          next_due_date: items[0].due_date,
          instalments: items.map((it, i) => ({
            id: i + 1,
            note: '',
            paid_minor: 0,
            status: 'pending',
            overdue_at: null,
            ...it,
          })),
        };
        return respond(200, card);
      }
      if (path === '/api/v1/invoices/7/payments' && method === 'POST') {
        const paid = (body as { amount_minor: number }).amount_minor;
        card = {
          ...card,
          paid_minor: paid,
          outstanding_minor: card.total_minor - paid,
          status: 'partially_paid',
        };
        return respond(201, card);
      }
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

function renderPage() {
  return render(
    <AntApp>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter initialEntries={['/billing/invoices/7']}>
          <Routes>
            <Route path="/billing/invoices/:id" element={<InvoicePage />} />
          </Routes>
        </MemoryRouter>
      </QueryClientProvider>
    </AntApp>,
  );
}

describe('the invoice page', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('ru');
    api.setCsrfToken('csrf-abc');
  });

  it('splits the total into monthly instalments that add up and saves the schedule', async () => {
    const calls = stubServer();
    renderPage();
    expect(await screen.findByTestId('page-title')).toHaveTextContent('Счёт № 2026-000007');
    fireEvent.click(await screen.findByTestId('schedule-edit'));
    fireEvent.click(screen.getByTestId('schedule-split'));
    expect(screen.getAllByTestId('schedule-row')).toHaveLength(3);
    expect(screen.getByTestId('schedule-sum')).toHaveTextContent(/300\s000\s₽ из 300\s000\s₽/);
    fireEvent.click(screen.getByTestId('schedule-save'));
    await waitFor(() =>
      expect(
        calls.some((c) => c.path === '/api/v1/invoices/7/instalments' && c.method === 'PUT'),
      ).toBe(true),
    );
    const put = calls.find((c) => c.method === 'PUT')!.body as {
      items: { due_date: string; amount_minor: number }[];
    };
    expect(put.items.map((i) => i.due_date)).toEqual(['2026-04-02', '2026-05-02', '2026-06-02']);
    expect(put.items.reduce((n, i) => n + i.amount_minor, 0)).toBe(30_000_000);
    const schedule = await screen.findByTestId('invoice-schedule');
    expect(within(schedule).getAllByTestId('instalment-status')).toHaveLength(3);
  });

  it('records a payment of what is still owed', async () => {
    const calls = stubServer();
    renderPage();
    fireEvent.click(await screen.findByTestId('invoice-pay'));
    fireEvent.change(screen.getByTestId('payment-reference'), { target: { value: 'п/п 15' } });
    fireEvent.click(screen.getByTestId('payment-save'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST')!;
    expect(post.body).toMatchObject({
      amount_minor: 30_000_000,
      method: 'bank_transfer',
      reference: 'п/п 15',
    });
    expect(await screen.findByTestId('invoice-status')).toHaveTextContent('Оплачен частично');
  });
});
