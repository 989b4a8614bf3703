import { useState } from 'react';
import { Alert, Card, Flex, Segmented, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api, type Schemas } from '../../api';
import { errorMessage } from '../../api/errors';
import { milliToQuantity } from '../catalog/units';
import { formatDate } from '../deals/dates';
import { useOverdueShipments, type Shipment } from './shipmentsApi';

type Department = Schemas['Department'];

/** Просроченные отгрузки: planned before today and still being prepared — per person and per team, along the tree. */
export default function OverdueShipmentsPage() {
  const { t, i18n } = useTranslation();
  const [owner, setOwner] = useState<string>('');
  const [department, setDepartment] = useState<number | undefined>();
  const overdue = useOverdueShipments({ owner, department_id: department });
  const departments = useQuery({
    queryKey: ['shipments', 'departments'],
    queryFn: () => api.request<{ items: Department[] }>('/api/v1/departments'),
  });
  const columns: ColumnsType<Shipment> = [
    {
      key: 'planned',
      title: t('shipments.field.planned'),
      render: (_, s) => (
        <Typography.Text type="danger">{formatDate(s.planned_date, i18n.language)}</Typography.Text>
      ),
    },
    {
      key: 'deal',
      title: t('shipments.deal'),
      render: (_, s) => (
        <Flex vertical>
          <Link to={`/deals/${s.deal_id}`} data-testid={`overdue-shipment-${s.id}`}>
            {s.deal_title}
          </Link>
          {s.company_name && <Typography.Text type="secondary">{s.company_name}</Typography.Text>}
        </Flex>
      ),
    },
    { key: 'owner', title: t('shipments.owner'), render: (_, s) => s.owner_name || '—' },
    {
      key: 'items',
      title: t('shipments.items'),
      render: (_, s) =>
        s.items.map((i) => `${i.name} — ${milliToQuantity(i.quantity_milli)} ${i.unit}`).join('; '),
    },
    {
      key: 'production',
      title: t('shipments.productionTitle'),
      render: (_, s) =>
        s.production ? (
          <Tag>{t(`shipments.production.${s.production.status}`)}</Tag>
        ) : s.items.some((i) => i.made_to_order) ? (
          <Tag color="orange">{t('shipments.notHandedOff')}</Tag>
        ) : null,
    },
  ];
  if (overdue.isError)
    return <Alert type="error" showIcon message={errorMessage(overdue.error, t)} />;
  return (
    <Flex vertical gap={16} data-testid="overdue-shipments-page">
      <Typography.Text type="secondary">
        {t('shipments.overdueHint', { date: formatDate(overdue.data?.today, i18n.language) })}
      </Typography.Text>
      <Flex gap={8} wrap>
        <Segmented
          value={owner}
          onChange={(v) => setOwner(String(v))}
          options={[
            { value: '', label: t('shipments.filter.visible') },
            { value: 'me', label: t('shipments.filter.mine') },
          ]}
        />
        <Select
          allowClear
          style={{ minWidth: 240 }}
          placeholder={t('shipments.filter.team')}
          value={department}
          onChange={(v: number | undefined) => setDepartment(v)}
          options={(departments.data?.items ?? [])
            .filter((d) => !d.archived_at)
            .map((d) => ({ value: d.id, label: d.name }))}
          data-testid="overdue-shipments-team"
        />
      </Flex>
      <Flex gap={16} wrap align="start">
        <Card size="small" title={t('shipments.byOwner')} style={{ minWidth: 260 }}>
          {(overdue.data?.by_owner ?? []).length === 0 ? (
            <Typography.Text type="secondary">{t('shipments.noneOverdue')}</Typography.Text>
          ) : (
            <Flex vertical gap={4} data-testid="overdue-shipments-by-owner">
              {overdue.data?.by_owner.map((o) => (
                <Flex key={o.owner_user_id ?? 0} justify="space-between" gap={16}>
                  <span>{o.owner_name || t('shipments.nobody')}</span>
                  <Typography.Text type="danger">{o.count}</Typography.Text>
                </Flex>
              ))}
            </Flex>
          )}
        </Card>
        <Table
          style={{ flex: '1 1 520px' }}
          size="small"
          rowKey="id"
          loading={overdue.isLoading}
          columns={columns}
          dataSource={overdue.data?.items ?? []}
          pagination={false}
          scroll={{ x: true }}
          data-testid="overdue-shipments-table"
        />
      </Flex>
    </Flex>
  );
}
