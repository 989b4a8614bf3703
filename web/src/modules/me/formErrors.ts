import type { FormInstance } from 'antd';
import { isApiError } from '../../api';

/** Shows the server's field errors under the matching form fields; true when any field matched. */
export function applyFieldErrors<T>(form: FormInstance<T>, error: unknown): boolean {
  if (!isApiError(error) || error.errors.length === 0) return false;
  const known = new Set(Object.keys(form.getFieldsValue(true) ?? {}));
  const fields = error.errors
    .filter((e) => known.has(e.field))
    .map((e) => ({ name: e.field as never, errors: [e.message] }));
  if (fields.length === 0) return false;
  form.setFields(fields);
  return true;
}
