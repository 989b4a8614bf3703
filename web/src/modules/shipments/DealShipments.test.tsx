import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import DealShipments from './DealShipments';

const LINES = [
  {
    deal_line_id: 21,
    product_id: 5,
    name: 'Кухня «Прованс»',
    sku: 'KUH-1',
    unit: 'шт',
    quantity_milli: 1000,
    shipped_milli: 0,
    remaining_milli: 1000,
    made_to_order: true,
  },
  {
    deal_line_id: 22,
    product_id: 6,
    name: 'Мойка гранитная',
    sku: 'MOY-1',
    unit: 'шт',
    quantity_milli: 2500,
    shipped_milli: 1000,
    remaining_milli: 1500,
    made_to_order: false,
  },
];

const SHIPMENT = {
  id: 3,
  deal_id: 9,
  deal_title: 'Кухня',
  company_name: '',
  owner_user_id: 4,
  owner_name: 'Дмитрий Кузнецов',
  status: 'preparing',
  planned_date: '2026-03-01',
  actual_date: null,
  delivered_date: null,
  returned_date: null,
  overdue: true,
  address: 'Москва, ул. Лесная, 5',
  carrier: 'ПЭК',
  tracking: '',
  note: '',
  items: [
    {
      id: 1,
      deal_line_id: 22,
      product_id: 6,
      name: 'Мойка гранитная',
      sku: 'MOY-1',
      unit: 'шт',
      quantity_milli: 1000,
      made_to_order: false,
    },
  ],
  production: null,
  created_by: 4,
  created_at: 1,
  updated_at: 1,
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

function stubServer() {
  const calls: { path: string; method: string; body?: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      const path = url.split('?')[0];
      const body = init.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ path, method, body });
      if (path === '/api/v1/deals/9/shipments' && method === 'GET')
        return respond(200, {
          deal_id: 9,
          can_edit: true,
          today: '2026-03-02',
          lines: LINES,
          items: [SHIPMENT],
        });
      if (path === '/api/v1/deals/9/shipments' && method === 'POST')
        return respond(201, { ...SHIPMENT, id: 4, overdue: false });
      if (path === '/api/v1/shipments/3/status')
        return respond(409, {
          status: 409,
          code: 'conflict',
          detail: 'Отгрузку нельзя перевести в этот статус.',
          errors: [],
        });
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

function renderCard() {
  return render(
    <AntApp>
      <QueryClientProvider client={createQueryClient()}>
        <MemoryRouter>
          <DealShipments dealId={9} />
        </MemoryRouter>
      </QueryClientProvider>
    </AntApp>,
  );
}

describe('the deal card shipments', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('ru');
    api.setCsrfToken('csrf-abc');
  });

  it('shows what is left per line and an overdue shipment with its next move', async () => {
    stubServer();
    renderCard();
    expect(await screen.findByTestId('shipment-lines')).toHaveTextContent('осталось 1.5 / 2.5 шт');
    expect(screen.getByTestId('shipment-lines')).toHaveTextContent('под заказ');
    expect(screen.getByTestId('shipment-status-3')).toHaveTextContent('Готовится');
    expect(screen.getByTestId('deal-shipments')).toHaveTextContent('просрочена');
    expect(screen.getByTestId('shipment-shipped-3')).toBeInTheDocument();
    expect(screen.queryByTestId('shipment-delivered-3')).toBeNull();
  });

  it('plans a shipment of what is left and refuses more than that before sending', async () => {
    const calls = stubServer();
    renderCard();
    fireEvent.click(await screen.findByTestId('shipment-new'));
    fireEvent.change(screen.getByTestId('shipment-qty-22'), { target: { value: '2' } });
    expect(await screen.findByText('больше, чем осталось')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('shipment-all-left'));
    fireEvent.click(screen.getByText('Запланировать'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    const post = calls.find((c) => c.method === 'POST');
    expect(post?.body).toMatchObject({
      planned_date: '2026-03-02',
      items: [
        { deal_line_id: 21, quantity_milli: 1000 },
        { deal_line_id: 22, quantity_milli: 1500 },
      ],
    });
  });
});
