import type { FormInstance } from 'antd';
import { isApiError } from '../../api';

/**
 * "bank_details/bik" or "bank_details.bik" → ["bank_details", "bik"]; "phones[1].raw", "phones/1"
 * → ["phones", 1, …]; "custom/industry" → ["custom", "industry"].
 */
export function fieldPath(serverField: string): (string | number)[] {
  return serverField
    .replace(/\[(\d+)\]/g, '.$1')
    .replace(/\//g, '.')
    .split('.')
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/**
 * Where a server field error goes in a form whose phones/e-mails are lists of {raw, label}: an error
 * on "phones[0]" belongs under that row's input. Null when the form has no such field.
 */
export function formPath(
  serverField: string,
  values: Record<string, unknown>,
  aliases: Record<string, string> = {},
): (string | number)[] | null {
  const path = fieldPath(aliases[serverField] ?? serverField);
  // Custom fields left empty have no key in the values, but their inputs exist.
  if (path[0] === 'custom' && path.length === 2) return path;
  let node: unknown = values;
  for (const part of path) {
    if (node === null || typeof node !== 'object' || !(part in (node as object))) return null;
    node = (node as Record<string | number, unknown>)[part];
  }
  if (node !== null && typeof node === 'object' && !Array.isArray(node) && 'raw' in node)
    return [...path, 'raw'];
  return path;
}

/** Puts the server's field errors under the matching fields; returns the errors that found no field. */
export function applyServerErrors(
  form: FormInstance,
  error: unknown,
  aliases: Record<string, string> = {},
): string[] {
  if (!isApiError(error)) return [];
  const values = (form.getFieldsValue(true) ?? {}) as Record<string, unknown>;
  const unplaced: string[] = [];
  const fields: { name: (string | number)[]; errors: string[] }[] = [];
  for (const e of error.errors) {
    const path = formPath(e.field, values, aliases);
    if (path) fields.push({ name: path, errors: [e.message] });
    else unplaced.push(e.message);
  }
  if (fields.length) form.setFields(fields as never);
  return unplaced;
}
