import { useMemo, useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Flex,
  Input,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ImportOutlined, PlusOutlined } from '@ant-design/icons';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import type { ApiError, Page } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import {
  clientKeys,
  clientsApi,
  type ClientEntity,
  type CompanyRow,
  type ContactRow,
} from './clientsApi';
import { CompanyFormDrawer, ContactFormDrawer } from './ClientForms';
import { DuplicatesTab } from './DuplicatesTab';
import { ColumnChooser, SavedViews } from './ListToolbar';
import { cleanFilters, viewDefinition, visibleColumns } from './listTools';
import { formatMoney, PAYMENT_DISCIPLINES } from './options';
import { usePeople } from './people';

type Row = CompanyRow | ContactRow;
const FILTERS = ['q', 'owner_user_id', 'tag', 'payment_discipline'] as const;

const COLUMNS: Record<ClientEntity, { all: string[]; defaults: string[]; fixed: string[] }> = {
  companies: {
    all: [
      'name',
      'inn',
      'phone',
      'email',
      'owner',
      'tags',
      'purchase_volume',
      'payment',
      'updated',
    ],
    defaults: ['inn', 'phone', 'owner', 'tags', 'updated'],
    fixed: ['name'],
  },
  contacts: {
    all: ['name', 'owner', 'tags', 'birthday', 'created', 'updated'],
    defaults: ['owner', 'tags', 'updated'],
    fixed: ['name'],
  },
};

function storageKey(entity: ClientEntity) {
  return `otdel.${entity}.columns`;
}
function stored(entity: ClientEntity): string[] {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(storageKey(entity)) ?? '[]');
    return Array.isArray(v) ? v.filter((c): c is string => typeof c === 'string') : [];
  } catch {
    return [];
  }
}

