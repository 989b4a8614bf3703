import { Alert, Flex, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { priorityColor } from '../leads/priority';
import {
  routingApi,
  routingKeys,
  type Coverage,
  type SlaBoard,
  type SlaBoardItem,
} from './routingApi';
import { ResponseFactsCard } from './ResponseFactsCard';
import { SlaCountdown, SlaStateTag } from './SlaCountdown';
import { formatWorkingMs } from './sla';

/** How often the board re-reads the clocks (breaches and reassignments happen on the server). */
const BOARD_REFRESH_MS = 5_000;

/** Days of the coming week a lead desk pool is short of people; only shown when there are some. */
function CoverageWarnings({ coverage }: { coverage: Coverage | undefined }) {
  const { t, i18n } = useTranslation();
  const gaps = (coverage?.items ?? []).flatMap((item) => item.gaps.map((g) => ({ ...g, item })));
  if (gaps.length === 0) return null;
  const day = (d: string) =>
    new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'ru-RU', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      timeZone: 'UTC',
    }).format(new Date(`${d}T00:00:00Z`));
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="sla-coverage"
      message={t('routing.coverage.title')}
      description={
        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
          {gaps.map((g) => (
            <li key={`${g.item.rule_id}-${g.day}`} data-testid="sla-coverage-gap">
              {t('routing.coverage.gap', {
                rule: g.item.rule_name,
                day: day(g.day),
                count: g.on_duty,
                minimum: g.item.minimum,
              })}
            </li>
          ))}
        </ul>
      }
    />
  );
}

/** Heads' view of first-response clocks: who has which lead, how long is left, what slipped. */
export default function SlaBoardPage() {
  const { t, i18n } = useTranslation();
  const board = useQuery<SlaBoard, ApiError>({
    queryKey: routingKeys.board(),
    queryFn: () => routingApi.board(),
    refetchInterval: BOARD_REFRESH_MS,
  });
  const coverage = useQuery<Coverage, ApiError>({
    queryKey: routingKeys.coverage(),
    queryFn: () => routingApi.coverage(),
    // Only heads and admins may read it; a seller just does not see the warning.
    retry: false,
  });

  const columns: ColumnsType<SlaBoardItem> = [
    {
      key: 'lead',
      title: t('routing.board.col.lead'),
      render: (_, row) => (
        <Flex gap={6} align="center">
          <Tag color={priorityColor(row.priority)} style={{ marginInlineEnd: 0 }}>
            {row.priority}
          </Tag>
          <Link to={`/leads?lead=${row.lead_id}`} data-testid="sla-board-lead">
            {row.title || t('leads.untitled')}
          </Link>
        </Flex>
      ),
    },
    {
      key: 'owner',
      title: t('routing.board.col.owner'),
      render: (_, row) => (
        <span data-testid="sla-board-owner">
          {row.owner_name || (
            <Typography.Text type="secondary">{t('routing.board.nobody')}</Typography.Text>
          )}
        </span>
      ),
    },
    {
      key: 'remaining',
      title: t('routing.board.col.remaining'),
      render: (_, row) =>
        row.routing.state === 'running' && row.routing.deadline_at != null ? (
          <Flex vertical>
            <SlaCountdown
              deadlineAt={row.routing.deadline_at}
              slaMinutes={row.routing.sla_minutes}
            />
            {row.routing.remaining_working_ms != null && (
              <Tooltip title={t('routing.board.workingHint')}>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {t('routing.board.working', {
                    time: formatWorkingMs(row.routing.remaining_working_ms, i18n.language),
                  })}
                </Typography.Text>
              </Tooltip>
            )}
          </Flex>
        ) : (
          <Typography.Text type="secondary">—</Typography.Text>
        ),
    },
    {
      key: 'state',
      title: t('routing.board.col.state'),
      render: (_, row) => <SlaStateTag state={row.routing.state} testId="sla-board-state" />,
    },
    {
      key: 'reassignments',
      title: t('routing.board.col.reassignments'),
      align: 'right',
      render: (_, row) => (
        <span data-testid="sla-board-reassignments">{row.routing.reassignments}</span>
      ),
    },
    {
      key: 'breaches',
      title: t('routing.board.col.breaches'),
      align: 'right',
      render: (_, row) =>
        row.routing.breaches > 0 ? (
          <Typography.Text type="danger">{row.routing.breaches}</Typography.Text>
        ) : (
          0
        ),
    },
    {
      key: 'assigned',
      title: t('routing.board.col.assigned'),
      render: (_, row) => formatDateTime(row.assigned_at, i18n.language),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="sla-board">
      <div>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('routing.board.title')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('routing.board.help')}</Typography.Text>
      </div>
      <CoverageWarnings coverage={coverage.data} />
      {board.isError && <Alert type="error" showIcon message={errorMessage(board.error, t)} />}
      <Table<SlaBoardItem>
        data-testid="sla-board-table"
        rowKey="lead_id"
        size="middle"
        loading={board.isPending}
        dataSource={board.data?.items ?? []}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(row) => ({ 'data-lead-id': row.lead_id }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('routing.board.empty') }}
      />
      <ResponseFactsCard />
    </Flex>
  );
}
