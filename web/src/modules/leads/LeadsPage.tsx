import { useMemo, useState } from 'react';
import { Alert, Button, Card, Flex, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { ApiError, Page } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { ColumnChooser, SavedViews } from '../clients/ListToolbar';
import { cleanFilters, viewDefinition, visibleColumns } from '../clients/listTools';
import { usePeople } from '../clients/people';
import { SlaStatus } from '../routing/SlaCountdown';
import { ChannelTag } from './ChannelTag';
import { LeadDrawer } from './LeadDrawer';
import {
  CHANNELS,
  INBOX_REFRESH_MS,
  LEAD_STATUSES,
  leadKeys,
  leadPoints,
  leadsApi,
  type Lead,
} from './leadsApi';
import { NewLeadModal } from './NewLeadModal';
import { PriorityReasons, PriorityTag } from './PriorityTag';
import { firstRaw } from './priority';
import { StatusTag } from './StatusTag';

const FILTERS = ['status', 'channel', 'owner', 'q'] as const;
const ALL_COLUMNS = [
  'priority',
  'title',
  'contact',
  'channel',
  'status',
  'owner',
  'sla',
  'campaign',
  'created',
] as const;
const DEFAULT_COLUMNS = ['contact', 'channel', 'status', 'owner', 'sla', 'created'];
const FIXED_COLUMNS = ['priority', 'title'];
const COLUMNS_STORAGE = 'otdel.leads.columns';

function storedColumns(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(COLUMNS_STORAGE) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

/** The lead inbox: open leads by priority with filters, saved views and a lead drawer. */
export default function LeadsPage() {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [columns, setColumns] = useState<string[]>(storedColumns);
  const [expanded, setExpanded] = useState<readonly React.Key[]>([]);
  const people = usePeople();

  const filters = useMemo(
    () => cleanFilters(Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]))),
    [params],
  );
  const openId = Number(params.get('lead')) || null;

  const setParam = (changes: Record<string, string | null | undefined>) =>
    setParams(
      (old) => {
        const next = new URLSearchParams(old);
        for (const [k, v] of Object.entries(changes)) {
          if (v) next.set(k, v);
          else next.delete(k);
        }
        return next;
      },
      { replace: true },
    );

  const chooseColumns = (next: string[]) => {
    setColumns(next);
    localStorage.setItem(COLUMNS_STORAGE, JSON.stringify(next));
  };

  const inbox = useInfiniteQuery<Page<Lead>, ApiError>({
    queryKey: leadKeys.inbox(filters),
    queryFn: ({ pageParam }) => leadsApi.inbox(filters, pageParam as string | null),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor,
    // New leads from the site, mail and phone arrive without anyone clicking: keep the inbox fresh.
    refetchInterval: INBOX_REFRESH_MS,
    refetchIntervalInBackground: false,
  });
  const rows = inbox.data?.pages.flatMap((p) => p.items) ?? [];
  const shown = visibleColumns(ALL_COLUMNS, columns, DEFAULT_COLUMNS, FIXED_COLUMNS);
  const ownerName = (lead: Lead) =>
    people.data?.find((p) => p.user_id === lead.owner_user_id)?.full_name ??
    (lead.owner_user_id ? `#${lead.owner_user_id}` : '');

  const columnDefs: ColumnsType<Lead> = [
    {
      key: 'priority',
      title: t('leads.col.priority'),
      width: 90,
      render: (_, lead) => <PriorityTag priority={lead.priority} />,
    },
    {
      key: 'title',
      title: t('leads.col.title'),
      render: (_, lead) => (
        <div>
          <Typography.Link
            data-testid="lead-title"
            onClick={() => setParam({ lead: String(lead.id) })}
          >
            {lead.title || t('leads.untitled')}
          </Typography.Link>
          {lead.repeat_count > 0 && (
            <Typography.Text type="secondary" style={{ marginLeft: 6 }}>
              {t('leads.repeats', { count: lead.repeat_count })}
            </Typography.Text>
          )}
          {lead.request_text && (
            <Typography.Paragraph
              type="secondary"
              ellipsis={{ rows: 1 }}
              style={{ margin: 0, maxWidth: 420 }}
            >
              {lead.request_text}
            </Typography.Paragraph>
          )}
        </div>
      ),
    },
    {
      key: 'contact',
      title: t('leads.col.contact'),
      render: (_, lead) => (
        <div>
          <div>{lead.contact_name || lead.company_name}</div>
          <Typography.Text type="secondary">
            {firstRaw(leadPoints(lead, 'phone')) || firstRaw(leadPoints(lead, 'email'))}
          </Typography.Text>
        </div>
      ),
    },
    {
      key: 'channel',
      title: t('leads.col.channel'),
      render: (_, lead) => <ChannelTag channel={lead.channel} />,
    },
    {
      key: 'status',
      title: t('leads.col.status'),
      render: (_, lead) => <StatusTag lead={lead} />,
    },
    { key: 'owner', title: t('leads.col.owner'), render: (_, lead) => ownerName(lead) },
    {
      key: 'sla',
      title: t('leads.col.sla'),
      render: (_, lead) => <SlaStatus sla={lead.sla} />,
    },
    { key: 'campaign', title: t('leads.col.campaign'), render: (_, lead) => lead.campaign },
    {
      key: 'created',
      title: t('leads.col.created'),
      render: (_, lead) => formatDateTime(lead.last_request_at ?? lead.created_at, i18n.language),
    },
  ];

  const optionalColumns = ALL_COLUMNS.filter((c) => !FIXED_COLUMNS.includes(c)).map((c) => ({
    value: c,
    label: t(`leads.col.${c}`),
  }));

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('leads.title')}
        </Typography.Title>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          data-testid="lead-new"
          onClick={() => setCreating(true)}
        >
          {t('leads.new')}
        </Button>
      </Flex>
      <Card size="small">
        <Flex wrap gap={8} align="center">
          <Input.Search
            allowClear
            data-testid="lead-search"
            placeholder={t('leads.searchPlaceholder')}
            defaultValue={filters.q}
            style={{ width: 240 }}
            onSearch={(q) => setParam({ q })}
          />
          <Select
            allowClear
            data-testid="lead-filter-status"
            placeholder={t('leads.openStatuses')}
            style={{ width: 160 }}
            value={filters.status}
            onChange={(status?: string) => setParam({ status })}
            options={[
              ...LEAD_STATUSES.map((s) => ({ value: s, label: t(`leads.status.${s}`) })),
              { value: 'all', label: t('leads.allStatuses') },
            ]}
          />
          <Select
            allowClear
            data-testid="lead-filter-channel"
            placeholder={t('leads.col.channel')}
            style={{ width: 160 }}
            value={filters.channel}
            onChange={(channel?: string) => setParam({ channel })}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid="lead-filter-owner"
            placeholder={t('leads.col.owner')}
            style={{ width: 200 }}
            value={filters.owner}
            onChange={(owner?: string) => setParam({ owner })}
            options={[
              { value: 'me', label: t('leads.ownerMe') },
              { value: 'none', label: t('leads.ownerNone') },
              ...(people.data ?? []).map((p) => ({ value: String(p.user_id), label: p.full_name })),
            ]}
          />
          <div style={{ flex: 1 }} />
          <Space>
            <SavedViews
              entity="lead"
              current={viewDefinition(
                filters,
                shown.filter((c) => !FIXED_COLUMNS.includes(c)),
              )}
              onApply={(view) => {
                setParams(
                  (old) => {
                    const next = new URLSearchParams();
                    const lead = old.get('lead');
                    if (lead) next.set('lead', lead);
                    for (const f of FILTERS) if (view.filters?.[f]) next.set(f, view.filters[f]);
                    return next;
                  },
                  { replace: true },
                );
                chooseColumns(view.columns ?? []);
              }}
            />
            <ColumnChooser
              options={optionalColumns}
              value={shown.filter((c) => !FIXED_COLUMNS.includes(c))}
              onChange={chooseColumns}
            />
          </Space>
        </Flex>
      </Card>
      {inbox.isError && (
        <Alert
          type="error"
          showIcon
          message={errorMessage(inbox.error, t)}
          data-testid="leads-error"
        />
      )}
      <Table<Lead>
        data-testid="leads-table"
        rowKey="id"
        size="middle"
        loading={inbox.isPending}
        dataSource={rows}
        columns={columnDefs.filter((c) => shown.includes(String(c.key)))}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={(lead) => ({ 'data-lead-id': lead.id }) as React.HTMLAttributes<HTMLElement>}
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: setExpanded,
          expandedRowRender: (lead) => (
            <div style={{ maxWidth: 480 }}>
              <PriorityReasons priority={lead.priority} />
            </div>
          ),
        }}
        locale={{ emptyText: t('leads.empty') }}
      />
      {inbox.hasNextPage && (
        <Button onClick={() => void inbox.fetchNextPage()} loading={inbox.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      <LeadDrawer id={openId} onClose={() => setParam({ lead: null })} />
      {creating && (
        <NewLeadModal
          onClose={() => setCreating(false)}
          onCreated={(lead) => {
            setCreating(false);
            setParam({ lead: String(lead.id) });
          }}
        />
      )}
    </Flex>
  );
}
