import type { i18n as I18n } from 'i18next';
import type { Notification } from '../../api';
import { formatDateTime } from '../../i18n/format';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Params the texts show as dates: UTC milliseconds under a name ending in `_at`, calendar days
 * ("2026-12-09") under one ending in `_day`.
 */
function readableParams(
  params: Record<string, unknown>,
  language: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...params };
  for (const [key, value] of Object.entries(params)) {
    if (key.endsWith('_at')) {
      if (typeof value === 'number') out[key] = formatDateTime(value, language);
      else if (value == null) out[key] = '—';
    } else if (key.endsWith('_day') && typeof value === 'string' && DAY.test(value)) {
      out[key] = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
        weekday: 'short',
        day: 'numeric',
        month: 'long',
        timeZone: 'UTC',
      }).format(new Date(`${value}T00:00:00Z`));
    }
  }
  return out;
}

/** The sentence for a notification: `notifications.kinds.<kind>` with its params, or a generic text. */
export function notificationText(i18n: I18n, n: Notification): string {
  const key = `notifications.kinds.${n.kind}`;
  // Only a leaf string is a text; a kind like `security` would point at a whole group.
  const raw: unknown = n.kind ? i18n.getResource(i18n.language, 'translation', key) : undefined;
  if (typeof raw !== 'string') return i18n.t('notifications.unknown');
  const params = readableParams((n.params ?? {}) as Record<string, unknown>, i18n.language);
  return i18n.t(key, { ...params, interpolation: { escapeValue: false } });
}
