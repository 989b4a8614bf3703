import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import { MailTemplatesTab } from './MailTemplatesTab';

const TEMPLATE = (kind: string, lang: string, custom = false) => ({
  kind,
  lang,
  subject: `Тема ${kind} ${lang}`,
  body: 'Текст',
  custom,
  updated_at: null,
});

describe('e-mail templates', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'lists four templates and saves one; a custom one can go back to the built-in text',
    { timeout: 60_000 },
    async () => {
      const calls: { path: string; method: string; body?: unknown }[] = [];
      vi.stubGlobal(
        'fetch',
        vi.fn(async (url: string, init: RequestInit) => {
          const method = init.method ?? 'GET';
          const path = url.split('?')[0];
          calls.push({ path, method, body: init.body ? JSON.parse(String(init.body)) : undefined });
          const json = (status: number, body: unknown) =>
            new Response(JSON.stringify(body), {
              status,
              headers: { 'Content-Type': 'application/json' },
            });
          if (path === '/api/v1/document-mail-templates')
            return json(200, {
              items: [
                TEMPLATE('proposal', 'ru', true),
                TEMPLATE('proposal', 'en'),
                TEMPLATE('invoice', 'ru'),
                TEMPLATE('invoice', 'en'),
              ],
              placeholders: ['document.number'],
            });
          if (method === 'PUT') return json(200, TEMPLATE('proposal', 'ru'));
          return json(404, { status: 404, code: 'not_found', detail: 'нет' });
        }),
      );
      render(
        <QueryClientProvider client={createQueryClient()}>
          <AntApp>
            <MailTemplatesTab />
          </AntApp>
        </QueryClientProvider>,
      );
      const card = await screen.findByTestId('mail-template-proposal-ru');
      expect(screen.getByTestId('mail-template-invoice-en')).toBeInTheDocument();
      expect(screen.getByText('{{document.number}}')).toBeInTheDocument();
      fireEvent.click(within(card).getByText('Вернуть стандартный текст'));
      await waitFor(() => expect(calls.some((c) => c.method === 'PUT')).toBe(true));
      expect(calls.find((c) => c.method === 'PUT')).toEqual({
        path: '/api/v1/document-mail-templates/proposal/ru',
        method: 'PUT',
        body: { reset: true },
      });
    },
  );
});
