import { Alert, Flex, Input, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { cleanFilters } from '../clients/listTools';
import { INVOICE_STATUSES, useInvoices, type Invoice } from './billingApi';
import { invoiceColumns } from './invoiceColumns';

const FILTERS = ['status', 'owner', 'department_id', 'q'] as const;

/** Счета: every invoice the caller sees, filtered by status, person, team or text (the overdue list links here). */
export default function InvoicesPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const filters = cleanFilters(
    Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined])),
  );
  const invoices = useInvoices(filters);
  const set = (key: string, value: string | null | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  };
  const extra: ColumnsType<Invoice> = [
    {
      key: 'deal',
      title: t('billing.field.deal'),
      render: (_, inv) => (
        <Flex vertical>
          <Link to={`/deals/${inv.deal_id}`}>{inv.deal_title}</Link>
          <Typography.Text type="secondary">{inv.payer_name}</Typography.Text>
        </Flex>
      ),
    },
    { key: 'owner', title: t('billing.field.owner'), dataIndex: 'owner_name' },
  ];
  const columns = invoiceColumns(
    t,
    i18n.language,
    { link: 'invoice-row-link', status: 'invoice-row-status' },
    extra,
  );
  return (
    <Flex vertical gap={12} data-testid="invoices-page">
      <Flex gap={8} wrap>
        <Select<string>
          allowClear
          data-testid="invoices-status"
          style={{ minWidth: 200 }}
          placeholder={t('billing.field.status')}
          value={params.get('status') ?? undefined}
          onChange={(v) => set('status', v)}
          options={[...INVOICE_STATUSES, 'unpaid'].map((s) => ({
            value: s,
            label: t(`billing.status.${s}`),
          }))}
        />
        <Input.Search
          allowClear
          style={{ maxWidth: 320 }}
          placeholder={t('billing.search')}
          defaultValue={params.get('q') ?? ''}
          onSearch={(v) => set('q', v.trim())}
        />
        {(params.get('owner') || params.get('department_id')) && (
          <Tag
            closable
            onClose={() =>
              setParams(
                new URLSearchParams(params.get('status') ? { status: params.get('status')! } : {}),
              )
            }
          >
            {t('billing.filteredByGroup')}
          </Tag>
        )}
      </Flex>
      {invoices.isError && (
        <Alert type="error" showIcon message={errorMessage(invoices.error, t)} />
      )}
      <Table<Invoice>
        rowKey="id"
        size="small"
        loading={invoices.isPending}
        columns={columns}
        dataSource={invoices.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        scroll={{ x: true }}
      />
    </Flex>
  );
}
