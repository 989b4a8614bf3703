import { useState } from 'react';
import { Alert, App, Button, Flex, Segmented, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { milliToQuantity } from '../catalog/units';
import { formatDate } from '../deals/dates';
import { PRODUCTION_COLOR, nextProductionStatus } from './shipments';
import {
  shipmentsApi,
  useProductionRequests,
  useShipmentsMutation,
  type ProductionRequest,
  type ProductionStatus,
} from './shipmentsApi';

/** Производство: the made-to-order items handed off from the deals' shipments; production moves them to ready. */
export default function ProductionPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [status, setStatus] = useState<string>('');
  const requests = useProductionRequests(status);
  const move = useShipmentsMutation(
    ({ id, to }: { id: number; to: ProductionStatus }) => shipmentsApi.setProductionStatus(id, to),
    { onError: (error) => void message.error(errorMessage(error, t)) },
  );
  const columns: ColumnsType<ProductionRequest> = [
    {
      key: 'deal',
      title: t('shipments.deal'),
      render: (_, r) => (
        <Flex vertical>
          <span>{r.deal_title}</span>
          <Typography.Text type="secondary">
            {[r.company_name, r.owner_name].filter(Boolean).join(' · ')}
          </Typography.Text>
        </Flex>
      ),
    },
    {
      key: 'items',
      title: t('shipments.items'),
      render: (_, r) => (
        <Flex vertical>
          {r.items.map((i) => (
            <span key={i.id}>
              {i.name} — {milliToQuantity(i.quantity_milli)} {i.unit}
            </span>
          ))}
          {r.note && <Typography.Text type="secondary">{r.note}</Typography.Text>}
        </Flex>
      ),
    },
    {
      key: 'planned',
      title: t('shipments.field.planned'),
      render: (_, r) => formatDate(r.planned_date, i18n.language),
    },
    {
      key: 'status',
      title: t('shipments.field.status'),
      render: (_, r) => (
        <Tag color={PRODUCTION_COLOR[r.status]} data-testid={`production-status-${r.id}`}>
          {t(`shipments.production.${r.status}`)}
        </Tag>
      ),
    },
    {
      key: 'action',
      render: (_, r) => {
        const to = nextProductionStatus(r.status);
        return (
          to && (
            <Button
              size="small"
              data-testid={`production-${to}-${r.id}`}
              loading={move.isPending && move.variables?.id === r.id}
              onClick={() => move.mutate({ id: r.id, to })}
            >
              {t(`shipments.productionAction.${to}`)}
            </Button>
          )
        );
      },
    },
  ];
  if (requests.isError)
    return <Alert type="error" showIcon message={errorMessage(requests.error, t)} />;
  return (
    <Flex vertical gap={16} data-testid="production-page">
      <Segmented
        value={status}
        onChange={(v) => setStatus(String(v))}
        options={[
          { value: '', label: t('shipments.filter.all') },
          ...(['requested', 'in_production', 'ready'] as const).map((s) => ({
            value: s,
            label: t(`shipments.production.${s}`),
          })),
        ]}
      />
      <Table
        size="small"
        rowKey="id"
        loading={requests.isLoading}
        columns={columns}
        dataSource={requests.data?.items ?? []}
        pagination={false}
        scroll={{ x: true }}
      />
    </Flex>
  );
}
