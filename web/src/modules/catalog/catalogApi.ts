/** The catalog room's API (DEAL-3): products, price lists, discount schemes and limits, deal lines, approvals. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api';
import { DEALS_KEY } from '../deals/dealsApi';

export type Product = Schemas['Product'];
export type ProductWrite = Schemas['ProductWrite'];
export type PriceList = Schemas['PriceList'];
export type PriceListWrite = Schemas['PriceListWrite'];
export type PriceItems = Schemas['PriceItems'];
export type DiscountScheme = Schemas['DiscountScheme'];
export type DiscountSchemeWrite = Schemas['DiscountSchemeWrite'];
export type DiscountTier = Schemas['DiscountTier'];
export type DiscountLimits = Schemas['DiscountLimits'];
export type DealLines = Schemas['DealLines'];
export type DealLine = Schemas['DealLine'];
export type DealLineWrite = Schemas['DealLineWrite'];
export type LineQuote = Schemas['LineQuote'];
export type DiscountApproval = Schemas['DiscountApproval'];
export type DiscountApprovalPage = Schemas['DiscountApprovalPage'];
export type SchemeKind = DiscountScheme['kind'];

export const SCHEME_KINDS: readonly SchemeKind[] = ['volume', 'segment', 'promotion'];

/** Catalog settings under their own key; deal lines under the deals room's, so a line change refreshes the deal. */
export const CATALOG_KEY = ['catalog'] as const;
export const catalogKeys = {
  products: (q: string, archived: boolean, priceListId?: number) =>
    [...CATALOG_KEY, 'products', q, archived, priceListId ?? null] as const,
  priceLists: () => [...CATALOG_KEY, 'price-lists'] as const,
  prices: (id: number) => [...CATALOG_KEY, 'prices', id] as const,
  schemes: () => [...CATALOG_KEY, 'schemes'] as const,
  limits: () => [...CATALOG_KEY, 'limits'] as const,
  approvals: (status: string) => [...DEALS_KEY, 'approvals', status] as const,
  lines: (dealId: number) => [...DEALS_KEY, 'lines', dealId] as const,
};

export const catalogApi = {
  products: (q = '', archived = false, priceListId?: number) =>
    api.request<{ items: Product[]; next_cursor: string | null }>('/api/v1/products', {
      query: {
        q: q || undefined,
        archived: archived ? 'true' : undefined,
        price_list_id: priceListId ? String(priceListId) : undefined,
        limit: '200',
      },
    }),
  createProduct: (body: ProductWrite) =>
    api.request<Product>('/api/v1/products', { method: 'POST', body }),
  updateProduct: (id: number, body: ProductWrite & { archived?: boolean }) =>
    api.request<Product>(`/api/v1/products/${id}`, { method: 'PATCH', body }),
  priceLists: () => api.request<{ items: PriceList[] }>('/api/v1/price-lists'),
  createPriceList: (body: PriceListWrite) =>
    api.request<PriceList>('/api/v1/price-lists', { method: 'POST', body }),
  updatePriceList: (id: number, body: PriceListWrite & { archived?: boolean }) =>
    api.request<PriceList>(`/api/v1/price-lists/${id}`, { method: 'PATCH', body }),
  prices: (id: number) => api.request<PriceItems>(`/api/v1/price-lists/${id}/prices`),
  setPrices: (id: number, items: { product_id: number; price_minor: number | null }[]) =>
    api.request<PriceItems>(`/api/v1/price-lists/${id}/prices`, {
      method: 'PUT',
      body: { items },
    }),
  schemes: () => api.request<{ items: DiscountScheme[] }>('/api/v1/discount-schemes'),
  createScheme: (body: DiscountSchemeWrite) =>
    api.request<DiscountScheme>('/api/v1/discount-schemes', { method: 'POST', body }),
  updateScheme: (id: number, body: DiscountSchemeWrite & { archived?: boolean }) =>
    api.request<DiscountScheme>(`/api/v1/discount-schemes/${id}`, { method: 'PATCH', body }),
  limits: () => api.request<DiscountLimits>('/api/v1/discount-limits'),
  setLimit: (code: string, max: number | null) =>
    api.request<DiscountLimits>(`/api/v1/discount-limits/${encodeURIComponent(code)}`, {
      method: 'PUT',
      body: { max_discount_bp: max },
    }),
  resetLimit: (code: string) =>
    api.request<DiscountLimits>(`/api/v1/discount-limits/${encodeURIComponent(code)}`, {
      method: 'DELETE',
    }),
  lines: (dealId: number) => api.request<DealLines>(`/api/v1/deals/${dealId}/lines`),
  quote: (dealId: number, productId: number, quantityMilli: number) =>
    api.request<LineQuote>(`/api/v1/deals/${dealId}/line-quote`, {
      query: { product_id: String(productId), quantity_milli: String(quantityMilli) },
    }),
  addLine: (dealId: number, body: DealLineWrite) =>
    api.request<DealLines>(`/api/v1/deals/${dealId}/lines`, { method: 'POST', body }),
  updateLine: (dealId: number, lineId: number, body: DealLineWrite) =>
    api.request<DealLines>(`/api/v1/deals/${dealId}/lines/${lineId}`, { method: 'PATCH', body }),
  deleteLine: (dealId: number, lineId: number) =>
    api.request<DealLines>(`/api/v1/deals/${dealId}/lines/${lineId}`, { method: 'DELETE' }),
  requestApproval: (dealId: number, comment: string) =>
    api.request<DealLines>(`/api/v1/deals/${dealId}/discount-approval`, {
      method: 'POST',
      body: { comment },
    }),
  approvals: (status: string) =>
    api.request<DiscountApprovalPage>('/api/v1/discount-approvals', {
      query: { status: status || undefined, limit: '200' },
    }),
  decide: (id: number, approve: boolean, comment: string) =>
    api.request<DiscountApproval>(
      `/api/v1/discount-approvals/${id}/${approve ? 'approve' : 'reject'}`,
      { method: 'POST', body: { comment } },
    ),
};

export function useDealLines(dealId: number) {
  return useQuery({
    queryKey: catalogKeys.lines(dealId),
    queryFn: () => catalogApi.lines(dealId),
  });
}

export function useProducts(q = '', archived = false, priceListId?: number) {
  return useQuery({
    queryKey: catalogKeys.products(q, archived, priceListId),
    queryFn: () => catalogApi.products(q, archived, priceListId),
  });
}

export function usePriceLists() {
  return useQuery({ queryKey: catalogKeys.priceLists(), queryFn: () => catalogApi.priceLists() });
}

export function useSchemes() {
  return useQuery({ queryKey: catalogKeys.schemes(), queryFn: () => catalogApi.schemes() });
}

export function useLimits(enabled = true) {
  return useQuery({ queryKey: catalogKeys.limits(), queryFn: () => catalogApi.limits(), enabled });
}

export function useApprovals(status: string) {
  return useQuery({
    queryKey: catalogKeys.approvals(status),
    queryFn: () => catalogApi.approvals(status),
  });
}

/** A change in the catalog or a deal's lines: refreshes the catalog and the deals room (amounts, boards). */
export function useCatalogMutation<T, V>(
  fn: (v: V) => Promise<T>,
  options: { onSuccess?: (data: T, v: V) => void; onError?: (error: unknown) => void } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data, v) => {
      void queryClient.invalidateQueries({ queryKey: CATALOG_KEY });
      void queryClient.invalidateQueries({ queryKey: DEALS_KEY });
      options.onSuccess?.(data, v);
    },
    onError: options.onError,
  });
}
