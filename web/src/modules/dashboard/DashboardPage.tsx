import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Col,
  List,
  Row,
  Segmented,
  Skeleton,
  Space,
  Statistic,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatMoney } from '../deals/money';
import { formatKpi, useGoals } from '../plans';
import DrillDrawer from '../reports/DrillDrawer';
import { ActivityTable, Figure, FunnelView, PlanFactTable } from '../reports/ReportPanels';
import {
  percent,
  useDashboard,
  type DrillCell,
  type ReportFilters,
  type ReportKey,
  type WinLossRow,
} from '../reports/reportsApi';

/** The start page: the head of sales', a seller's or the analyst's, by role; every figure opens its records. */
export default function DashboardPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const [kind, setKind] = useState<string | undefined>();
  const d = useDashboard(kind);
  const overdueGoals = useGoals({ overdue: true });
  const [drill, setDrill] = useState<{
    report: ReportKey;
    filters: ReportFilters;
    cell: DrillCell;
  } | null>(null);
  if (d.error) return <Alert type="error" message={errorMessage(d.error, t)} />;
  if (!d.data) return <Skeleton active />;
  const data = d.data;
  const mine = data.kind === 'seller';
  const month: ReportFilters = {
    period: 'month',
    pipeline_id: data.funnel.scope.pipeline_id ?? undefined,
    ...(mine ? { owner: 'me' } : {}),
  };
  const today: ReportFilters = { period: 'today', ...(mine ? { owner: 'me' } : {}) };
  const money = (v: number) => formatMoney(v, 'RUB', lang);
  const funnelLink = `/reports/funnel?${new URLSearchParams(
    Object.entries(month).map(([k, v]) => [k, String(v)]),
  ).toString()}`;
  const people = (rows: WinLossRow[], testId: string) => (
    <List
      size="small"
      dataSource={rows}
      locale={{ emptyText: t('dashboard.nobody') }}
      data-testid={testId}
      renderItem={(r) => (
        <List.Item>
          <span>{r.label}</span>
          <Figure
            value={money(r.won_amount_minor)}
            onClick={() =>
              setDrill({
                report: 'win-loss',
                filters: { period: 'month', by: 'person' },
                cell: {
                  measure: 'won',
                  key: r.key,
                  title: `${r.label}: ${t('reports.winLoss.won')}`,
                },
              })
            }
          />
        </List.Item>
      )}
    />
  );
  return (
    <>
      <Space style={{ marginBottom: 16, width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {t(`dashboard.title.${data.kind}`)}
        </Typography.Title>
        <Segmented
          value={data.kind}
          onChange={(v) => setKind(String(v))}
          options={['head', 'seller', 'analyst'].map((k) => ({
            value: k,
            label: t(`dashboard.kind.${k}`),
          }))}
        />
      </Space>
      <Typography.Paragraph type="secondary">
        {t('dashboard.period', { from: data.scope.from, to: data.scope.to })}
      </Typography.Paragraph>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Card
            title={t(mine ? 'dashboard.myPlan' : 'dashboard.planFact')}
            extra={<Link to="/reports/plan-fact">{t('dashboard.open')}</Link>}
          >
            <PlanFactTable
              report={{
                ...data.plan_fact,
                lines: data.plan_fact.lines
                  .filter((l) => l.metric === 'revenue' || l.metric === 'deals_won')
                  .filter((l) => !mine || l.user_id !== null)
                  .slice(0, 10),
              }}
              onPick={(cell) =>
                setDrill({
                  report: 'plan-fact',
                  filters: { from: data.plan_fact.scope.from, to: data.plan_fact.scope.to },
                  cell,
                })
              }
            />
          </Card>
        </Col>
        <Col xs={24} xl={12}>
          <Card
            title={t(mine ? 'dashboard.myFunnel' : 'dashboard.funnel')}
            extra={
              <Link to={funnelLink} data-testid="dashboard-open-funnel">
                {t('dashboard.open')}
              </Link>
            }
            data-testid="dashboard-funnel"
          >
            <FunnelView
              funnel={data.funnel.total}
              compact
              onPick={(cell) => setDrill({ report: 'funnel', filters: month, cell })}
            />
          </Card>
        </Col>
        {data.sla && (
          <Col xs={24} md={12} xl={8}>
            <Card title={t('dashboard.sla')} extra={<Link to="/leads">{t('dashboard.open')}</Link>}>
              <Row gutter={16}>
                <Col span={12}>
                  <Statistic title={t('dashboard.slaWaiting')} value={data.sla.waiting} />
                </Col>
                <Col span={12}>
                  <Statistic
                    title={t('dashboard.slaOverdue')}
                    value={data.sla.overdue}
                    valueStyle={data.sla.overdue > 0 ? { color: '#cf1322' } : undefined}
                  />
                </Col>
                {(
                  [
                    ['breaches', 'dashboard.slaBreaches', data.sla.breaches],
                    ['leads_taken', 'dashboard.slaAssigned', data.sla.assigned],
                  ] as const
                ).map(([measure, label, value]) => (
                  <Col span={12} key={measure}>
                    <Statistic
                      title={t(label)}
                      valueRender={() => (
                        <Figure
                          value={value}
                          testId={`dashboard-sla-${measure}`}
                          onClick={() =>
                            setDrill({
                              report: 'activity',
                              filters: { from: data.scope.from, to: data.scope.to },
                              cell: { measure, title: t(label) },
                            })
                          }
                        />
                      )}
                    />
                  </Col>
                ))}
                <Col span={12}>
                  <Statistic
                    title={t('dashboard.slaRate')}
                    value={percent(
                      data.sla.assigned
                        ? Math.round((data.sla.breaches * 10000) / data.sla.assigned)
                        : null,
                      lang,
                    )}
                  />
                </Col>
              </Row>
            </Card>
          </Col>
        )}
        {data.kind === 'head' && (
          <Col xs={24} md={12} xl={8}>
            <Card
              title={t('dashboard.overdue')}
              extra={<Link to="/billing">{t('dashboard.open')}</Link>}
              data-testid="dashboard-overdue"
            >
              <Statistic
                title={t('dashboard.overdueTotal')}
                value={money(data.overdue_total_minor)}
              />
              <List
                size="small"
                dataSource={data.overdue_invoices.slice(0, 6)}
                locale={{ emptyText: t('dashboard.noOverdue') }}
                renderItem={(o) => (
                  <List.Item>
                    <Link to={`/deals/${o.deal_id}`}>
                      {o.number || '—'} · {o.deal_title}
                    </Link>
                    <span>
                      {money(o.due_minor)} · {o.next_due_date}
                    </span>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {data.kind === 'head' && (
          <Col xs={24} md={12} xl={8}>
            <Card
              title={t('dashboard.overdueGoals')}
              extra={<Link to="/plans/goals">{t('dashboard.open')}</Link>}
              data-testid="dashboard-overdue-goals"
            >
              <List
                size="small"
                loading={overdueGoals.isLoading}
                dataSource={(overdueGoals.data?.items ?? []).slice(0, 6)}
                locale={{ emptyText: t('dashboard.noOverdueGoals') }}
                renderItem={(g) => (
                  <List.Item>
                    <span>
                      {g.title} · {g.owner_name}
                    </span>
                    <span>
                      {formatKpi(g.value, g.unit, lang, g.currency)} /{' '}
                      {formatKpi(g.target, g.unit, lang, g.currency)}
                    </span>
                  </List.Item>
                )}
              />
            </Card>
          </Col>
        )}
        {(data.kind === 'head' || data.kind === 'analyst') && (
          <Col xs={24} md={12} xl={8}>
            <Card title={t('dashboard.leaders')}>
              {people(data.leaders, 'dashboard-leaders')}
              <Typography.Title level={5}>{t('dashboard.laggards')}</Typography.Title>
              {people(data.laggards, 'dashboard-laggards')}
            </Card>
          </Col>
        )}
        {data.forecast && (
          <Col xs={24} md={12}>
            <Card
              title={t('dashboard.forecast')}
              extra={<Link to="/reports/forecast">{t('dashboard.open')}</Link>}
            >
              <Row gutter={16}>
                <Col>
                  <Statistic
                    title={t('reports.forecast.weighted')}
                    value={money(data.forecast.weighted_total_minor)}
                  />
                </Col>
                <Col>
                  <Statistic
                    title={t('reports.forecast.statistical')}
                    value={money(data.forecast.statistical.expected_minor)}
                  />
                </Col>
                <Col>
                  <Statistic
                    title={t('reports.forecast.backtest')}
                    value={percent(data.forecast.backtest.mape_bp, lang)}
                  />
                </Col>
              </Row>
            </Card>
          </Col>
        )}
        <Col xs={24}>
          <Card
            title={t(mine ? 'dashboard.myToday' : 'dashboard.today')}
            extra={
              mine ? (
                <Button type="link" href="/agenda" data-testid="dashboard-daily-plan">
                  {t('dashboard.dailyPlan')}
                </Button>
              ) : (
                <Link to="/reports/activity">{t('dashboard.open')}</Link>
              )
            }
          >
            <ActivityTable
              rows={data.today.by_person}
              withDay={false}
              onPick={(cell) => setDrill({ report: 'activity', filters: today, cell })}
            />
          </Card>
        </Col>
      </Row>
      <DrillDrawer
        report={drill?.report ?? 'funnel'}
        filters={drill?.filters ?? {}}
        cell={drill?.cell ?? null}
        onClose={() => setDrill(null)}
      />
    </>
  );
}
