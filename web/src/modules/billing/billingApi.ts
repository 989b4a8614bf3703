import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, NETWORK_ERROR, parseError, type Page, type Schemas } from '../../api';
import type { operations } from '../../api/schema';
import i18n from '../../i18n';
import { useMe } from '../auth/session';
import { DEALS_KEY } from '../deals/dealsApi';
import { orgApi, orgKeys, useRoles, type Employee } from '../org/orgApi';

type Body<Op extends keyof operations> = operations[Op] extends {
  requestBody: { content: { 'application/json': infer T } };
}
  ? T
  : never;

export type Invoice = Schemas['Invoice'];
export type InvoiceCard = Schemas['InvoiceCard'];
export type InvoiceLine = Schemas['InvoiceLine'];
export type InvoiceLineWrite = Schemas['InvoiceLineWrite'];
export type InvoiceWrite = Schemas['InvoiceWrite'];
export type InvoiceCreate = Body<'createInvoice'>;
export type InvoiceStatus = Schemas['InvoiceStatus'];
export type Instalment = Schemas['Instalment'];
export type InstalmentWrite = Schemas['InstalmentWrite'];
export type Payment = Schemas['Payment'];
export type PaymentWrite = Schemas['PaymentWrite'];
export type PaymentForm = Schemas['PaymentForm'];
export type BillingReminder = Schemas['BillingReminder'];
export type BankImport = Schemas['BankImport'];
export type BankImportRow = Schemas['BankImportRow'];
export type BillingSettings = Schemas['BillingSettings'];
export type OverdueSummary = Schemas['OverdueSummary'];
export type OverdueGroup = Schemas['OverdueGroup'];

export const PAYMENT_FORMS: readonly PaymentForm[] = [
  'bank_transfer',
  'letter_of_credit',
  'cheque',
  'collection',
  'open_account',
  'commodity_credit',
  'cash_card',
];
export const INVOICE_STATUSES: readonly InvoiceStatus[] = [
  'draft',
  'issued',
  'partially_paid',
  'paid',
  'overdue',
  'cancelled',
];
/** VAT rates in basis points; null is "without VAT". */
export const VAT_RATES: readonly (number | null)[] = [2200, 2000, 1000, 0, null];

/** Every billing query key starts with this, so one invalidation refreshes the room. */
export const BILLING_KEY = ['billing'] as const;
export const billingKeys = {
  list: (filters: Record<string, string | number>) => [...BILLING_KEY, 'list', filters] as const,
  invoice: (id: number) => [...BILLING_KEY, 'invoice', id] as const,
  overdue: () => [...BILLING_KEY, 'overdue'] as const,
  settings: () => [...BILLING_KEY, 'settings'] as const,
  imports: () => [...BILLING_KEY, 'imports'] as const,
};

/** The bank statement as the raw request body (the API takes the CSV unwrapped), answered with the report. */
async function uploadStatement(file: File): Promise<BankImport> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': i18n.language === 'en' ? 'en' : 'ru',
    'Content-Type': 'text/csv',
  };
  const csrf = api.getCsrfToken();
  if (csrf) headers['X-CSRF-Token'] = csrf;
  let response: Response;
  try {
    response = await fetch(
      `/api/v1/bank-imports?${new URLSearchParams({ file_name: file.name })}`,
      { method: 'POST', headers, body: file, credentials: 'same-origin' },
    );
  } catch {
    throw new ApiError({ status: 0, code: NETWORK_ERROR, detail: '' });
  }
  if (!response.ok) throw await parseError(response);
  return (await response.json()) as BankImport;
}

export const billingApi = {
  list: (filters: Record<string, string | number>, cursor?: string | null, limit = 50) =>
    api.request<Page<Invoice>>('/api/v1/invoices', { query: { ...filters, cursor, limit } }),
  invoice: (id: number) => api.request<InvoiceCard>(`/api/v1/invoices/${id}`),
  create: (body: InvoiceCreate) =>
    api.request<InvoiceCard>('/api/v1/invoices', { method: 'POST', body }),
  update: (id: number, body: InvoiceWrite) =>
    api.request<InvoiceCard>(`/api/v1/invoices/${id}`, { method: 'PATCH', body }),
  issue: (id: number) =>
    api.request<InvoiceCard>(`/api/v1/invoices/${id}/issue`, { method: 'POST' }),
  cancel: (id: number, reason: string) =>
    api.request<InvoiceCard>(`/api/v1/invoices/${id}/cancel`, {
      method: 'POST',
      body: { reason } satisfies Body<'cancelInvoice'>,
    }),
  schedule: (id: number, items: InstalmentWrite[]) =>
    api.request<InvoiceCard>(`/api/v1/invoices/${id}/instalments`, {
      method: 'PUT',
      body: { items } satisfies Body<'setInvoiceInstalments'>,
    }),
  pay: (id: number, body: PaymentWrite) =>
    api.request<InvoiceCard>(`/api/v1/invoices/${id}/payments`, { method: 'POST', body }),
  reverse: (paymentId: number) =>
    api.request<InvoiceCard>(`/api/v1/payments/${paymentId}/reverse`, { method: 'POST' }),
  overdue: () => api.request<OverdueSummary>('/api/v1/billing/overdue'),
  settings: () => api.request<BillingSettings>('/api/v1/billing/settings'),
  saveSettings: (body: BillingSettings) =>
    api.request<BillingSettings>('/api/v1/billing/settings', { method: 'PUT', body }),
  imports: () => api.request<Page<BankImport>>('/api/v1/bank-imports', { query: { limit: 20 } }),
  bankImport: (id: number) => api.request<BankImport>(`/api/v1/bank-imports/${id}`),
  uploadStatement,
};

