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

function rule(id: number, position: number, name: string, channels: string[], sla: number) {
  return {
    id,
    position,
    name,
    active: true,
    when: { channels },
    department_id: 2,
    include_subdepartments: true,
    members: [],
    strategy: 'round_robin',
    sla_minutes: sla,
    assign_off_shift: false,
    max_open_per_person: null,
    escalate_after: 2,
    head_user_id: null,
  };
}

const RULES = [
  rule(1, 1, 'Звонки — ответить за 5 минут', ['phone'], 5),
  rule(2, 2, 'Сайт, почта и мессенджеры — ответить за час', ['form', 'email'], 60),
];

const TREE = {
  roots: [
    {
      id: 2,
      name: 'Лидогенерация',
      parent_id: null,
      path: '/2/',
      division: { principle: 'none' },
      head_user_id: 3,
      archived_at: null,
      created_at: 0,
      updated_at: 0,
      members: [],
      children: [],
    },
  ],
};

function respond(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
}

const SELLER = { ...ME, id: 6, email: 'lm@otdel.demo', full_name: 'Никита Орлов', is_admin: false };
/** A lead manager: assigns leads of their team, so reads the rules but does not edit them. */
const TEAM_ROLE = {
  id: 7,
  code: 'lead_manager',
  scope: 'team',
  permissions: { lead: ['read', 'assign'] },
};

function stubServer(me: object = ME) {
  const calls: { url: string; method: string; body?: string }[] = [];
  let rules = [...RULES];
  let settings = { response_statuses: ['in_work', 'qualified'] };
  const isAdmin = (me as { is_admin: boolean }).is_admin;
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string, init: RequestInit) => {
      const method = init.method ?? 'GET';
      calls.push({ url, method, body: init.body as string });
      if (url === '/api/v1/me') return respond(200, me);
      if (url.startsWith('/api/v1/notifications'))
        return respond(200, { items: [], next_cursor: null, unread: 0 });
      if (url.startsWith('/api/v1/employees?user_id=') && !isAdmin)
        return respond(200, { items: [{ id: 60, user_id: 6, role_id: 7 }], next_cursor: null });
      if (url.startsWith('/api/v1/employees'))
        return respond(200, { items: [], next_cursor: null });
      if (url.startsWith('/api/v1/org/tree')) return respond(200, TREE);
      if (url.startsWith('/api/v1/roles'))
        return respond(200, { items: isAdmin ? [] : [TEAM_ROLE] });
      if (url === '/api/v1/routing/settings' && method === 'GET') return respond(200, settings);
      if (url === '/api/v1/routing/settings' && method === 'PUT') {
        settings = JSON.parse(init.body as string) as typeof settings;
        return respond(200, settings);
      }
      if (url.startsWith('/api/v1/intake/forms')) return respond(200, { items: [] });
      if (url === '/api/v1/routing/rules' && method === 'GET')
        return respond(200, { items: rules });
      if (url === '/api/v1/routing/rules/reorder') {
        const ids = (JSON.parse(init.body as string) as { ids: number[] }).ids;
        rules = ids.map((id, i) => ({ ...RULES.find((r) => r.id === id)!, position: i + 1 }));
        return respond(200, { items: rules });
      }
      if (url === '/api/v1/routing/rules/2' && method === 'PUT')
        return respond(422, {
          type: 'about:blank',
          title: 'Проверьте введённые данные',
          status: 422,
          code: 'validation_failed',
          detail: 'Некоторые поля заполнены неверно.',
          request_id: 'r',
          errors: [
            {
              field: 'pool',
              code: 'pool_never_eligible',
              message: 'В этом отделе некому работать.',
            },
            { field: 'when/channels/0', code: 'not_one_of', message: 'Такого канала нет.' },
            { field: 'rules', code: 'too_many', message: 'Слишком много правил.' },
          ],
        });
      if (url === '/api/v1/routing/simulate')
        return respond(200, {
          decision: {
            rule_id: 2,
            rule_position: 2,
            rule_name: 'Сайт, почта и мессенджеры — ответить за час',
            strategy: 'round_robin',
            user_id: 6,
            user_name: 'Никита Орлов',
            queued: false,
            skipped: [
              { user_id: 3, name: 'Ольга Васильева', reason: 'absent', param: 'sick_leave' },
              { user_id: 9, name: 'Пётр Ночной', reason: 'off_shift', param: '' },
            ],
            unmatched_positions: [1],
          },
          deadline_at: Date.UTC(2026, 11, 3, 8, 0),
          explanation: 'rule 2 …',
        });
      return respond(404, { status: 404, code: 'not_found', detail: 'нет' });
    }),
  );
  return calls;
}

