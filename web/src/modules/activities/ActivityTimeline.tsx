import { useState } from 'react';
import { Alert, Button, Card, Empty, Flex, Select, Skeleton, Timeline } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { ActivityComposer } from './ActivityComposer';
import { ActivityItem } from './ActivityItem';
import {
  activitiesApi,
  activityKeys,
  KINDS,
  useTimeline,
  type Activity,
  type ActivityPage,
  type RecordRef,
} from './activitiesApi';

/**
 * The activities of one record (company, contact, lead or deal) — calls, meetings, tasks, e-mails, SMS,
 * notes — newest first, with the composer on top. Placed on every card next to its history.
 */
export function ActivityTimeline({ record }: { record: RecordRef }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState('');
  const queryClient = useQueryClient();
  const timeline = useTimeline(record, kind);
  const [loadingMore, setLoadingMore] = useState(false);
  // Tasks are overdue against the browser's clock; the server decides escalation by its own.
  const [now] = useState(() => Date.now());

  const loadMore = async () => {
    const cursor = timeline.data?.next_cursor;
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const next = await activitiesApi.timeline(record, kind, cursor);
      queryClient.setQueryData<ActivityPage>(activityKeys.timeline(record, kind), (old) =>
        old ? { items: [...old.items, ...next.items], next_cursor: next.next_cursor } : next,
      );
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('activities.title')}
      data-testid="activity-timeline"
      extra={
        <Select
          size="small"
          style={{ width: 140 }}
          value={kind}
          onChange={setKind}
          options={[
            { value: '', label: t('activities.allKinds') },
            ...KINDS.map((k) => ({ value: k, label: t(`activities.kind.${k}`) })),
          ]}
        />
      }
    >
      <Flex vertical gap={12}>
        <ActivityComposer record={record} />
        {timeline.isPending && <Skeleton active />}
        {timeline.isError && (
          <Alert type="error" showIcon message={errorMessage(timeline.error, t)} />
        )}
        {timeline.data && timeline.data.items.length === 0 && (
          <Empty description={t('activities.empty')} />
        )}
        {timeline.data && timeline.data.items.length > 0 && (
          <Timeline
            items={timeline.data.items.map((a: Activity) => ({
              key: a.id,
              color: a.done ? 'gray' : 'blue',
              children: <ActivityItem activity={a} now={now} />,
            }))}
          />
        )}
        {timeline.data?.next_cursor && (
          <Button onClick={() => void loadMore()} loading={loadingMore}>
            {t('common.loadMore')}
          </Button>
        )}
      </Flex>
    </Card>
  );
}
