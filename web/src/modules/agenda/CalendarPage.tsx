import { useState } from 'react';
import FullCalendar from '@fullcalendar/react';
import type { DatesSetArg, EventChangeArg, EventClickArg, EventInput } from '@fullcalendar/core';
import enGbLocale from '@fullcalendar/core/locales/en-gb';
import ruLocale from '@fullcalendar/core/locales/ru';
import interactionPlugin from '@fullcalendar/interaction';
import timeGridPlugin from '@fullcalendar/timegrid';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  List,
  Popconfirm,
  Segmented,
  Space,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import {
  useDay,
  useEvents,
  useFeedMutations,
  useFeeds,
  useReschedule,
  type CalendarEvent,
  type CalendarFeedIssued,
} from './agendaApi';

const DAY = 24 * 60 * 60 * 1000;

function startOfWeek(now: number): number {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  const weekday = (d.getDay() + 6) % 7;
  return d.getTime() - weekday * DAY;
}

/** Secret calendar URLs: create (mine / team), copy, regenerate, revoke. The token is shown once. */
function Feeds({ hasTeam }: { hasTeam: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const feeds = useFeeds();
  const { create, regenerate, revoke } = useFeedMutations();
  const [issued, setIssued] = useState<CalendarFeedIssued | null>(null);
  const url = (path: string) => `${window.location.origin}${path}`;
  const onIssued = (f: CalendarFeedIssued) => setIssued(f);
  const onError = (e: unknown) => void message.error(errorMessage(e, t));
  return (
    <Card size="small" title={t('calendar.feeds')} data-testid="calendar-feeds">
      <Typography.Paragraph type="secondary">{t('calendar.feedsHint')}</Typography.Paragraph>
      <Space wrap>
        <Button
          onClick={() => create.mutate('user', { onSuccess: onIssued, onError })}
          data-testid="feed-create-user"
        >
          {t('calendar.newFeed.user')}
        </Button>
        {hasTeam && (
          <Button onClick={() => create.mutate('team', { onSuccess: onIssued, onError })}>
            {t('calendar.newFeed.team')}
          </Button>
        )}
      </Space>
      {issued && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          message={t('calendar.feedReady')}
          description={
            <Typography.Paragraph
              copyable={{ text: url(issued.path) }}
              style={{ margin: 0 }}
              data-testid="feed-url"
            >
              {url(issued.path)}
            </Typography.Paragraph>
          }
          closable
          onClose={() => setIssued(null)}
        />
      )}
      <List
        size="small"
        style={{ marginTop: 12 }}
        dataSource={feeds.data?.items ?? []}
        locale={{ emptyText: t('calendar.noFeeds') }}
        renderItem={(f) => (
          <List.Item
            actions={
              f.revoked_at
                ? []
                : [
                    <Button
                      key="regen"
                      size="small"
                      onClick={() => regenerate.mutate(f.id, { onSuccess: onIssued, onError })}
                    >
                      {t('calendar.regenerate')}
                    </Button>,
                    <Popconfirm
                      key="revoke"
                      title={t('calendar.revokeConfirm')}
                      onConfirm={() => revoke.mutate(f.id, { onError })}
                    >
                      <Button size="small" danger>
                        {t('calendar.revoke')}
                      </Button>
                    </Popconfirm>,
                  ]
            }
          >
            <Space>
              <Tag>{t(`calendar.scope.${f.scope}`)}</Tag>
              <Typography.Text code>{f.token_hint}…</Typography.Text>
              <Typography.Text type="secondary">
                {f.revoked_at
                  ? t('calendar.revokedAt', { at: formatDateTime(f.revoked_at, i18n.language) })
                  : f.last_used_at
                    ? t('calendar.usedAt', { at: formatDateTime(f.last_used_at, i18n.language) })
                    : t('calendar.neverUsed')}
              </Typography.Text>
            </Space>
          </List.Item>
        )}
      />
    </Card>
  );
}

/** Календарь: the week's meetings and tasks, meetings dragged to a new time (the server checks), and feed URLs. */
export default function CalendarPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const day = useDay();
  const hasTeam = day.data?.has_team ?? false;
  const [team, setTeam] = useState(false);
  const [range, setRange] = useState(() => {
    const from = startOfWeek(Date.now());
    return { from, to: from + 7 * DAY };
  });
  const events = useEvents(range.from, range.to, team);
  const reschedule = useReschedule();

  const input: EventInput[] = (events.data?.items ?? []).map((e: CalendarEvent) => ({
    id: String(e.id),
    title: team && e.owner_name ? `${e.subject} — ${e.owner_name}` : e.subject,
    start: e.start,
    end: e.end,
    editable: e.editable,
    durationEditable: e.editable,
    backgroundColor: e.kind === 'task' ? '#faad14' : e.done ? '#8c8c8c' : undefined,
    borderColor: e.kind === 'task' ? '#faad14' : undefined,
    extendedProps: { kind: e.kind, dealId: e.deal_id },
  }));

  const onChange = (arg: EventChangeArg) => {
    const start = arg.event.start?.getTime();
    const end = arg.event.end?.getTime() ?? (start != null ? start + 60 * 60 * 1000 : undefined);
    if (start == null || end == null) return arg.revert();
    reschedule.mutate(
      { id: Number(arg.event.id), start, end },
      {
        onSuccess: () => void message.success(t('calendar.moved')),
        onError: (e) => {
          arg.revert();
          void message.error(errorMessage(e, t));
        },
      },
    );
  };
  const onClick = (arg: EventClickArg) => {
    const dealId = arg.event.extendedProps.dealId as number | null;
    if (dealId) navigate(`/deals/${dealId}`);
  };

  return (
    <Flex vertical gap={16} data-testid="calendar-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t('calendar.title')}
        </Typography.Title>
        {hasTeam && (
          <Segmented
            value={team ? 'team' : 'me'}
            options={[
              { value: 'me', label: t('calendar.mine') },
              { value: 'team', label: t('calendar.team') },
            ]}
            onChange={(v) => setTeam(v === 'team')}
          />
        )}
      </Flex>
      {events.isError && <Alert type="error" showIcon message={errorMessage(events.error, t)} />}
      <Card size="small" data-testid="calendar-week">
        <FullCalendar
          plugins={[timeGridPlugin, interactionPlugin]}
          initialView="timeGridWeek"
          locales={[ruLocale, enGbLocale]}
          locale={i18n.language === 'en' ? 'en-gb' : 'ru'}
          firstDay={1}
          nowIndicator
          allDaySlot={false}
          slotMinTime="07:00:00"
          slotMaxTime="22:00:00"
          height="auto"
          events={input}
          eventChange={onChange}
          eventClick={onClick}
          datesSet={(arg: DatesSetArg) => {
            const from = arg.start.getTime();
            const to = arg.end.getTime();
            if (from !== range.from || to !== range.to) setRange({ from, to });
          }}
        />
      </Card>
      <Feeds hasTeam={hasTeam} />
    </Flex>
  );
}
