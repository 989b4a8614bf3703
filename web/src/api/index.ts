import i18n from '../i18n';
import { ApiClient } from './client';

export * from './client';

/** Listeners told when the server answers 401: the app drops the session and shows the login page. */
const unauthorizedListeners = new Set<() => void>();

export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

export const api = new ApiClient({
  language: () => (i18n.language === 'en' ? 'en' : 'ru'),
  onUnauthorized: () => unauthorizedListeners.forEach((listener) => listener()),
});
