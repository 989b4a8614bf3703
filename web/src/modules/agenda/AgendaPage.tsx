import type { ReactNode } from 'react';
import {
  Alert,
  Badge,
  Card,
  Col,
  Empty,
  Flex,
  List,
  Row,
  Segmented,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatMoney } from '../deals/money';
import {
  formatRemaining,
  useDay,
  useTeam,
  type DailyPlan,
  type PlanCounts,
  type PlanItem,
} from './agendaApi';

function timeOf(ms: number | null | undefined, language: string, zone: string): string {
  if (ms == null) return '';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    hour: '2-digit',
    minute: '2-digit',
    timeZone: zone,
  }).format(new Date(ms));
}

function dayOf(ms: number | null | undefined, language: string, zone: string): string {
  if (ms == null) return '';
  return new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    day: 'numeric',
    month: 'short',
    timeZone: zone,
  }).format(new Date(ms));
}

function Section({
  title,
  count,
  danger,
  testId,
  children,
}: {
  title: string;
  count: number;
  danger?: boolean;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Card
      size="small"
      data-testid={testId}
      title={
        <Flex gap={8} align="center">
          <span>{title}</span>
          <Badge count={count} showZero color={danger && count > 0 ? 'red' : 'blue'} />
        </Flex>
      }
    >
      {children}
    </Card>
  );
}

function ItemLink({ item }: { item: PlanItem }) {
  const { t } = useTranslation();
  const text = item.subject || t(`agenda.kind.${item.kind}`);
  if (item.deal_id) return <Link to={`/deals/${item.deal_id}`}>{text}</Link>;
  if (item.company_id) return <Link to={`/clients/companies/${item.company_id}`}>{text}</Link>;
  return <span>{text}</span>;
}

