import { Alert, Card, Flex, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDate } from '../deals/dates';
import { formatTotals } from '../deals/money';
import { useOverdue, type OverdueGroup } from './billingApi';

/** Просрочка: overdue invoices per person and per team within the caller's part of the tree. */
export default function OverduePage() {
  const { t, i18n } = useTranslation();
  const overdue = useOverdue();
  const columns = (by: 'person' | 'team'): ColumnsType<OverdueGroup> => [
    {
      key: 'name',
      title: by === 'person' ? t('billing.overdue.person') : t('billing.overdue.team'),
      render: (_, g) => {
        const filter = by === 'person' ? `owner=${g.id}` : `department_id=${g.id}`;
        const name =
          g.name || (by === 'person' ? t('billing.overdue.nobody') : t('billing.overdue.noTeam'));
        return g.id === null ? (
          name
        ) : (
          <Link
            to={`/billing/invoices?status=overdue&${filter}`}
            data-testid={`overdue-${by}-link`}
          >
            {name}
          </Link>
        );
      },
    },
    ...(by === 'person'
      ? [
          {
            key: 'team',
            title: t('billing.overdue.team'),
            render: (_: unknown, g: OverdueGroup) => g.department_name || '—',
          },
        ]
      : []),
    { key: 'count', title: t('billing.overdue.count'), align: 'right', dataIndex: 'count' },
    {
      key: 'sum',
      title: t('billing.overdue.sum'),
      align: 'right',
      render: (_, g) => (
        <Typography.Text type="danger">{formatTotals(g.totals, i18n.language)}</Typography.Text>
      ),
    },
  ];
  if (overdue.isError)
    return <Alert type="error" showIcon message={errorMessage(overdue.error, t)} />;
  return (
    <Flex vertical gap={16} data-testid="overdue-page">
      <Typography.Text type="secondary">
        {t('billing.overdue.hint', { date: formatDate(overdue.data?.today, i18n.language) })}
      </Typography.Text>
      <Flex gap={16} wrap align="start">
        <Card size="small" title={t('billing.overdue.byPerson')} style={{ flex: '2 1 420px' }}>
          <Table<OverdueGroup>
            data-testid="overdue-by-person"
            rowKey={(g) => String(g.id)}
            size="small"
            pagination={false}
            loading={overdue.isPending}
            columns={columns('person')}
            dataSource={overdue.data?.by_person ?? []}
            locale={{ emptyText: t('billing.overdue.none') }}
          />
        </Card>
        <Card size="small" title={t('billing.overdue.byTeam')} style={{ flex: '1 1 320px' }}>
          <Table<OverdueGroup>
            data-testid="overdue-by-team"
            rowKey={(g) => String(g.id)}
            size="small"
            pagination={false}
            loading={overdue.isPending}
            columns={columns('team')}
            dataSource={overdue.data?.by_team ?? []}
            locale={{ emptyText: t('billing.overdue.none') }}
          />
        </Card>
      </Flex>
    </Flex>
  );
}
