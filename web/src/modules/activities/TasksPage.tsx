import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  List,
  Segmented,
  Select,
  Skeleton,
  Switch,
  Typography,
} from 'antd';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { usePeople } from '../clients/people';
import { useMe } from '../auth/session';
import { ActivityItem } from './ActivityItem';
import { activitiesApi, activityKeys, type Activity, type ActivityPage } from './activitiesApi';

/** Where a task's record lives in the UI. */
function recordLink(a: Activity): string | null {
  if (a.deal_id) return `/deals/${a.deal_id}`;
  if (a.lead_id) return `/leads/${a.lead_id}`;
  if (a.company_id) return `/clients/companies/${a.company_id}`;
  if (a.contact_id) return `/clients/contacts/${a.contact_id}`;
  return null;
}

/** "My tasks" and, for heads, the team's (ORG-3): open by due time, done newest first, overdue only. */
export default function TasksPage() {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  const [scope, setScope] = useState('mine');
  const [status, setStatus] = useState('open');
  const [overdue, setOverdue] = useState(false);
  const [now] = useState(() => Date.now());
  const filters: Record<string, string> = {
    scope,
    status,
    ...(overdue ? { overdue: 'true' } : {}),
  };
  const tasks = useInfiniteQuery<ActivityPage, ApiError>({
    queryKey: activityKeys.tasks(filters),
    queryFn: ({ pageParam }) => activitiesApi.tasks(filters, pageParam as string | null),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const others = (people.data ?? []).filter((p) => p.user_id !== me.data?.id);
  const items = tasks.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Card title={t('activities.tasks.title')} data-testid="tasks-page">
      <Flex vertical gap={12}>
        <Flex gap={12} wrap align="center">
          <Segmented
            data-testid="tasks-scope"
            value={others.length > 0 && scope !== 'mine' && scope !== 'team' ? 'person' : scope}
            onChange={(v) =>
              setScope(v === 'person' ? String(others[0]?.user_id ?? 'mine') : String(v))
            }
            options={[
              { value: 'mine', label: t('activities.tasks.mine') },
              { value: 'team', label: t('activities.tasks.team') },
              ...(others.length ? [{ value: 'person', label: t('activities.tasks.person') }] : []),
            ]}
          />
          {scope !== 'mine' && scope !== 'team' && (
            <Select
              showSearch
              optionFilterProp="label"
              style={{ width: 240 }}
              value={Number(scope)}
              onChange={(v: number) => setScope(String(v))}
              options={others.map((p) => ({ value: p.user_id, label: p.full_name }))}
            />
          )}
          <Segmented
            value={status}
            onChange={(v) => setStatus(String(v))}
            options={['open', 'done', 'all'].map((s) => ({
              value: s,
              label: t(`activities.tasks.status.${s}`),
            }))}
          />
          <Flex gap={6} align="center">
            <Switch checked={overdue} onChange={setOverdue} data-testid="tasks-overdue" />
            <Typography.Text>{t('activities.tasks.overdueOnly')}</Typography.Text>
          </Flex>
        </Flex>
        {tasks.isPending && <Skeleton active />}
        {tasks.isError && <Alert type="error" showIcon message={errorMessage(tasks.error, t)} />}
        {tasks.data && items.length === 0 && <Empty description={t('activities.tasks.empty')} />}
        {items.length > 0 && (
          <List
            dataSource={items}
            rowKey="id"
            renderItem={(a) => {
              const link = recordLink(a);
              return (
                <List.Item
                  extra={
                    link && (
                      <Typography.Link href={link}>
                        {t('activities.tasks.openRecord')}
                      </Typography.Link>
                    )
                  }
                >
                  <ActivityItem activity={a} now={now} />
                </List.Item>
              );
            }}
          />
        )}
        {tasks.hasNextPage && (
          <Button onClick={() => void tasks.fetchNextPage()} loading={tasks.isFetchingNextPage}>
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