/** One person's day: the sections in two columns, each with its count. */
function DayView({ plan }: { plan: DailyPlan }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const zone = plan.time_zone;
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('agenda.nothing')} />;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} lg={12}>
        <Flex vertical gap={16}>
          <Section
            title={t('agenda.meetings')}
            count={plan.meetings.length}
            testId="agenda-meetings"
          >
            {plan.meetings.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.meetings}
                renderItem={(m) => (
                  <List.Item data-testid={`agenda-meeting-${m.id}`}>
                    <Flex vertical>
                      <span>
                        <Typography.Text strong>
                          {timeOf(m.starts_at, lang, zone)}–{timeOf(m.ends_at, lang, zone)}
                        </Typography.Text>{' '}
                        <ItemLink item={m} />
                      </span>
                      {(m.place || m.video_url) && (
                        <Typography.Text type="secondary">
                          {m.place || <a href={m.video_url}>{m.video_url}</a>}
                        </Typography.Text>
                      )}
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Section>
          <Section title={t('agenda.tasks')} count={plan.tasks.length} testId="agenda-tasks">
            {plan.tasks.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.tasks}
                renderItem={(x) => (
                  <List.Item>
                    <span>
                      <Typography.Text strong>{timeOf(x.due_at, lang, zone)}</Typography.Text>{' '}
                      <Typography.Text delete={x.done}>
                        <ItemLink item={x} />
                      </Typography.Text>{' '}
                      {x.priority === 'high' || x.priority === 'urgent' ? (
                        <Tag color="red">{t(`agenda.priority.${x.priority}`)}</Tag>
                      ) : null}
                    </span>
                  </List.Item>
                )}
              />
            )}
          </Section>
          <Section
            title={t('agenda.overdue')}
            count={plan.overdue.length}
            danger
            testId="agenda-overdue"
          >
            {plan.overdue.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.overdue}
                renderItem={(x) => (
                  <List.Item>
                    <span>
                      <Typography.Text type="danger">
                        {dayOf(x.due_at, lang, zone)} {timeOf(x.due_at, lang, zone)}
                      </Typography.Text>{' '}
                      <ItemLink item={x} />
                    </span>
                  </List.Item>
                )}
              />
            )}
          </Section>
          <Section title={t('agenda.calls')} count={plan.calls.length} testId="agenda-calls">
            {plan.calls.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.calls}
                renderItem={(c) => (
                  <List.Item>
                    <span>
                      <Typography.Text strong>{timeOf(c.at, lang, zone)}</Typography.Text>{' '}
                      <ItemLink item={c} />{' '}
                      <Tag>{t(`agenda.direction.${c.call_direction || 'out'}`)}</Tag>
                      {c.call_outcome && (
                        <Tag>{t(`agenda.outcome.${c.call_outcome}`, c.call_outcome)}</Tag>
                      )}
                    </span>
                  </List.Item>
                )}
              />
            )}
          </Section>
        </Flex>
      </Col>
      <Col xs={24} lg={12}>
        <Flex vertical gap={16}>
          <Section
            title={t('agenda.sla')}
            count={plan.sla.length}
            danger={plan.sla.some((s) => s.breached)}
            testId="agenda-sla"
          >
            {plan.sla.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.sla}
                renderItem={(s) => (
                  <List.Item>
                    <Flex justify="space-between" style={{ width: '100%' }}>
                      <Link to="/leads/sla">{s.title || s.contact_name || s.company_name}</Link>
                      <Tag
                        color={
                          s.breached ? 'red' : s.remaining_ms < 15 * 60000 ? 'orange' : 'green'
                        }
                      >
                        {s.breached
                          ? t('agenda.breached', { time: formatRemaining(s.remaining_ms, t) })
                          : t('agenda.left', { time: formatRemaining(s.remaining_ms, t) })}
                      </Tag>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Section>
          <Section
            title={t('agenda.idleDeals')}
            count={plan.idle_deals.length}
            testId="agenda-idle"
          >
            {plan.idle_deals.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.idle_deals}
                renderItem={(d) => (
                  <List.Item>
                    <Flex vertical>
                      <Link to={`/deals/${d.id}`}>{d.title}</Link>
                      <Typography.Text type="secondary">
                        {[
                          d.company_name,
                          d.stage_name,
                          formatMoney(d.amount_minor, d.currency, lang),
                        ]
                          .filter(Boolean)
                          .join(' · ')}{' '}
                        —{' '}
                        {t('agenda.idleSince', {
                          days: Math.floor((plan.now - d.last_activity_at) / 86400000),
                        })}
                      </Typography.Text>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Section>
          <Section
            title={t('agenda.instalments')}
            count={plan.instalments.length}
            testId="agenda-instalments"
          >
            {plan.instalments.length === 0 ? (
              empty
            ) : (
              <List
                size="small"
                dataSource={plan.instalments}
                renderItem={(i) => (
                  <List.Item>
                    <Flex justify="space-between" style={{ width: '100%' }}>
                      <Link to={`/billing/invoices/${i.invoice_id}`}>
                        {i.number || t('agenda.invoice')} · {i.payer_name || i.deal_title}
                      </Link>
                      <span>
                        <Typography.Text type={i.due_date < plan.date ? 'danger' : undefined}>
                          {i.due_date}
                        </Typography.Text>{' '}
                        <Typography.Text strong>
                          {formatMoney(i.outstanding_minor, i.currency, lang)}
                        </Typography.Text>
                      </span>
                    </Flex>
                  </List.Item>
                )}
              />
            )}
          </Section>
        </Flex>
      </Col>
    </Row>
  );
}

/** The head's version: per-person counts, those needing attention first; a row opens the person's day. */
function TeamView() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const team = useTeam(true);
  if (team.isError) return <Alert type="error" showIcon message={errorMessage(team.error, t)} />;
  const num = (key: keyof PlanCounts, danger = false) => ({
    key,
    title: t(`agenda.count.${key}`),
    align: 'right' as const,
    render: (_: unknown, p: PlanCounts) => {
      const v = p[key] as number;
      return danger && v > 0 ? <Typography.Text type="danger">{v}</Typography.Text> : v;
    },
  });
  const columns: ColumnsType<PlanCounts> = [
    {
      key: 'name',
      title: t('agenda.person'),
      render: (_, p) => <Link to={`/agenda/people/${p.user_id}`}>{p.full_name}</Link>,
    },
    num('meetings'),
    num('calls'),
    num('tasks'),
    num('overdue', true),
    num('sla_breached', true),
    num('sla_running'),
    num('idle_deals', true),
    num('instalments_due'),
  ];
  return (
    <Table<PlanCounts>
      data-testid="agenda-team"
      rowKey="user_id"
      size="small"
      loading={team.isLoading}
      columns={columns}
      dataSource={team.data?.people ?? []}
      pagination={false}
      onRow={(p) => ({ onDoubleClick: () => navigate(`/agenda/people/${p.user_id}`) })}
      summary={() =>
        team.data ? (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0}>
              <Typography.Text strong>{t('agenda.totals')}</Typography.Text>
            </Table.Summary.Cell>
            {(
              [
                'meetings',
                'calls',
                'tasks',
                'overdue',
                'sla_breached',
                'sla_running',
                'idle_deals',
                'instalments_due',
              ] as const
            ).map((k, i) => (
              <Table.Summary.Cell key={k} index={i + 1} align="right">
                {team.data.totals[k]}
              </Table.Summary.Cell>
            ))}
          </Table.Summary.Row>
        ) : null
      }
    />
  );
}

/** Мой день — the start page of a seller; a head switches to the team and drills into a person. */
export default function AgendaPage({ tab }: { tab: 'day' | 'team' | 'person' }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const params = useParams();
  const userId = tab === 'person' ? Number(params.userId) : undefined;
  const day = useDay(userId);
  const showTabs = tab === 'team' || (day.data?.has_team ?? false);
  return (
    <Flex vertical gap={16} data-testid="agenda-page">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {tab === 'person' && day.data
            ? t('agenda.dayOf', { name: day.data.full_name })
            : tab === 'team'
              ? t('agenda.teamTitle')
              : t('agenda.title')}
          {day.data && tab !== 'team' && (
            <Typography.Text type="secondary" style={{ fontSize: 16, marginLeft: 12 }}>
              {day.data.date}
            </Typography.Text>
          )}
        </Typography.Title>
        {showTabs && (
          <Segmented
            value={tab === 'team' ? 'team' : 'day'}
            options={[
              { value: 'day', label: t('agenda.tabs.day') },
              {
                value: 'team',
                label: <span data-testid="agenda-tab-team">{t('agenda.tabs.team')}</span>,
              },
            ]}
            onChange={(v) => navigate(v === 'team' ? '/agenda/team' : '/agenda')}
          />
        )}
      </Flex>
      {tab === 'team' ? (
        <TeamView />
      ) : day.isError ? (
        <Alert type="error" showIcon message={errorMessage(day.error, t)} />
      ) : !day.data ? (
        <Skeleton active />
      ) : (
        <DayView plan={day.data} />
      )}
    </Flex>
  );
}
