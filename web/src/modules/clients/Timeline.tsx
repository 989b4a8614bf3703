import { Alert, Empty, Skeleton, Tag, Timeline as AntTimeline, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { clientKeys, clientsApi, type TimelineEntry } from './clientsApi';
import { timelineKind, timelineText } from './timelineText';

const COLOR: Record<string, string> = {
  create: 'green',
  convert: 'green',
  merge: 'purple',
  repeat_request: 'orange',
  call_missed: 'red',
  delete: 'red',
};

/** The history of a card (company, contact or lead), newest first. */
export function CardTimeline({
  entity,
  id,
}: {
  entity: 'companies' | 'contacts' | 'leads';
  id: number;
}) {
  const { t, i18n } = useTranslation();
  const timeline = useQuery<TimelineEntry[], ApiError>({
    queryKey: clientKeys.timeline(entity, id),
    queryFn: async () => (await clientsApi.timeline(entity, id)).items,
  });
  if (timeline.isPending) return <Skeleton active />;
  if (timeline.isError)
    return <Alert type="error" showIcon message={errorMessage(timeline.error, t)} />;
  if (timeline.data.length === 0) return <Empty description={t('timeline.empty')} />;
  return (
    <AntTimeline
      data-testid="timeline"
      items={timeline.data.map((entry) => ({
        color: COLOR[timelineKind(entry.kind)] ?? 'blue',
        children: (
          <div data-testid="timeline-entry" data-kind={entry.kind}>
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {formatDateTime(entry.at, i18n.language)}
              {entry.actor_name ? ` · ${entry.actor_name}` : ''}
            </Typography.Text>
            <div>
              {entry.channel && entry.channel !== 'system' && (
                <Tag style={{ marginRight: 6 }}>
                  {t(`channels.${entry.channel}`, entry.channel)}
                </Tag>
              )}
              {entry.summary || timelineText(entry.kind, t)}
            </div>
          </div>
        ),
      }))}
    />
  );
}