/** Where the invoice's PDF opens. */
export const invoicePdfUrl = (id: number) => `/api/v1/invoices/${id}/pdf`;

export function useInvoices(filters: Record<string, string | number>, enabled = true) {
  return useQuery<Page<Invoice>, ApiError>({
    queryKey: billingKeys.list(filters),
    queryFn: () => billingApi.list(filters, null, 200),
    enabled,
  });
}

export function useInvoice(id: number | null) {
  return useQuery<InvoiceCard, ApiError>({
    queryKey: billingKeys.invoice(id ?? 0),
    queryFn: () => billingApi.invoice(id!),
    enabled: id !== null,
  });
}

export function useOverdue() {
  return useQuery<OverdueSummary, ApiError>({
    queryKey: billingKeys.overdue(),
    queryFn: billingApi.overdue,
  });
}

export function useBillingSettings(enabled = true) {
  return useQuery<BillingSettings, ApiError>({
    queryKey: billingKeys.settings(),
    queryFn: billingApi.settings,
    enabled,
  });
}

export function useBankImports(enabled = true) {
  return useQuery<Page<BankImport>, ApiError>({
    queryKey: billingKeys.imports(),
    queryFn: billingApi.imports,
    enabled,
  });
}

/** A mutation that refreshes every cached billing query (and the deals: the 72-hour flag follows payments). */
export function useBillingMutation<TData, TVariables>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  options: {
    onSuccess?: (data: TData, variables: TVariables) => void;
    onError?: (error: ApiError, variables: TVariables) => void;
  } = {},
) {
  const queryClient = useQueryClient();
  return useMutation<TData, ApiError, TVariables>({
    mutationFn,
    onSuccess: (data, variables) => {
      void queryClient.invalidateQueries({ queryKey: BILLING_KEY });
      void queryClient.invalidateQueries({ queryKey: DEALS_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}

export interface BillingAccess {
  /** invoice:read — the room's pages. */
  canRead: boolean;
  /** invoice:create — new invoices on one's deals. */
  canInvoice: boolean;
  /** invoice:update — edit drafts, issue, plan instalments. */
  canEdit: boolean;
  /** invoice:delete — cancel issued invoices. */
  canCancelIssued: boolean;
  /** payment:create — record payments, import bank statements. */
  canPay: boolean;
  /** payment:delete — reverse payments. */
  canReverse: boolean;
  /** org:update or an administrator — the billing settings. */
  canConfigure: boolean;
  loading: boolean;
}

/** What the caller may do with money, from their role. Only hides buttons; the server decides. */
export function useBillingAccess(): BillingAccess {
  const me = useMe();
  const userId = me.data?.id;
  const isAdmin = me.data?.is_admin ?? false;
  const mine = useQuery<Employee | null, ApiError>({
    queryKey: orgKeys.employeeOfUser(userId ?? 0),
    queryFn: async () => (await orgApi.employeesOfUser(userId!)).items[0] ?? null,
    enabled: userId !== undefined && !isAdmin,
  });
  const roles = useRoles(true);
  if (isAdmin)
    return {
      canRead: true,
      canInvoice: true,
      canEdit: true,
      canCancelIssued: true,
      canPay: true,
      canReverse: true,
      canConfigure: true,
      loading: false,
    };
  const role = roles.data?.find((r) => r.id === mine.data?.role_id);
  const readOnly = role?.scope === 'read_all';
  const allowed = (object: string, action: string) =>
    (role?.permissions?.[object] as string[] | undefined)?.includes(action) ?? false;
  const write = (object: string, action: string) => !readOnly && allowed(object, action);
  return {
    canRead: allowed('invoice', 'read'),
    canInvoice: write('invoice', 'create'),
    canEdit: write('invoice', 'update'),
    canCancelIssued: write('invoice', 'delete'),
    canPay: write('payment', 'create'),
    canReverse: write('payment', 'delete'),
    canConfigure: write('org', 'update'),
    loading: me.isPending || mine.isPending || roles.isPending,
  };
}
