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

function dept(id: number, name: string, parent: number | null, extra: object = {}) {
  return {
    id,
    name,
    parent_id: parent,
    path: '/',
    division: { principle: 'none' },
    head_user_id: null,
    archived_at: null,
    created_at: 0,
    updated_at: 0,
    members: [],
    children: [],
    ...extra,
  };
}

const TREE = {
  roots: [
    dept(1, 'Отдел продаж', null, {
      head_user_id: 2,
      division: { principle: 'territory', regions: ['Москва', 'Тверь'] },
      members: [
        {
          employee_id: 20,
          user_id: 2,
          full_name: 'Игорь Петров',
          role_id: 5,
          role_code: 'head_of_sales',
          position_title: 'РОП',
          is_head: true,
          absent_today: false,
        },
      ],
      children: [dept(3, 'Дизайнеры', 1)],
    }),
  ],
};

const ROLE = {
  id: 5,
  code: 'head_of_sales',
  level: 'L2',
  name_ru: 'Руководитель отдела продаж',
  name_en: 'Head of sales',
  duties_ru: 'Ставит планы\nРазбирает звонки',
  duties_en: 'Sets plans\nReviews calls',
  kpis: ['deals_won'],
  permissions: { lead: ['read', 'assign'] },
  scope: 'team',
  system: true,
  retired_at: null,
  active_employees: 1,
};

function respond(status: number, body: unknown, type = 'application/json'): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type } });
}

function stubServer() {
  const calls: { url: string; method: string }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      calls.push({ url, method });
      if (url === '/api/v1/me') return respond(200, ME);
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/org/tree')) return respond(200, TREE);
      if (url.startsWith('/api/v1/roles')) return respond(200, { items: [ROLE] });
      if (url === '/api/v1/departments/1/archive')
        return respond(
          409,
          {
            type: 'about:blank',
            title: 'Conflict',
            status: 409,
            code: 'conflict',
            detail: 'В подразделении есть сотрудники (1): переведите их, прежде чем архивировать.',
            request_id: 'r',
          },
          'application/problem+json',
        );
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

describe('organisation page', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'shows the tree, opens a department and reports the server refusing to archive it',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/organisation');
      render(<App queryClient={createQueryClient()} />);

      expect(await screen.findByTestId('page-title')).toHaveTextContent('Организация');
      const tree = await screen.findByTestId('org-tree');
      fireEvent.click(within(tree).getByText('Отдел продаж'));

      const card = await screen.findByTestId('dept-card');
      expect(within(card).getByTestId('dept-title')).toHaveTextContent('Отдел продаж');
      expect(within(card).getByTestId('dept-principle-value')).toHaveTextContent('По территории');
      expect(within(card).getByText('Тверь')).toBeInTheDocument();
      expect(within(card).getByTestId('dept-head-value')).toHaveTextContent('Игорь Петров');
      await waitFor(() =>
        expect(within(card).getByTestId('dept-people')).toHaveTextContent(
          'Руководитель отдела продаж',
        ),
      );
      expect(window.location.search).toBe('?dept=1');

      fireEvent.click(within(card).getByTestId('dept-archive'));
      fireEvent.click(await screen.findByTestId('dept-archive-confirm'));
      expect(await screen.findByTestId('org-error')).toHaveTextContent(
        'В подразделении есть сотрудники (1): переведите их, прежде чем архивировать.',
      );
      const archive = calls.find((c) => c.url === '/api/v1/departments/1/archive');
      expect(archive?.method).toBe('POST');
    },
  );

  it(
    'lists roles with level and expands duties, rights and KPIs',
    { timeout: 120_000 },
    async () => {
      stubServer();
      window.history.pushState({}, '', '/organisation/roles');
      render(<App queryClient={createQueryClient()} />);
      const table = await screen.findByTestId('roles-table');
      await waitFor(() =>
        expect(within(table).getByTestId('role-name')).toHaveTextContent(
          'Руководитель отдела продаж',
        ),
      );
      expect(within(table).getByText('L2')).toBeInTheDocument();
      expect(within(table).getByText('Поддерево команды')).toBeInTheDocument();
      fireEvent.click(within(table).getByRole('button', { name: /expand|развернуть/i }));
      const details = await screen.findByTestId('role-details');
      expect(within(details).getByTestId('role-duties')).toHaveTextContent('Разбирает звонки');
      expect(within(details).getByTestId('role-rights')).toHaveTextContent('Лиды');
      expect(within(details).getByTestId('role-rights')).toHaveTextContent('назначение');
      expect(within(details).getByText('Выигранные сделки')).toBeInTheDocument();
    },
  );
});
