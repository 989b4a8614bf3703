import { api, ApiError, NETWORK_ERROR, parseError, type Page } from '../../api';
import i18n from '../../i18n';

export type ImportEntity = 'company' | 'contact' | 'lead' | 'deal';
export const IMPORT_ENTITIES: readonly ImportEntity[] = ['company', 'contact', 'lead', 'deal'];

/** header → target field; an empty target skips the column. */
export type ColumnMapping = Record<string, string>;

/** A field a column may go to; `repeated` ones (phone, e-mail) may take several columns. */
export interface TargetField {
  code: string;
  label_ru: string;
  label_en: string;
  repeated: boolean;
}

export interface PreviewRow {
  row: number;
  cells: string[];
  error: string;
}

export interface Upload {
  id: number;
  entity: ImportEntity;
  file_name: string;
  format?: string;
  encoding?: string;
  delimiter?: string;
  headers: string[];
  preview: PreviewRow[];
  suggested_mapping?: { columns: ColumnMapping };
  target_fields?: TargetField[];
}

export type ImportStatus = 'uploaded' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
export interface ImportRun {
  id: number;
  entity: ImportEntity;
  file_name: string;
  status: ImportStatus;
  dry_run: boolean;
  total_rows: number | null;
  processed_rows: number;
  created_rows: number;
  merged_rows: number;
  rejected_rows: number;
  error: string;
  created_at: number;
  updated_at?: number;
  finished_at?: number | null;
}

export interface ImportMapping {
  id: number;
  entity: ImportEntity;
  name: string;
  builtin: boolean;
  columns: ColumnMapping;
}

export interface StartImport {
  mapping?: { columns: ColumnMapping };
  mapping_id?: number;
  dry_run: boolean;
  save_mapping_as?: string;
}

export const IMPORTS_KEY = ['imports'] as const;

/** Sends the file as the raw request body (the API takes it unwrapped, streaming to disk). */
async function upload(entity: ImportEntity, file: File): Promise<Upload> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.language === 'en' ? 'en' : 'ru',
    'Content-Type': file.type || 'application/octet-stream',
  };
  const csrf = api.getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  const url = `/api/v1/imports?${new URLSearchParams({ entity, file_name: file.name })}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError({ status: 0, code: NETWORK_ERROR, detail: '' });
  }
  if (!response.ok) throw await parseError(response);
  return (await response.json()) as Upload;
}

export const importsApi = {
  upload,
  start: (id: number, body: StartImport) =>
    api.request<ImportRun>(`/api/v1/imports/${id}/start`, { method: 'POST', body }),
  run: (id: number) => api.request<ImportRun>(`/api/v1/imports/${id}`),
  list: (cursor?: string | null) =>
    api.request<Page<ImportRun>>('/api/v1/imports', { query: { cursor, limit: 50 } }),
  mappings: (entity: ImportEntity) =>
    api.request<{ items: ImportMapping[]; target_fields: TargetField[] }>(
      '/api/v1/imports/mappings',
      { query: { entity } },
    ),
  errorsUrl: (id: number) => `/api/v1/imports/${id}/errors.csv`,
};

/** Target fields per entity when the server does not list them (the API's field names). */
export const DEFAULT_TARGETS: Record<ImportEntity, string[]> = {
  company: [
    'name',
    'full_name',
    'legal_form',
    'inn',
    'kpp',
    'ogrn',
    'phone',
    'email',
    'website',
    'legal_address',
    'actual_address',
    'bank_name',
    'bik',
    'account',
    'corr_account',
    'tags',
    'notes',
    'owner_email',
  ],
  contact: [
    'full_name',
    'last_name',
    'first_name',
    'middle_name',
    'phone',
    'email',
    'company_name',
    'position',
    'birthday',
    'tags',
    'notes',
    'owner_email',
  ],
  lead: [
    'title',
    'request_text',
    'contact_name',
    'company_name',
    'phone',
    'email',
    'inn',
    'campaign',
    'utm_source',
    'utm_medium',
    'utm_campaign',
    'status',
    'owner_email',
  ],
  deal: [
    'title',
    'owner_email',
    'company_name',
    'company_inn',
    'pipeline',
    'stage',
    'status',
    'amount',
    'currency',
    'created_at',
    'closed_at',
    'expected_close_date',
    'loss_reason',
    'loss_comment',
    'checklist',
    'lines',
    'product',
    'quantity',
    'price',
  ],
};

/** A saved mapping laid over this file's headers: columns it does not know stay unmapped. */
export function applyMapping(headers: readonly string[], columns: ColumnMapping): ColumnMapping {
  const byLower = new Map(Object.entries(columns).map(([h, f]) => [h.trim().toLowerCase(), f]));
  return Object.fromEntries(headers.map((h) => [h, byLower.get(h.trim().toLowerCase()) ?? '']));
}

/** The mapping to send: only mapped columns. */
export function compactMapping(mapping: ColumnMapping): ColumnMapping {
  return Object.fromEntries(Object.entries(mapping).filter(([, f]) => f));
}

/**
 * Targets used by more than one column (a mistake the UI points out before the run); fields marked
 * `repeated` (a card holds several phones or e-mails) may take several columns.
 */
export function duplicateTargets(mapping: ColumnMapping, repeated: ReadonlySet<string>): string[] {
  const seen = new Map<string, number>();
  for (const f of Object.values(mapping)) if (f) seen.set(f, (seen.get(f) ?? 0) + 1);
  return [...seen].filter(([f, n]) => n > 1 && !repeated.has(f)).map(([f]) => f);
}

/** Percent done; unknown totals (still counting) show as 0 until the first checkpoint. */
export function progressPercent(run: Pick<ImportRun, 'status' | 'total_rows' | 'processed_rows'>) {
  if (run.status === 'done') return 100;
  if (!run.total_rows) return 0;
  return Math.min(99, Math.floor((run.processed_rows / run.total_rows) * 100));
}

export function isFinished(status: ImportStatus): boolean {
  return status === 'done' || status === 'failed' || status === 'cancelled';
}
