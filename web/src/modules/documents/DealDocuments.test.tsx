import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import { DealDocuments } from './DealDocuments';

const PROPOSAL = {
  id: 5,
  deal_id: 11,
  version: 1,
  number: '11-1',
  template_id: null,
  title: 'Коммерческое предложение № 11-1',
  intro_text: '',
  terms_text: '',
  valid_until: '2026-03-16',
  total_minor: 35_000_000,
  currency: 'RUB',
  line_count: 1,
  lines_source: 'deal_amount',
  status: 'draft',
  sent_at: null,
  file_size: 40_000,
  pdf_url: '/api/v1/proposals/5/pdf',
  created_by: 1,
  created_by_name: 'Мария Соколова',
  created_at: 0,
  updated_at: 0,
};

const TAKEN = {
  type: 'about:blank',
  title: 'Conflict',
  status: 409,
  code: 'conflict',
  detail: 'Договор с таким номером уже есть в этом пространстве.',
  request_id: 'r',
  errors: [{ field: 'number', code: 'not_unique', message: 'Такое значение уже используется.' }],
};

function respond(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

function stubServer() {
  const calls: { path: string; method: string; body?: unknown }[] = [];
  let proposals = [PROPOSAL];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      const path = url.split('?')[0];
      calls.push({ path, method, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (path === '/api/v1/deals/11/proposals' && method === 'GET')
        return respond(200, { items: proposals });
      if (path === '/api/v1/deals/11/proposals' && method === 'POST') {
        const made = {
          ...PROPOSAL,
          id: 6,
          version: 2,
          number: '11-2',
          pdf_url: '/api/v1/proposals/6/pdf',
        };
        proposals = [made, ...proposals];
        return respond(201, made);
      }
      if (path === '/api/v1/proposal-templates')
        return respond(200, {
          items: [
            {
              id: 3,
              name: 'Стандартное КП',
              intro_text: '',
              terms_text: '',
              validity_days: 14,
              archived_at: null,
              created_at: 0,
              updated_at: 0,
            },
          ],
          placeholders: ['client.name'],
        });
      if (path === '/api/v1/deals/11/contracts' && method === 'GET')
        return respond(200, { items: [] });
      if (path === '/api/v1/deals/11/contracts' && method === 'POST')
        return respond(409, TAKEN, 'application/problem+json');
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

function renderDocuments() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <AntApp>
        <MemoryRouter>
          <DealDocuments deal={{ id: 11, deleted_at: null }} />
        </MemoryRouter>
      </AntApp>
    </QueryClientProvider>,
  );
}

describe('deal documents', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'lists the versions with a link to each PDF and generates the next one',
    { timeout: 60_000 },
    async () => {
      const calls = stubServer();
      renderDocuments();
      const table = await screen.findByTestId('proposals-table');
      expect(await within(table).findByText('№ 11-1')).toBeInTheDocument();
      expect(within(table).getByTestId('proposal-open')).toHaveAttribute(
        'href',
        '/api/v1/proposals/5/pdf',
      );
      expect(within(table).getByTestId('proposal-status')).toHaveTextContent('Черновик');
      fireEvent.click(screen.getByTestId('proposal-generate'));
      expect(await within(table).findByText('№ 11-2')).toBeInTheDocument();
      const post = calls.find((c) => c.method === 'POST');
      expect(post?.body).toEqual({ lang: 'ru' });
    },
  );

  it(
    'puts the server’s refusal of a taken number on the number field',
    { timeout: 60_000 },
    async () => {
      const calls = stubServer();
      renderDocuments();
      fireEvent.click(await screen.findByRole('tab', { name: 'Договоры' }));
      fireEvent.click(await screen.findByTestId('contract-new'));
      fireEvent.change(await screen.findByTestId('contract-number'), { target: { value: 'Д-1' } });
      fireEvent.click(screen.getByTestId('contract-save'));
      await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
      expect(await screen.findByText('Такое значение уже используется.')).toBeInTheDocument();
    },
  );
});
