/** Choice lists of the client cards, as stored by the server (texts under clients.choice.*). */
export const LEGAL_FORMS = ['ooo', 'ao', 'pao', 'ip', 'gov', 'other'] as const;
export const FINANCIAL_STATES = ['stable', 'growing', 'declining', 'troubled'] as const;
export const PAYMENT_DISCIPLINES = ['good', 'late', 'bad'] as const;
export const DECISION_ROLES = ['decision_maker', 'influencer', 'user', 'gatekeeper'] as const;
export const PHONE_LABELS = ['mobile', 'work', 'home', 'fax', 'other'] as const;
export const EMAIL_LABELS = ['work', 'personal', 'other'] as const;

/** Minor units (kopecks) to a money string in the interface language. */
export function formatMoney(minor: number | null | undefined, currency: string, language: string) {
  if (minor == null) return '';
  return new Intl.NumberFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    style: 'currency',
    currency: currency || 'RUB',
    maximumFractionDigits: 0,
  }).format(minor / 100);
}

/** The label of a custom field in the interface language. */
export function fieldLabel(field: { label_ru: string; label_en: string }, language: string) {
  return language === 'en' ? field.label_en || field.label_ru : field.label_ru || field.label_en;
}

/** A custom field value as text: choices by their label, lists joined, empty as ''. */
export function customValueText(
  field: {
    kind: string;
    options: { value: string; label_ru: string; label_en: string }[];
  },
  value: unknown,
  language: string,
): string {
  if (value === null || value === undefined || value === '') return '';
  const label = (v: unknown) => {
    const option = field.options.find((o) => o.value === v);
    return option ? fieldLabel(option, language) : String(v);
  };
  if (Array.isArray(value)) return value.map(label).join(', ');
  if (field.kind === 'choice') return label(value);
  if (field.kind === 'money' && typeof value === 'number')
    return formatMoney(value, 'RUB', language);
  return String(value);
}
