import type { i18n as I18n } from 'i18next';
import type { Notification } from '../../api';

/** The sentence for a notification: `notifications.kinds.<kind>` with its params, or a generic text. */
export function notificationText(i18n: I18n, n: Notification): string {
  const key = `notifications.kinds.${n.kind}`;
  // Only a leaf string is a text; a kind like `security` would point at a whole group.
  const raw: unknown = n.kind ? i18n.getResource(i18n.language, 'translation', key) : undefined;
  if (typeof raw !== 'string') return i18n.t('notifications.unknown');
  const params = (n.params ?? {}) as Record<string, unknown>;
  return i18n.t(key, { ...params, interpolation: { escapeValue: false } });
}
