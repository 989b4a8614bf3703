import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App as AntApp } from 'antd';
import { QueryClientProvider } from '@tanstack/react-query';
import i18n from '../../i18n';
import { api } from '../../api';
import { createQueryClient } from '../../queryClient';
import { SendByEmailButton } from './SendByEmail';

const DRAFT = {
  to: ['buyer@client.ru'],
  cc: [],
  subject: 'Коммерческое предложение № 11-1 — ООО «Северный свет»',
  body: 'Добрый день!',
  lang: 'ru',
  file_name: 'Коммерческое предложение 11-1.pdf',
  from_address: 'Отдел продаж <sales@severny-svet.ru>',
};

const SENT = {
  id: 7,
  deal_id: 11,
  kind: 'proposal',
  proposal_id: 5,
  invoice_id: null,
  to: ['buyer@client.ru'],
  cc: [],
  subject: DRAFT.subject,
  body: DRAFT.body,
  lang: 'ru',
  file_name: DRAFT.file_name,
  file_size: 40_000,
  from_address: DRAFT.from_address,
  message_id: 'otdel.1@severny-svet.ru',
  status: 'sent',
  attempts: 1,
  last_error: null,
  last_error_text: null,
  activity_id: 3,
  created_by: 1,
  created_by_name: 'Мария Соколова',
  created_at: Date.UTC(2026, 11, 4, 9, 0),
  sent_at: Date.UTC(2026, 11, 4, 9, 1),
};

const FAILED = {
  ...SENT,
  id: 6,
  status: 'failed',
  sent_at: null,
  last_error: 'mail.send_failed',
  last_error_text: 'Почтовый сервер не принял письмо; попробуем ещё раз позже.',
};

const BAD_ADDRESS = {
  type: 'about:blank',
  title: 'Unprocessable',
  status: 422,
  code: 'validation_failed',
  detail: 'Проверьте поля',
  request_id: 'r',
  errors: [{ field: 'to/0', code: 'invalid_email', message: 'Введите корректный e-mail.' }],
};

function respond(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

function stubServer({ refuse }: { refuse: boolean }) {
  const calls: { path: string; method: string; body?: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      const path = url.split('?')[0];
      calls.push({ path, method, body: init.body ? JSON.parse(String(init.body)) : undefined });
      if (path === '/api/v1/proposals/5/email-draft') return respond(200, DRAFT);
      if (path === '/api/v1/proposals/5/emails' && method === 'GET')
        return respond(200, { items: [SENT, FAILED] });
      if (path === '/api/v1/proposals/5/emails' && method === 'POST')
        return refuse
          ? respond(422, BAD_ADDRESS, 'application/problem+json')
          : respond(202, { ...SENT, id: 8, status: 'queued', sent_at: null });
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

function renderButton() {
  render(
    <QueryClientProvider client={createQueryClient()}>
      <AntApp>
        <SendByEmailButton kind="proposal" id={5} canSend />
      </AntApp>
    </QueryClientProvider>,
  );
}

describe('send by e-mail', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'prefills from the draft, sends the texts and shows the history with a failure’s reason',
    { timeout: 60_000 },
    async () => {
      const calls = stubServer({ refuse: false });
      renderButton();
      fireEvent.click(screen.getByTestId('proposal-send-email'));
      const dialog = await screen.findByTestId('document-email-dialog');
      await waitFor(() =>
        expect(within(dialog).getByTestId('document-email-subject')).toHaveValue(DRAFT.subject),
      );
      expect(within(dialog).getByTestId('document-email-attachment')).toHaveTextContent(
        DRAFT.file_name,
      );
      const rows = await within(dialog).findAllByTestId('document-email-row');
      expect(rows).toHaveLength(2);
      expect(within(rows[0]).getByTestId('document-email-status')).toHaveTextContent('Отправлено');
      expect(within(rows[0]).getByTestId('document-email-summary')).toHaveTextContent(
        'buyer@client.ru',
      );
      expect(within(rows[1]).getByTestId('document-email-error')).toHaveTextContent(
        'Почтовый сервер не принял письмо',
      );
      expect(within(rows[1]).getByTestId('document-email-retry')).toBeInTheDocument();
      fireEvent.click(screen.getByTestId('document-email-send'));
      await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
      expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
        to: ['buyer@client.ru'],
        cc: [],
        subject: DRAFT.subject,
        body: DRAFT.body,
        lang: 'ru',
      });
      expect(
        await screen.findByText('Письмо поставлено в очередь на отправку'),
      ).toBeInTheDocument();
    },
  );

  it('puts the server’s refusal of an address on the To field', { timeout: 60_000 }, async () => {
    const calls = stubServer({ refuse: true });
    renderButton();
    fireEvent.click(screen.getByTestId('proposal-send-email'));
    const dialog = await screen.findByTestId('document-email-dialog');
    await waitFor(() =>
      expect(within(dialog).getByTestId('document-email-subject')).toHaveValue(DRAFT.subject),
    );
    fireEvent.click(screen.getByTestId('document-email-send'));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    await waitFor(() => expect(dialog.textContent).toContain('Введите корректный e-mail.'));
  });
});
