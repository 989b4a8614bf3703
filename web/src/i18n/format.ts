/** Date and time of a UTC millisecond timestamp in the interface language. */
export function formatDateTime(ms: number | null | undefined, language: string): string {
  if (ms == null) return '';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(ms));
}
