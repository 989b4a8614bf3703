import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Dropdown,
  Flex,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { CalendarOutlined, DownOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { explainAssignment, responseKindText } from './explain';
import { HandoffModal } from './HandoffModal';
import {
  FIRST_RESPONSE_KINDS,
  routingApi,
  useLeadRouting,
  useRoutingMutation,
  type AssignmentReason,
  type FirstResponseKind,
  type LeadAssignment,
} from './routingApi';
import { SlaCountdown, SlaStateTag } from './SlaCountdown';
import { formatWorkingMs } from './sla';

const REASON_COLOR: Record<AssignmentReason, string> = {
  routed: 'blue',
  reassigned: 'orange',
  escalated: 'red',
  manual: 'default',
  queued: 'gold',
  from_queue: 'cyan',
};

function AssignmentItem({ a }: { a: LeadAssignment }) {
  const { t, i18n } = useTranslation();
  const when = (ms: number | null) => formatDateTime(ms, i18n.language);
  return (
    <div data-testid="routing-assignment" data-reason={a.reason} data-user-id={a.user_id ?? ''}>
      <Flex gap={6} wrap align="center">
        <Typography.Text type="secondary">{when(a.assigned_at)}</Typography.Text>
        <Tag color={REASON_COLOR[a.reason]}>{t(`routing.reason.${a.reason}`)}</Tag>
        {a.user_name && <Typography.Text strong>{a.user_name}</Typography.Text>}
      </Flex>
      <Typography.Paragraph style={{ margin: '2px 0 0' }} data-testid="routing-explanation">
        {explainAssignment(t, a)}
      </Typography.Paragraph>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {[
          a.deadline_at != null && t('routing.lead.deadlineAt', { time: when(a.deadline_at) }),
          a.responded_at != null &&
            t('routing.lead.respondedAt', {
              time: when(a.responded_at),
              took:
                a.response_working_ms != null
                  ? formatWorkingMs(a.response_working_ms, i18n.language)
                  : '—',
            }),
          a.breached_at != null && t('routing.lead.breachedAt', { time: when(a.breached_at) }),
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography.Text>
    </div>
  );
}

/**
 * The routing part of the lead drawer: the clock, "I contacted the client", booking a hand-off
 * meeting, and every assignment with the reason it was made.
 */
export function LeadRoutingSection({ leadId, open }: { leadId: number; open: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const routing = useLeadRouting(leadId);
  const [handoff, setHandoff] = useState(false);

  const respond = useRoutingMutation(
    (kind: FirstResponseKind) => routingApi.firstResponse(leadId, kind),
    {
      onSuccess: (r) =>
        void (r.stopped
          ? message.success(t('routing.lead.stopped'))
          : message.info(t('routing.lead.notRunning'))),
      onError: (error) => void message.error(errorMessage(error, t)),
    },
  );

  if (routing.isPending) return <Skeleton active paragraph={{ rows: 2 }} />;
  if (routing.isError)
    return <Alert type="error" showIcon message={errorMessage(routing.error, t)} />;
  const { routing: clock, assignments, meetings } = routing.data;
  const running = clock?.state === 'running';

  return (
    <Flex vertical gap={12} data-testid="lead-routing">
      <Flex gap={8} wrap align="center">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('routing.lead.title')}
        </Typography.Title>
        {clock && (
          <>
            {running && clock.deadline_at != null ? (
              <SlaCountdown
                deadlineAt={clock.deadline_at}
                slaMinutes={clock.sla_minutes}
                testId="lead-routing-countdown"
              />
            ) : (
              <SlaStateTag state={clock.state} testId="lead-routing-state" />
            )}
            {clock.reassignments > 0 && (
              <Typography.Text type="secondary">
                {t('routing.lead.reassignments', { count: clock.reassignments })}
              </Typography.Text>
            )}
          </>
        )}
        <div style={{ flex: 1 }} />
        <Space wrap>
          {running && (
            <Dropdown
              trigger={['click']}
              menu={{
                items: FIRST_RESPONSE_KINDS.map((kind) => ({
                  key: kind,
                  label: (
                    <span data-testid={`first-response-${kind}`}>
                      {t(`routing.lead.kinds.${kind}`)}
                    </span>
                  ),
                })),
                onClick: ({ key }) => respond.mutate(key as FirstResponseKind),
              }}
            >
              <Button
                type="primary"
                icon={<PhoneOutlined />}
                loading={respond.isPending}
                data-testid="lead-first-response"
              >
                {t('routing.lead.firstResponse')} <DownOutlined />
              </Button>
            </Dropdown>
          )}
          {open && (
            <Button
              icon={<CalendarOutlined />}
              onClick={() => setHandoff(true)}
              data-testid="lead-handoff"
            >
              {t('routing.handoff.open')}
            </Button>
          )}
        </Space>
      </Flex>
      {clock?.first_response_at != null && (
        <Typography.Text type="secondary">
          {t('routing.lead.responded', {
            time: formatDateTime(clock.first_response_at, i18n.language),
            kind: responseKindText(t, clock.first_response_kind),
          })}
        </Typography.Text>
      )}
      {meetings.length > 0 && (
        <div data-testid="lead-meetings">
          <Typography.Text strong>{t('routing.lead.meetings')}</Typography.Text>
          {meetings.map((m) => (
            <div key={m.id} data-testid="lead-meeting">
              <Tag color={m.status === 'booked' ? 'green' : 'default'}>
                {t(`routing.lead.meetingStatus.${m.status}`)}
              </Tag>
              {formatDateTime(m.starts_at, i18n.language)}
              {m.place && ` · ${m.place}`}
              {m.deal_id && (
                <>
                  {' · '}
                  <Link to={`/deals/${m.deal_id}`} data-testid="lead-meeting-deal">
                    {t('routing.handoff.openDeal')}
                  </Link>
                </>
              )}
            </div>
          ))}
        </div>
      )}
      {assignments.length === 0 ? (
        <Typography.Text type="secondary">{t('routing.lead.noHistory')}</Typography.Text>
      ) : (
        <div>
          <Typography.Text strong>{t('routing.lead.history')}</Typography.Text>
          <Timeline
            style={{ marginTop: 8, marginBottom: -16 }}
            data-testid="routing-history"
            items={[...assignments].reverse().map((a) => ({
              key: a.id,
              color: REASON_COLOR[a.reason] === 'default' ? 'gray' : REASON_COLOR[a.reason],
              children: <AssignmentItem a={a} />,
            }))}
          />
        </div>
      )}
      {handoff && <HandoffModal leadId={leadId} onClose={() => setHandoff(false)} />}
    </Flex>
  );
}
