/** The contract form's values to and from the API (dates are `YYYY-MM-DD` calendar days, never instants). */
import dayjs, { type Dayjs } from 'dayjs';
import type { Contract, ContractKind, ContractStatus, ContractWrite } from './documentsApi';

export interface ContractValues {
  kind: ContractKind;
  number: string;
  status: ContractStatus;
  signed_on: Dayjs | null;
  valid_from: Dayjs | null;
  valid_to: Dayjs | null;
  terms: string;
}

const DAY = 'YYYY-MM-DD';
const day = (d: Dayjs | null | undefined): string | null => (d ? d.format(DAY) : null);
const parse = (s: string | null): Dayjs | null => (s ? dayjs(s, DAY) : null);

/** A new contract starts as a draft sale; an existing one shows what it holds. */
export function contractValues(c?: Contract): ContractValues {
  return {
    kind: c?.kind ?? 'sale',
    number: c?.number ?? '',
    status: c?.status ?? 'draft',
    signed_on: parse(c?.signed_on ?? null),
    valid_from: parse(c?.valid_from ?? null),
    valid_to: parse(c?.valid_to ?? null),
    terms: c?.terms ?? '',
  };
}

/** What to send: everything for a new contract, only the changed fields for an existing one. */
export function contractBody(v: ContractValues, original?: Contract): ContractWrite {
  const all: ContractWrite = {
    kind: v.kind,
    number: v.number.trim(),
    status: v.status,
    signed_on: day(v.signed_on),
    valid_from: day(v.valid_from),
    valid_to: day(v.valid_to),
    terms: v.terms,
  };
  if (!original) return all;
  const out: ContractWrite = {};
  for (const key of Object.keys(all) as (keyof ContractWrite)[]) {
    if (all[key] !== original[key]) (out as Record<string, unknown>)[key] = all[key];
  }
  return out;
}

/** The end of validity may not come before its start (the server says so too; the form says it first). */
export function datesOrdered(from: Dayjs | null, to: Dayjs | null): boolean {
  return !from || !to || !to.isBefore(from, 'day');
}

/** The statuses a contract may move to from `from` (the server's order: draft → signed → terminated). */
export function nextStatuses(from: ContractStatus): ContractStatus[] {
  if (from === 'draft') return ['draft', 'signed', 'terminated'];
  if (from === 'signed') return ['signed', 'terminated'];
  return ['terminated'];
}

/** "1,2 МБ" / "340 КБ" for a file's size. */
export function formatSize(bytes: number, language: string): string {
  const ru = language !== 'en';
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} ${ru ? 'КБ' : 'KB'}`;
  const mb = (bytes / (1024 * 1024)).toFixed(1);
  return `${ru ? mb.replace('.', ',') : mb} ${ru ? 'МБ' : 'MB'}`;
}
