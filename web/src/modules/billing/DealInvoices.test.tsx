import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import { MemoryRouter } from 'react-router-dom';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import { ME } from './testFixtures';
import { DealInvoices } from './DealInvoices';

// The server's clock: 31 March 2026, 22:30 UTC — already 1 April in the workspace's zone (Moscow), whatever the
// browser's own clock and zone say.
const SERVER_NOW = Date.UTC(2026, 2, 31, 22, 30);

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('the new-invoice dialog', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('ru');
    api.setCsrfToken('csrf-abc');
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        const path = url.split('?')[0];
        if (path === '/api/v1/me') return respond(200, ME);
        if (path === '/api/v1/health') return respond(200, { status: 'ok', time: SERVER_NOW });
        if (path === '/api/v1/roles') return respond(200, { items: [] });
        if (path === '/api/v1/invoices') return respond(200, { items: [], next_cursor: null });
        return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
      }),
    );
  });

  it('dates the invoice by the server clock in the workspace zone, not the browser date', async () => {
    render(
      <AntApp>
        <QueryClientProvider client={createQueryClient()}>
          <MemoryRouter>
            <DealInvoices
              deal={{
                id: 11,
                title: 'Кухня на Ленина',
                amount_minor: 30_000_000,
                currency: 'RUB',
                status: 'open',
                deleted_at: null,
              }}
            />
          </MemoryRouter>
        </QueryClientProvider>
      </AntApp>,
    );
    fireEvent.click(await screen.findByTestId('deal-invoice-new'));
    const issue = await screen.findByTestId('invoice-issue-date');
    const input = (
      issue.tagName === 'INPUT' ? issue : issue.querySelector('input')
    ) as HTMLInputElement;
    await waitFor(() => expect(input.value).toBe('01.04.2026'));
  });
});
