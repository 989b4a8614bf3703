import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Input,
  Segmented,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import {
  AppstoreOutlined,
  PlusOutlined,
  SettingOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { cleanFilters } from '../clients/listTools';
import { usePeople } from '../clients/people';
import { DealDrawer } from './DealDrawer';
import { DealsBoard } from './DealsBoard';
import { DealsList } from './DealsList';
import { DEAL_STATUSES, useDealsAccess, usePipelines } from './dealsApi';
import { NewDealModal } from './NewDealModal';

type View = 'kanban' | 'list';
const BOARD_FILTERS = ['owner', 'q'] as const;
const LIST_FILTERS = ['owner', 'q', 'status', 'stage_id', 'idle'] as const;

/** Сделки: a pipeline's kanban or list, the deal drawer (/deals/:id) and the "new deal" dialog. */
export default function DealsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const [params, setParams] = useSearchParams();
  const [creating, setCreating] = useState(false);
  const pipelines = usePipelines();
  const access = useDealsAccess();
  const people = usePeople();

  const view: View = params.get('view') === 'list' ? 'list' : 'kanban';
  const list = pipelines.data ?? [];
  const wanted = Number(params.get('pipeline')) || null;
  const pipeline =
    list.find((p) => p.id === wanted) ?? list.find((p) => p.is_default) ?? list[0] ?? null;
  const openId = Number(id) || null;

  const filterKeys = view === 'list' ? LIST_FILTERS : BOARD_FILTERS;
  const filters = cleanFilters(
    Object.fromEntries(filterKeys.map((f) => [f, params.get(f) ?? undefined])),
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
  const search = params.toString() ? `?${params.toString()}` : '';
  const openDeal = (dealId: number) => navigate(`/deals/${dealId}${search}`);
  const closeDeal = () => navigate(`/deals${search}`);

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {t('deals.title')}
          </Typography.Title>
          <Select
            data-testid="deals-pipeline"
            style={{ minWidth: 200 }}
            loading={pipelines.isPending}
            value={pipeline?.id}
            onChange={(value: number) => setParam({ pipeline: String(value), stage_id: null })}
            options={list.map((p) => ({
              value: p.id,
              label: p.is_default ? `${p.name} · ${t('deals.pipelines.default')}` : p.name,
            }))}
          />
          <Segmented<View>
            data-testid="deals-view"
            value={view}
            onChange={(v) => setParam({ view: v === 'list' ? 'list' : null })}
            options={[
              {
                value: 'kanban',
                icon: <AppstoreOutlined />,
                label: <span data-testid="deals-view-kanban">{t('deals.view.kanban')}</span>,
              },
              {
                value: 'list',
                icon: <UnorderedListOutlined />,
                label: <span data-testid="deals-view-list">{t('deals.view.list')}</span>,
              },
            ]}
          />
        </Space>
        <Space wrap>
          <Link to="/deals/catalog" data-testid="deals-catalog">
            <Button>{t('catalog.open')}</Button>
          </Link>
          <Link to="/deals/settings" data-testid="deals-settings">
            <Button icon={<SettingOutlined />}>{t('deals.settings.open')}</Button>
          </Link>
          {(access.canCreate || access.loading) && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="deal-new"
              disabled={!pipeline}
              onClick={() => setCreating(true)}
            >
              {t('deals.new')}
            </Button>
          )}
        </Space>
      </Flex>
      <Card size="small">
        <Flex wrap gap={8} align="center">
          <Input.Search
            allowClear
            data-testid="deal-search"
            placeholder={t('deals.searchPlaceholder')}
            defaultValue={params.get('q') ?? ''}
            style={{ width: 240 }}
            onSearch={(q) => setParam({ q })}
          />
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            data-testid="deal-filter-owner"
            placeholder={t('deals.ownerAny')}
            style={{ width: 200 }}
            value={params.get('owner') ?? undefined}
            onChange={(owner?: string) => setParam({ owner })}
            options={[
              { value: 'me', label: t('deals.ownerMe') },
              { value: 'none', label: t('deals.ownerNone') },
              ...(people.data ?? []).map((p) => ({ value: String(p.user_id), label: p.full_name })),
            ]}
          />
          {view === 'list' && (
            <>
              <Select
                data-testid="deal-filter-status"
                style={{ width: 150 }}
                value={params.get('status') ?? 'open'}
                onChange={(status: string) =>
                  setParam({ status: status === 'open' ? null : status })
                }
                options={DEAL_STATUSES.map((s) => ({ value: s, label: t(`deals.status.${s}`) }))}
              />
              <Select
                allowClear
                data-testid="deal-filter-stage"
                placeholder={t('deals.col.stage')}
                style={{ width: 200 }}
                value={Number(params.get('stage_id')) || undefined}
                onChange={(stage?: number) => setParam({ stage_id: stage ? String(stage) : null })}
                options={(pipeline?.stages ?? []).map((s) => ({ value: s.id, label: s.name }))}
              />
              <Checkbox
                data-testid="deal-filter-idle"
                checked={params.get('idle') === 'true'}
                onChange={(e) => setParam({ idle: e.target.checked ? 'true' : null })}
              >
                {t('deals.idleOnly')}
              </Checkbox>
            </>
          )}
        </Flex>
      </Card>
      {pipelines.isError && (
        <Alert type="error" showIcon message={errorMessage(pipelines.error, t)} />
      )}
      {pipelines.isPending && <Skeleton active />}
      {pipeline &&
        (view === 'kanban' ? (
          <DealsBoard pipelineId={pipeline.id} filters={filters} onOpen={openDeal} />
        ) : (
          <DealsList pipeline={pipeline} filters={filters} onOpen={openDeal} />
        ))}
      <DealDrawer id={openId} onClose={closeDeal} />
      {creating && pipeline && (
        <NewDealModal
          pipeline={pipeline}
          onClose={() => setCreating(false)}
          onCreated={() => setCreating(false)}
        />
      )}
    </Flex>
  );
}
