import type { TFunction } from 'i18next';
import { isApiError, NETWORK_ERROR } from './client';

/** The message to show for a failed request: the server's localised detail when it gave one. */
export function errorMessage(error: unknown, t: TFunction): string {
  if (isApiError(error)) {
    if (error.detail) return error.detail;
    if (error.code === NETWORK_ERROR) return t('errors.network');
    return t('errors.unexpected', { status: error.status });
  }
  return t('errors.unexpected', { status: '—' });
}
