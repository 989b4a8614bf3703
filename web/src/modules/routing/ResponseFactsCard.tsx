import { useState } from 'react';
import { Alert, Card, Segmented, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { routingApi, routingKeys, type PersonFacts, type RoutingFacts } from './routingApi';
import { useServerOffset } from './serverClock';
import { formatResponseMs } from './sla';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Periods offered: the last 7 or 30 days up to now. */
const FACT_PERIODS = [7, 30] as const;
type FactPeriod = (typeof FACT_PERIODS)[number];

/** Per person over the last days: leads assigned, answered, overdue, median and p90 response time. */
export function ResponseFactsCard() {
  const { t, i18n } = useTranslation();
  const [days, setDays] = useState<FactPeriod>(7);
  // The period ends at the server's "now" (a demo server's clock may be far from the browser's);
  // whole minutes keep the query key steady between renders.
  const offset = useServerOffset();
  const from = Math.floor((Date.now() + offset) / MINUTE) * MINUTE - days * DAY;
  const facts = useQuery<RoutingFacts, ApiError>({
    queryKey: routingKeys.facts(from),
    queryFn: () => routingApi.facts({ from }),
    placeholderData: keepPreviousData,
    retry: false,
  });

  const time = (ms: number | null) => formatResponseMs(ms, i18n.language);
  const columns: ColumnsType<PersonFacts> = [
    {
      key: 'name',
      title: t('routing.facts.col.name'),
      render: (_, row) => <span data-testid="facts-name">{row.name || `#${row.user_id}`}</span>,
    },
    {
      key: 'assigned',
      title: t('routing.facts.col.assigned'),
      align: 'right',
      dataIndex: 'assigned',
      sorter: (a, b) => a.assigned - b.assigned,
    },
    {
      key: 'responded',
      title: t('routing.facts.col.responded'),
      align: 'right',
      dataIndex: 'responded',
      sorter: (a, b) => a.responded - b.responded,
    },
    {
      key: 'breached',
      title: t('routing.facts.col.breached'),
      align: 'right',
      sorter: (a, b) => a.breached - b.breached,
      render: (_, row) => (
        <span data-testid="facts-breached">
          {row.breached > 0 ? <Typography.Text type="danger">{row.breached}</Typography.Text> : 0}
        </span>
      ),
    },
    {
      key: 'median',
      title: t('routing.facts.col.median'),
      align: 'right',
      sorter: (a, b) =>
        (a.response_working_ms_median ?? Infinity) - (b.response_working_ms_median ?? Infinity),
      render: (_, row) => (
        <span data-testid="facts-median">{time(row.response_working_ms_median)}</span>
      ),
    },
    {
      key: 'p90',
      title: t('routing.facts.col.p90'),
      align: 'right',
      render: (_, row) => <span data-testid="facts-p90">{time(row.response_working_ms_p90)}</span>,
    },
  ];

  return (
    <Card
      size="small"
      title={t('routing.facts.title')}
      data-testid="routing-facts"
      extra={
        <Segmented<FactPeriod>
          size="small"
          value={days}
          onChange={setDays}
          data-testid="facts-period"
          options={FACT_PERIODS.map((d) => ({
            value: d,
            label: (
              <span data-testid={`facts-period-${d}`}>{t('routing.facts.days', { count: d })}</span>
            ),
          }))}
        />
      }
    >
      <Typography.Paragraph type="secondary">{t('routing.facts.help')}</Typography.Paragraph>
      {facts.isError && <Alert type="error" showIcon message={errorMessage(facts.error, t)} />}
      <Table<PersonFacts>
        data-testid="facts-table"
        rowKey="user_id"
        size="small"
        loading={facts.isPending || facts.isPlaceholderData}
        dataSource={facts.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(row) =>
          ({
            'data-testid': 'facts-row',
            'data-user-id': row.user_id,
          }) as React.HTMLAttributes<HTMLElement>
        }
        locale={{ emptyText: t('routing.facts.empty') }}
      />
    </Card>
  );
}
