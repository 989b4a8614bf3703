/** The shipments room's API (DEAL-8): a deal's shipments, their status, the hand-off to production, overdue lists. */

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type Schemas } from '../../api';
import { DEALS_KEY } from '../deals/dealsApi';

export type Shipment = Schemas['Shipment'];
export type ShipmentItem = Schemas['ShipmentItem'];
export type ShipmentLine = Schemas['ShipmentLine'];
export type ShipmentWrite = Schemas['ShipmentWrite'];
export type ShipmentPatch = Schemas['ShipmentPatch'];
export type DealShipments = Schemas['DealShipments'];
export type OverdueShipments = Schemas['OverdueShipments'];
export type ProductionRequest = Schemas['ProductionRequest'];
export type ShipmentStatus = Shipment['status'];
export type ProductionStatus = ProductionRequest['status'];

/** A deal's shipments live under the deals room's key (a line change refreshes them); the lists under their own. */
export const SHIPMENTS_KEY = ['shipments'] as const;
export const shipmentsKeys = {
  deal: (dealId: number) => [...DEALS_KEY, 'shipments', dealId] as const,
  overdue: (filters: Record<string, string | number>) =>
    [...SHIPMENTS_KEY, 'overdue', filters] as const,
  production: (status: string) => [...SHIPMENTS_KEY, 'production', status] as const,
};

export const shipmentsApi = {
  ofDeal: (dealId: number) => api.request<DealShipments>(`/api/v1/deals/${dealId}/shipments`),
  create: (dealId: number, body: ShipmentWrite) =>
    api.request<Shipment>(`/api/v1/deals/${dealId}/shipments`, { method: 'POST', body }),
  update: (id: number, body: ShipmentPatch) =>
    api.request<Shipment>(`/api/v1/shipments/${id}`, { method: 'PATCH', body }),
  remove: (id: number) => api.request<void>(`/api/v1/shipments/${id}`, { method: 'DELETE' }),
  setStatus: (id: number, status: ShipmentStatus, date?: string) =>
    api.request<Shipment>(`/api/v1/shipments/${id}/status`, {
      method: 'POST',
      body: date ? { status, date } : { status },
    }),
  handOff: (id: number, note: string) =>
    api.request<Shipment>(`/api/v1/shipments/${id}/production`, { method: 'POST', body: { note } }),
  overdue: (filters: { owner?: string; department_id?: number }) =>
    api.request<OverdueShipments>('/api/v1/shipments/overdue', {
      query: {
        owner: filters.owner || undefined,
        department_id: filters.department_id ? String(filters.department_id) : undefined,
        limit: '200',
      },
    }),
  production: (status: string) =>
    api.request<{ items: ProductionRequest[]; next_cursor: string | null }>(
      '/api/v1/production-requests',
      {
        query: { status: status || undefined, limit: '200' },
      },
    ),
  setProductionStatus: (id: number, status: ProductionStatus) =>
    api.request<ProductionRequest>(`/api/v1/production-requests/${id}/status`, {
      method: 'POST',
      body: { status },
    }),
};

export function useDealShipments(dealId: number) {
  return useQuery({
    queryKey: shipmentsKeys.deal(dealId),
    queryFn: () => shipmentsApi.ofDeal(dealId),
  });
}

export function useOverdueShipments(filters: { owner?: string; department_id?: number }) {
  return useQuery({
    queryKey: shipmentsKeys.overdue({
      owner: filters.owner ?? '',
      department: filters.department_id ?? 0,
    }),
    queryFn: () => shipmentsApi.overdue(filters),
  });
}

export function useProductionRequests(status: string) {
  return useQuery({
    queryKey: shipmentsKeys.production(status),
    queryFn: () => shipmentsApi.production(status),
  });
}

/** A change of a shipment or a production request: the deal card and the lists refresh. */
export function useShipmentsMutation<T, V>(
  fn: (v: V) => Promise<T>,
  options: { onSuccess?: (data: T, v: V) => void; onError?: (error: unknown) => void } = {},
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (data, v) => {
      void queryClient.invalidateQueries({ queryKey: SHIPMENTS_KEY });
      void queryClient.invalidateQueries({ queryKey: DEALS_KEY });
      options.onSuccess?.(data, v);
    },
    onError: options.onError,
  });
}
