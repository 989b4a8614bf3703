import type { TFunction } from 'i18next';

/** The verb of a timeline kind: audit actions are "<object>.<verb>" ("company.update"), events a word. */
export function timelineKind(kind: string): string {
  const dot = kind.indexOf('.');
  return dot >= 0 ? kind.slice(dot + 1).replace(/\./g, '_') : kind;
}

/** What a timeline row says when the server gave no summary. */
export function timelineText(kind: string, t: TFunction): string {
  return t(`timeline.kind.${timelineKind(kind)}`, { defaultValue: kind });
}
