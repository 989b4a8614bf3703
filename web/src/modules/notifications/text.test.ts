import { describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import type { Notification } from '../../api';
import { notificationText } from './text';

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
