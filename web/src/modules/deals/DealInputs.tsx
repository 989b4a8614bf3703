import { useState } from 'react';
import { InputNumber, Select } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError, Page } from '../../api';
import { CLIENTS_KEY, clientsApi, type ClientEntity } from '../clients/clientsApi';
import { useDebounced } from '../clients/useDuplicateCheck';

/** Picks an existing company or contact by name (server-side search on the clients list). */
export function ClientPicker({
  entity,
  value,
  onChange,
  testId,
  currentLabel,
}: {
  entity: ClientEntity;
  value?: number | null;
  onChange?: (value: number | null) => void;
  testId: string;
  /** The name of the client already chosen, shown before the search answers. */
  currentLabel?: string;
}) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q, 300);
  const found = useQuery<Page<{ id: number; name?: string; full_name?: string }>, ApiError>({
    queryKey: [...CLIENTS_KEY, entity, 'pick', debounced],
    queryFn: () => clientsApi.list(entity, debounced ? { q: debounced } : {}),
  });
  const options = new Map<number, string>();
  if (value && currentLabel) options.set(value, currentLabel);
  for (const item of found.data?.items ?? [])
    options.set(item.id, item.name ?? item.full_name ?? `#${item.id}`);
  return (
    <Select<number>
      data-testid={testId}
      showSearch
      allowClear
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      placeholder={t('deals.pickClient')}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v ?? null)}
      options={[...options].map(([v, label]) => ({ value: v, label }))}
    />
  );
}

/** An amount in roubles (major units) edited as a decimal string; the caller converts to minor units. */
export function MoneyInput({
  value,
  onChange,
  currency,
  testId,
}: {
  value?: string | null;
  onChange?: (value: string | null) => void;
  currency?: string;
  testId: string;
}) {
  const { i18n } = useTranslation();
  return (
    <InputNumber<string>
      data-testid={testId}
      stringMode
      min="0"
      precision={2}
      step="1000"
      style={{ width: '100%' }}
      decimalSeparator={i18n.language === 'en' ? '.' : ','}
      suffix={currency === 'RUB' || !currency ? '₽' : currency}
      value={value ?? null}
      onChange={(v) => onChange?.(v === null || v === '' ? null : String(v))}
    />
  );
}
