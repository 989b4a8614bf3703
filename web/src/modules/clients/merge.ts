import type { Company, Contact } from './clientsApi';

export type Mergeable = Company | Contact;

/** The fields shown side by side on the merge screen, per entity. */
export const MERGE_FIELDS = {
  company: [
    'name',
    'legal_form',
    'inn',
    'kpp',
    'ogrn',
    'phones',
    'emails',
    'legal_address',
    'website',
    'owner',
    'tags',
    'notes',
    'created',
  ],
  contact: ['full_name', 'phones', 'emails', 'birthday', 'owner', 'tags', 'notes', 'created'],
} as const;

/** A field's value as text for the comparison (lists joined, phones as typed). */
export function mergeValue(record: Mergeable, field: string): string {
  const r = record as unknown as Record<string, unknown>;
  switch (field) {
    case 'phones':
    case 'emails':
      return ((r[field] as { raw?: string; value: string }[] | undefined) ?? [])
        .map((p) => p.raw ?? p.value)
        .join(', ');
    case 'tags':
      return ((r.tags as string[] | undefined) ?? []).join(', ');
    case 'owner':
      return String(r.owner_name ?? (r.owner_user_id ? `#${r.owner_user_id}` : ''));
    default: {
      const v = r[field];
      return v === null || v === undefined ? '' : String(v);
    }
  }
}

/** Whether the records disagree on a field (the row is highlighted). */
export function differs(records: readonly Mergeable[], field: string): boolean {
  return new Set(records.map((r) => mergeValue(r, field))).size > 1;
}

/**
 * The default survivor: the record with the most filled fields, the oldest on a tie (it has the
 * longest history).
 */
export function suggestSurvivor(records: readonly Mergeable[], fields: readonly string[]): number {
  let best: Mergeable | undefined;
  let bestFilled = -1;
  for (const r of records) {
    const filled = fields.filter((f) => f !== 'created' && mergeValue(r, f) !== '').length;
    if (filled > bestFilled || (filled === bestFilled && best && r.created_at < best.created_at)) {
      best = r;
      bestFilled = filled;
    }
  }
  return best?.id ?? 0;
}