describe('routing rules page', () => {
  beforeEach(async () => {
    api.setCsrfToken(null);
    await i18n.changeLanguage('ru');
  });

  it(
    'lists the rules in order and moves one down with the arrow',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/leads/routing');
      render(<App queryClient={createQueryClient()} />);
      const page = await screen.findByTestId('routing-rules');
      await waitFor(() => expect(within(page).getAllByTestId('routing-rule')).toHaveLength(2));
      const titles = () =>
        within(page)
          .getAllByTestId('rule-title')
          .map((n) => n.textContent);
      expect(titles()).toEqual([RULES[0].name, RULES[1].name]);
      expect(within(page).getAllByTestId('rule-sla')[0]).toHaveTextContent('5 раб. мин');
      expect(within(page).getAllByTestId('routing-rule')[1]).toHaveTextContent('Лидогенерация');
      expect(within(page).getAllByTestId('routing-rule')[1]).toHaveTextContent('Сайт');

      fireEvent.click(within(page).getAllByTestId('rule-down')[0]);
      await waitFor(() => expect(titles()).toEqual([RULES[1].name, RULES[0].name]));
      const reorder = calls.find((c) => c.url === '/api/v1/routing/rules/reorder');
      expect(reorder?.method).toBe('POST');
      expect(JSON.parse(reorder!.body!)).toEqual({ ids: [2, 1] });
    },
  );

  it(
    'checks a new rule before sending and shows the server’s field errors on an edited one',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/leads/routing');
      render(<App queryClient={createQueryClient()} />);
      fireEvent.click(await screen.findByTestId('rule-new'));
      let drawer = await screen.findByTestId('rule-drawer');
      fireEvent.change(within(drawer).getByTestId('rule-name'), { target: { value: 'Тверь' } });
      fireEvent.click(within(drawer).getByTestId('rule-save'));
      // The department is required before anything is sent.
      expect(
        await within(drawer).findByText('Выберите отдел', {}, { timeout: 5000 }),
      ).toBeInTheDocument();
      expect(calls.some((c) => c.method === 'POST' && c.url === '/api/v1/routing/rules')).toBe(
        false,
      );
      fireEvent.click(within(drawer).getByText('Отмена'));
      await waitFor(() => expect(screen.queryByTestId('rule-drawer')).not.toBeInTheDocument());

      fireEvent.click((await screen.findAllByTestId('rule-edit'))[1]);
      drawer = await screen.findByTestId('rule-drawer');
      expect(within(drawer).getByTestId('rule-name')).toHaveValue(RULES[1].name);
      fireEvent.click(within(drawer).getByTestId('rule-save'));
      expect(
        await within(drawer).findByText('В этом отделе некому работать.', {}, { timeout: 5000 }),
      ).toBeInTheDocument();
      expect(within(drawer).getByText('Такого канала нет.')).toBeInTheDocument();
      expect(within(drawer).getByTestId('rule-form-error')).toHaveTextContent(
        'Слишком много правил.',
      );
      const put = calls.find((c) => c.method === 'PUT');
      expect(JSON.parse(put!.body!)).toMatchObject({
        name: RULES[1].name,
        department_id: 2,
        members: [],
        when: { channels: ['form', 'email'] },
        sla_minutes: 60,
      });
    },
  );

  it('explains the simulator answer with translated reasons', { timeout: 120_000 }, async () => {
    const calls = stubServer();
    window.history.pushState({}, '', '/leads/routing');
    render(<App queryClient={createQueryClient()} />);
    const sim = await screen.findByTestId('routing-simulator');
    fireEvent.change(within(sim).getByTestId('sim-region'), { target: { value: 'Тверь' } });
    fireEvent.click(within(sim).getByTestId('sim-run'));
    const result = await within(sim).findByTestId('sim-result');
    expect(within(result).getByTestId('sim-rule')).toHaveTextContent(
      '2. Сайт, почта и мессенджеры — ответить за час',
    );
    expect(within(result).getByTestId('sim-who')).toHaveTextContent('Никита Орлов');
    const skipped = within(result).getByTestId('sim-skipped');
    expect(skipped).toHaveTextContent('Ольга Васильева — на больничном');
    expect(skipped).toHaveTextContent('Пётр Ночной — не на смене');
    expect(within(result).getByTestId('sim-deadline')).not.toHaveTextContent('—');
    const sent = calls.find((c) => c.url === '/api/v1/routing/simulate');
    expect(JSON.parse(sent!.body!)).toEqual({
      channel: 'form',
      region: 'Тверь',
      known_client: false,
    });
  });

  it(
    'lets a rule editor choose which status changes count as the first response',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer();
      window.history.pushState({}, '', '/leads/routing');
      render(<App queryClient={createQueryClient()} />);
      const card = await screen.findByTestId('routing-settings');
      expect(card).toHaveTextContent('Что считается первым ответом');
      const box = (status: string) =>
        within(card)
          .getByTestId(`routing-settings-${status}`)
          .closest('label')!
          .querySelector('input')!;
      await waitFor(() => expect(box('in_work')).toBeChecked(), { timeout: 5000 });
      expect(box('qualified')).toBeChecked();
      expect(within(card).getByTestId('routing-settings-in_work')).toHaveTextContent('В работе');
      expect(within(card).getByTestId('routing-settings-save')).toBeDisabled();

      fireEvent.click(box('in_work'));
      expect(box('in_work')).not.toBeChecked();
      fireEvent.click(within(card).getByTestId('routing-settings-save'));
      await waitFor(() => expect(within(card).getByTestId('routing-settings-save')).toBeDisabled());
      const put = calls.find((c) => c.url === '/api/v1/routing/settings' && c.method === 'PUT');
      expect(JSON.parse(put!.body!)).toEqual({ response_statuses: ['qualified'] });
      expect(box('qualified')).toBeChecked();
      expect(box('in_work')).not.toBeChecked();
    },
  );

  it(
    'does not offer the first-response setting to someone who only reads the rules',
    { timeout: 120_000 },
    async () => {
      const calls = stubServer(SELLER);
      window.history.pushState({}, '', '/leads/routing');
      render(<App queryClient={createQueryClient()} />);
      const page = await screen.findByTestId('routing-rules');
      await waitFor(() => expect(within(page).getAllByTestId('routing-rule')).toHaveLength(2));
      expect(
        await within(page).findByText(
          'Правила меняют администраторы и руководители с доступом ко всей компании.',
        ),
      ).toBeInTheDocument();
      expect(screen.queryByTestId('routing-settings')).not.toBeInTheDocument();
      expect(within(page).queryByTestId('rule-new')).not.toBeInTheDocument();
      expect(calls.some((c) => c.url === '/api/v1/routing/settings')).toBe(false);
    },
  );
});
