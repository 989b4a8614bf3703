import { Alert, Button, Flex, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError, Page } from '../../api';
import { errorMessage } from '../../api/errors';
import { stageOf } from './board';
import { formatDate } from './dates';
import { dealKeys, dealsApi, type Deal, type Pipeline } from './dealsApi';
import { formatMoney } from './money';

const STATUS_COLOR: Record<Deal['status'], string> = { open: 'blue', won: 'green', lost: 'red' };

/** The deals of a pipeline as a table: filters on the server, "load more" by cursor. */
export function DealsList({
  pipeline,
  filters,
  onOpen,
}: {
  pipeline: Pipeline;
  filters: Record<string, string>;
  onOpen: (id: number) => void;
}) {
  const { t, i18n } = useTranslation();
  const query = { ...filters, pipeline_id: String(pipeline.id) };
  const list = useInfiniteQuery<Page<Deal>, ApiError>({
    queryKey: dealKeys.list(query),
    queryFn: ({ pageParam }) => dealsApi.list(query, pageParam as string | null),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];

  const columns: ColumnsType<Deal> = [
    {
      key: 'title',
      title: t('deals.col.title'),
      render: (_, deal) => (
        <Typography.Link data-testid="deal-title" onClick={() => onOpen(deal.id)}>
          {deal.title}
        </Typography.Link>
      ),
    },
    {
      key: 'client',
      title: t('deals.col.client'),
      render: (_, deal) => deal.company_name || deal.contact_name,
    },
    {
      key: 'stage',
      title: t('deals.col.stage'),
      render: (_, deal) => (
        <Flex gap={4} wrap>
          <span>{stageOf(pipeline, deal.stage_id)?.name ?? `#${deal.stage_id}`}</span>
          {deal.idle && <Tag color="orange">{t('deals.idle')}</Tag>}
        </Flex>
      ),
    },
    {
      key: 'amount',
      title: t('deals.col.amount'),
      align: 'right',
      render: (_, deal) => formatMoney(deal.amount_minor, deal.currency, i18n.language),
    },
    { key: 'owner', title: t('deals.col.owner'), render: (_, deal) => deal.owner_name },
    {
      key: 'close',
      title: t('deals.col.close'),
      render: (_, deal) => formatDate(deal.expected_close_date, i18n.language),
    },
    {
      key: 'status',
      title: t('deals.col.status'),
      render: (_, deal) => (
        <Tag color={STATUS_COLOR[deal.status]}>{t(`deals.status.${deal.status}`)}</Tag>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          data-testid="deals-error"
          message={errorMessage(list.error, t)}
        />
      )}
      <Table<Deal>
        data-testid="deals-table"
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={rows}
        columns={columns}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(deal) => ({ 'data-deal-id': deal.id }) as React.HTMLAttributes<HTMLElement>}
        locale={{ emptyText: t('deals.empty') }}
      />
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
    </Flex>
  );
}
