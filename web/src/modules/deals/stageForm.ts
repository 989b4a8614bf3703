/** The stage editor's pure parts: checklist codes from labels, the form's values to the API body. */

import type { ChecklistItem, Stage, StageWrite } from './dealsApi';

const TRANSLIT: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'i',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'iu',
  я: 'ia',
};
const MAX_CODE = 40;

/** A checklist item's code made from its label: lower-case latin, digits and `_` (Cyrillic transliterated). */
export function codeFromLabel(label: string): string {
  const latin = [...label.toLowerCase()].map((ch) => TRANSLIT[ch] ?? ch).join('');
  const code = latin
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, MAX_CODE)
    .replace(/_+$/, '');
  // A code starts with a letter.
  return /^[0-9]/.test(code) ? `n${code}` : code;
}

export interface ChecklistDraft {
  /** Kept for items that existed (deals' ticks are stored by code); absent for new ones. */
  code?: string;
  label: string;
}

/**
 * Checklist items with codes: existing items keep theirs, new ones get one from the label (or
 * `item_<n>` when the label has no letters), unique inside the pipeline (`elsewhere`: the codes of
 * its other stages — a deal keeps one set of ticks). Blank labels are dropped.
 */
export function withCodes(
  drafts: readonly ChecklistDraft[],
  elsewhere: Iterable<string> = [],
): ChecklistItem[] {
  const items = drafts
    .map((d) => ({ code: d.code, label: d.label.trim() }))
    .filter((d) => d.label !== '');
  const taken = new Set([
    ...elsewhere,
    ...items.map((d) => d.code).filter((c): c is string => !!c),
  ]);
  return items.map((d, index) => {
    if (d.code) return { code: d.code, label: d.label };
    const base = codeFromLabel(d.label) || `item_${index + 1}`;
    let code = base;
    for (let n = 2; taken.has(code); n++) code = `${base}_${n}`;
    taken.add(code);
    return { code, label: d.label };
  });
}

/** A won stage is certain, a lost one hopeless: the probability the server insists on per kind. */
export function probabilityForKind(kind: Stage['kind'], current: number): number {
  if (kind === 'won') return 100;
  if (kind === 'lost') return 0;
  return current === 100 || current === 0 ? 50 : current;
}

export interface StageValues {
  name: string;
  probability: number;
  kind: Stage['kind'];
  idle_days?: number | null;
  is_decision: boolean;
  required_fields: string[];
  checklist: ChecklistDraft[];
}

export function stageValues(stage: Stage | null): StageValues {
  if (!stage)
    return {
      name: '',
      probability: 50,
      kind: 'open',
      idle_days: null,
      is_decision: false,
      required_fields: [],
      checklist: [],
    };
  return {
    name: stage.name,
    probability: stage.probability,
    kind: stage.kind,
    idle_days: stage.idle_days,
    is_decision: stage.is_decision,
    required_fields: [...stage.required_fields],
    checklist: stage.checklist.map((c) => ({ ...c })),
  };
}

/** The form's values as the body of POST /pipelines/{id}/stages or PATCH /stages/{id}. */
export function stageBody(values: StageValues, elsewhere: Iterable<string> = []): StageWrite {
  return {
    name: values.name.trim(),
    probability: values.probability,
    kind: values.kind,
    idle_days: values.idle_days ? values.idle_days : null,
    is_decision: values.kind === 'open' ? values.is_decision : false,
    required_fields: values.required_fields,
    checklist: withCodes(values.checklist ?? [], elsewhere),
  };
}
