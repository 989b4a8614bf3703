/** Reading the server's refusals of a stage move (the gate, DEAL-2) for display. */

import { isApiError, type FieldError } from '../../api';

export const GATE_CODES = ['gate_required', 'gate_unchecked'] as const;
const CHECKLIST_PREFIX = 'checklist/';

export interface GateRefusal {
  /** The server's summary (detail), in the user's language. */
  detail: string;
  /** One entry per missing field or unticked item, exactly as the server listed them. */
  items: FieldError[];
  /** Deal/client field codes that must be filled (`amount`, `company.inn` …). */
  fields: string[];
  /** Checklist item codes that must be ticked. */
  checklist: string[];
}

/** The gate's refusal in an error, or null when the error is something else. */
export function gateRefusal(error: unknown): GateRefusal | null {
  if (!isApiError(error) || error.status !== 422) return null;
  const items = error.errors.filter((e) => (GATE_CODES as readonly string[]).includes(e.code));
  if (items.length === 0) return null;
  const checklist = items
    .filter((e) => e.field.startsWith(CHECKLIST_PREFIX))
    .map((e) => e.field.slice(CHECKLIST_PREFIX.length));
  const fields = items.filter((e) => !e.field.startsWith(CHECKLIST_PREFIX)).map((e) => e.field);
  return { detail: error.detail, items, fields, checklist };
}

/** Whether the server refused a move to a lost stage for want of a loss reason. */
export function needsLossReason(error: unknown): boolean {
  return (
    isApiError(error) &&
    error.status === 422 &&
    error.errors.some((e) => e.field === 'loss_reason_id')
  );
}

/** Field errors of a form-like refusal (not the gate's) keyed by field, for Form.setFields. */
export function fieldErrors(error: unknown): { name: string; errors: string[] }[] {
  if (!isApiError(error)) return [];
  const byField = new Map<string, string[]>();
  for (const e of error.errors) {
    if ((GATE_CODES as readonly string[]).includes(e.code)) continue;
    byField.set(e.field, [...(byField.get(e.field) ?? []), e.message]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}
