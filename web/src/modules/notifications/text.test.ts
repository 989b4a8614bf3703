import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { Notification } from '../../api';
import { formatDateTime } from '../../i18n/format';
import { notificationText } from './text';
import { queriesToRefresh } from './useNotifications';

function n(kind: string, params: Record<string, unknown> = {}): Notification {
  return { id: 1, kind, params, link: '/profile', created_at: 0, read_at: null };
}

describe('notificationText', () => {
  it('renders a known kind with its params in the current language', async () => {
    await i18n.changeLanguage('ru');
    expect(notificationText(i18n, n('security.api_token_created', { name: 'Сайт' }))).toBe(
      'Создан API-токен «Сайт»',
    );
    await i18n.changeLanguage('en');
    expect(notificationText(i18n, n('security.api_token_created', { name: '<b>x</b>' }))).toBe(
      'API token “<b>x</b>” was created',
    );
  });

  it('falls back to a generic text for unknown kinds', async () => {
    await i18n.changeLanguage('en');
    expect(notificationText(i18n, n('deals.something_new'))).toBe('New event');
    expect(notificationText(i18n, n('security'))).toBe('New event');
    await i18n.changeLanguage('ru');
    expect(notificationText(i18n, n(''))).toBe('Новое событие');
  });
});

describe('routing notifications', () => {
  it('names the lead and shows the deadline as a date', async () => {
    await i18n.changeLanguage('ru');
    const deadline = Date.UTC(2026, 11, 3, 8, 0);
    const text = notificationText(
      i18n,
      n('routing.assigned', {
        lead_id: 5,
        title: 'Кухня 3 м',
        deadline_at: deadline,
        sla_minutes: 60,
        rule: 'Сайт',
      }),
    );
    expect(text).toContain('«Кухня 3 м»');
    expect(text).toContain(formatDateTime(deadline, 'ru'));
    expect(text).not.toContain(String(deadline));
  });

  it('has a text for every routing kind in both languages', async () => {
    const kinds = [
      'routing.assigned',
      'routing.reassigned_to_you',
      'routing.taken_away',
      'routing.breach',
      'routing.escalated',
      'routing.queued',
      'routing.meeting_booked',
      'routing.coverage_low',
    ];
    for (const language of ['ru', 'en']) {
      await i18n.changeLanguage(language);
      for (const kind of kinds) {
        const text = notificationText(
          i18n,
          n(kind, {
            title: 'X',
            breaches: 1,
            to_name: 'Никита',
            rule: 'R',
            starts_at: 0,
            deadline_at: null,
            days: 2,
            first_day: '2026-12-09',
          }),
        );
        expect(text, `${language} ${kind}`).not.toBe(i18n.t('notifications.unknown'));
        expect(text).not.toMatch(/\{\{/);
      }
    }
  });
});

describe('coverage warning', () => {
  it('shows the first short day as a date', async () => {
    await i18n.changeLanguage('ru');
    const text = notificationText(
      i18n,
      n('routing.coverage_low', { rule: 'Сайт', days: 2, first_day: '2026-12-09' }),
    );
    expect(text).toMatch(/«Сайт».*2.*ср, 9 декабря/);
  });
});

describe('queriesToRefresh', () => {
  it('reloads leads and routing when a routing event arrives', () => {
    expect(queriesToRefresh('routing.reassigned_to_you')).toEqual([['leads'], ['routing']]);
    expect(queriesToRefresh('security.api_token_created')).toEqual([]);
  });
});