function ClientList({ entity }: { entity: ClientEntity }) {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const [columns, setColumns] = useState<string[]>(() => stored(entity));
  const people = usePeople();
  const spec = COLUMNS[entity];
  const filters = useMemo(
    () => cleanFilters(Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? undefined]))),
    [params],
  );
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
  const choose = (next: string[]) => {
    setColumns(next);
    localStorage.setItem(storageKey(entity), JSON.stringify(next));
  };

  const list = useInfiniteQuery<Page<Row>, ApiError>({
    queryKey: clientKeys.list(entity, filters),
    queryFn: ({ pageParam }) => clientsApi.list<Row>(entity, filters, pageParam as string | null),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor,
  });
  const rows = list.data?.pages.flatMap((p) => p.items) ?? [];
  const shown = visibleColumns(spec.all, columns, spec.defaults, spec.fixed);
  const cardPath = (r: Row) => `/clients/${entity}/${r.id}`;
  const ownerName = (r: Row) =>
    people.data?.find((p) => p.user_id === r.owner_user_id)?.full_name ??
    (r.owner_user_id ? `#${r.owner_user_id}` : '');

  const defs: ColumnsType<Row> = [
    {
      key: 'name',
      title: t('clients.col.name'),
      render: (_, r) => (
        <Link to={cardPath(r)} data-testid="client-link">
          {'name' in r ? r.name : r.full_name}
        </Link>
      ),
    },
    {
      key: 'legal_form',
      title: t('clients.field.legal_form'),
      render: (_, r) =>
        'legal_form' in r && r.legal_form ? t(`clients.choice.legal_form.${r.legal_form}`) : '',
    },
    { key: 'inn', title: t('clients.field.inn'), render: (_, r) => ('inn' in r ? r.inn : '') },
    { key: 'owner', title: t('clients.field.owner'), render: (_, r) => ownerName(r) },
    {
      key: 'tags',
      title: t('clients.field.tags'),
      render: (_, r) => r.tags.map((tag: string) => <Tag key={tag}>{tag}</Tag>),
    },
    {
      key: 'purchase_volume',
      title: t('clients.field.purchase_volume'),
      render: (_, r) =>
        'purchase_volume_minor' in r
          ? formatMoney(r.purchase_volume_minor, r.currency, i18n.language)
          : '',
    },
    {
      key: 'payment',
      title: t('clients.field.payment_discipline'),
      render: (_, r) =>
        'payment_discipline' in r && r.payment_discipline
          ? t(`clients.choice.payment_discipline.${r.payment_discipline}`)
          : '',
    },
    {
      key: 'birthday',
      title: t('clients.field.birthday'),
      render: (_, r) => ('birthday' in r ? r.birthday : ''),
    },
    {
      key: 'created',
      title: t('clients.col.created'),
      render: (_, r) => formatDateTime(r.created_at, i18n.language),
    },
    {
      key: 'updated',
      title: t('clients.col.updated'),
      render: (_, r) => formatDateTime(r.updated_at, i18n.language),
    },
  ];
  const optional = spec.all
    .filter((c) => !spec.fixed.includes(c))
    .map((c) => ({ value: c, label: String(defs.find((d) => d.key === c)?.title ?? c) }));
  const chosen = shown.filter((c) => !spec.fixed.includes(c));

  return (
    <Flex vertical gap={12}>
      <Card size="small">
        <Flex wrap gap={8} align="center">
          <Input.Search
            allowClear
            data-testid="client-search"
            placeholder={t('clients.searchPlaceholder')}
            defaultValue={filters.q}
            style={{ width: 260 }}
            onSearch={(q) => setParam({ q })}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('clients.field.owner')}
            style={{ width: 200 }}
            value={filters.owner_user_id ? Number(filters.owner_user_id) : undefined}
            onChange={(v?: number) => setParam({ owner_user_id: v ? String(v) : null })}
            options={(people.data ?? []).map((p) => ({ value: p.user_id, label: p.full_name }))}
          />
          <Input
            allowClear
            placeholder={t('clients.field.tags')}
            style={{ width: 140 }}
            defaultValue={filters.tag}
            onPressEnter={(e) => setParam({ tag: e.currentTarget.value })}
            onChange={(e) => !e.target.value && setParam({ tag: null })}
          />
          {entity === 'companies' && (
            <Select
              allowClear
              placeholder={t('clients.field.payment_discipline')}
              style={{ width: 180 }}
              value={filters.payment_discipline}
              onChange={(v?: string) => setParam({ payment_discipline: v })}
              options={PAYMENT_DISCIPLINES.map((p) => ({
                value: p,
                label: t(`clients.choice.payment_discipline.${p}`),
              }))}
            />
          )}
          <div style={{ flex: 1 }} />
          <Space wrap>
            <SavedViews
              entity={entity === 'companies' ? 'company' : 'contact'}
              current={viewDefinition(filters, chosen)}
              onApply={(view) => {
                setParams(
                  () => {
                    const next = new URLSearchParams();
                    for (const f of FILTERS) if (view.filters?.[f]) next.set(f, view.filters[f]);
                    return next;
                  },
                  { replace: true },
                );
                choose(view.columns ?? []);
              }}
            />
            <ColumnChooser options={optional} value={chosen} onChange={choose} />
            <Link to={`/imports?entity=${entity === 'companies' ? 'company' : 'contact'}`}>
              <Button icon={<ImportOutlined />}>{t('imports.open')}</Button>
            </Link>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="client-new"
              onClick={() => setCreating(true)}
            >
              {entity === 'companies' ? t('clients.newCompany') : t('clients.newContact')}
            </Button>
          </Space>
        </Flex>
      </Card>
      {list.isError && <Alert type="error" showIcon message={errorMessage(list.error, t)} />}
      <Table<Row>
        data-testid={`${entity}-table`}
        rowKey="id"
        size="middle"
        loading={list.isPending}
        dataSource={rows}
        columns={defs.filter((d) => shown.includes(String(d.key)))}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('clients.empty') }}
      />
      {list.hasNextPage && (
        <Button onClick={() => void list.fetchNextPage()} loading={list.isFetchingNextPage}>
          {t('common.loadMore')}
        </Button>
      )}
      {creating && entity === 'companies' && (
        <CompanyFormDrawer
          company={null}
          onClose={() => setCreating(false)}
          onSaved={(c) => navigate(`/clients/companies/${c.id}`)}
        />
      )}
      {creating && entity === 'contacts' && (
        <ContactFormDrawer
          contact={null}
          onClose={() => setCreating(false)}
          onSaved={(c) => navigate(`/clients/contacts/${c.id}`)}
        />
      )}
    </Flex>
  );
}

/** Clients: companies, people and the duplicates waiting for a merge. */
export default function ClientsPage({ tab }: { tab: 'companies' | 'contacts' | 'duplicates' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const paths = {
    companies: '/clients',
    contacts: '/clients/contacts',
    duplicates: '/clients/duplicates',
  };
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('clients.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(paths[key as keyof typeof paths])}
        items={[
          { key: 'companies', label: t('clients.tab.companies') },
          { key: 'contacts', label: t('clients.tab.contacts') },
          { key: 'duplicates', label: t('clients.tab.duplicates') },
        ]}
      />
      {tab === 'duplicates' ? <DuplicatesTab /> : <ClientList key={tab} entity={tab} />}
    </Flex>
  );
}
