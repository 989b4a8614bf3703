import { Alert, Button, Card, Col, Row, Statistic, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatMoney } from '../deals/money';
import { BarChart } from './Chart';
import {
  days,
  minutes,
  percent,
  useReport,
  type ActivityFigures,
  type ActivityReport,
  type DrillCell,
  type ForecastReport,
  type Funnel,
  type FunnelReport,
  type PlanFactReport,
  type ReportFilters,
  type WinLossReport,
  type WinLossRow,
} from './reportsApi';

type Pick = (cell: DrillCell) => void;

/** A count that opens its records. */
export function Figure({
  value,
  onClick,
  testId,
}: {
  value: number | string;
  onClick?: () => void;
  testId?: string;
}) {
  if (!onClick) return <span>{value}</span>;
  return (
    <Button type="link" size="small" style={{ padding: 0 }} onClick={onClick} data-testid={testId}>
      {value}
    </Button>
  );
}

function Failed({ error }: { error: ApiError | null }) {
  const { t } = useTranslation();
  return error ? (
    <Alert type="error" message={errorMessage(error, t)} style={{ marginBottom: 16 }} />
  ) : null;
}

type StageRow = Funnel['stages'][number];

/** One funnel as a chart and a table; every figure opens the deals behind it. */
export function FunnelView({
  funnel,
  onPick,
  groupKey,
  groupLabel,
  compact = false,
}: {
  funnel: Funnel;
  onPick: Pick;
  groupKey?: string;
  groupLabel?: string;
  compact?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const prefix = groupLabel ? `${groupLabel}: ` : '';
  const open = (s: StageRow, measure: 'reached' | 'current') =>
    onPick({
      measure,
      stage_id: s.stage_id,
      key: groupKey,
      title: `${prefix}${s.name} — ${t(`reports.funnel.${measure}`)}`,
    });
  const columns: ColumnsType<StageRow> = [
    { key: 'name', title: t('reports.funnel.stage'), dataIndex: 'name' },
    {
      key: 'reached',
      title: t('reports.funnel.reached'),
      align: 'right',
      render: (_, s) => (
        <Figure
          value={s.reached}
          onClick={() => open(s, 'reached')}
          testId={`funnel-reached-${s.stage_id}`}
        />
      ),
    },
    {
      key: 'reached_amount',
      title: t('reports.funnel.reachedAmount'),
      align: 'right',
      render: (_, s) => formatMoney(s.reached_amount_minor, 'RUB', lang),
    },
    {
      key: 'conversion',
      title: t('reports.funnel.conversion'),
      align: 'right',
      render: (_, s) => percent(s.conversion_bp, lang),
    },
  ];
  if (!compact) {
    columns.push(
      {
        key: 'current',
        title: t('reports.funnel.current'),
        align: 'right',
        render: (_, s) => (
          <Figure
            value={s.current}
            onClick={() => open(s, 'current')}
            testId={`funnel-current-${s.stage_id}`}
          />
        ),
      },
      {
        key: 'current_amount',
        title: t('reports.funnel.currentAmount'),
        align: 'right',
        render: (_, s) => formatMoney(s.current_amount_minor, 'RUB', lang),
      },
      {
        key: 'stay',
        title: t('reports.funnel.medianStay'),
        align: 'right',
        render: (_, s) => days(s.median_stay_ms, lang),
      },
    );
  }
  return (
    <>
      <BarChart
        testId="funnel-chart"
        horizontal
        height={compact ? 220 : 300}
        categories={funnel.stages.map((s) => s.name)}
        series={[{ name: t('reports.funnel.reached'), data: funnel.stages.map((s) => s.reached) }]}
        onPick={(i) => open(funnel.stages[i], 'reached')}
      />
      <Table<StageRow>
        rowKey="stage_id"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={funnel.stages}
        data-testid="funnel-table"
      />
    </>
  );
}

export function FunnelPanel({ filters, onPick }: { filters: ReportFilters; onPick: Pick }) {
  const { t, i18n } = useTranslation();
  const r = useReport<FunnelReport>('funnel', filters);
  if (!r.data) return <Failed error={r.error} />;
  const f = r.data;
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col>
          <Statistic title={t('reports.funnel.deals')} value={f.total.deals} />
        </Col>
        <Col>
          <Statistic
            title={t('reports.funnel.amount')}
            value={formatMoney(f.total.amount_minor, 'RUB', i18n.language)}
          />
        </Col>
        <Col>
          <Statistic title={t('reports.funnel.won')} value={f.total.won} />
        </Col>
        <Col>
          <Statistic title={t('reports.funnel.lost')} value={f.total.lost} />
        </Col>
      </Row>
      <FunnelView funnel={f.total} onPick={onPick} />
      {f.groups.map((g) => (
        <Card key={g.key} title={g.label} size="small" style={{ marginTop: 16 }}>
          <FunnelView
            funnel={g.funnel}
            onPick={onPick}
            groupKey={g.key}
            groupLabel={g.label}
            compact
          />
        </Card>
      ))}
    </>
  );
}

export function WinLossPanel({ filters, onPick }: { filters: ReportFilters; onPick: Pick }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const r = useReport<WinLossReport>('win-loss', filters);
  if (!r.data) return <Failed error={r.error} />;
  const w = r.data;
  const columns: ColumnsType<WinLossRow> = [
    { key: 'label', title: t('reports.winLoss.group'), dataIndex: 'label' },
    {
      key: 'won',
      title: t('reports.winLoss.won'),
      align: 'right',
      render: (_, x) => (
        <Figure
          value={x.won}
          onClick={() =>
            onPick({ measure: 'won', key: x.key, title: `${x.label}: ${t('reports.winLoss.won')}` })
          }
        />
      ),
    },
    {
      key: 'lost',
      title: t('reports.winLoss.lost'),
      align: 'right',
      render: (_, x) => (
        <Figure
          value={x.lost}
          onClick={() =>
            onPick({
              measure: 'lost',
              key: x.key,
              title: `${x.label}: ${t('reports.winLoss.lost')}`,
            })
          }
        />
      ),
    },
    {
      key: 'rate',
      title: t('reports.winLoss.rate'),
      align: 'right',
      render: (_, x) => percent(x.win_rate_bp, lang),
    },
    {
      key: 'won_amount',
      title: t('reports.winLoss.wonAmount'),
      align: 'right',
      render: (_, x) => formatMoney(x.won_amount_minor, 'RUB', lang),
    },
  ];
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col>
          <Statistic title={t('reports.winLoss.rate')} value={percent(w.total.win_rate_bp, lang)} />
        </Col>
        <Col>
          <Statistic title={t('reports.winLoss.won')} value={w.total.won} />
        </Col>
        <Col>
          <Statistic title={t('reports.winLoss.lost')} value={w.total.lost} />
        </Col>
      </Row>
      <BarChart
        categories={w.rows.map((x) => x.label)}
        series={[
          { name: t('reports.winLoss.won'), data: w.rows.map((x) => x.won) },
          { name: t('reports.winLoss.lost'), data: w.rows.map((x) => x.lost) },
        ]}
        onPick={(i, s) =>
          onPick({
            measure: s === 0 ? 'won' : 'lost',
            key: w.rows[i].key,
            title: `${w.rows[i].label}: ${t(s === 0 ? 'reports.winLoss.won' : 'reports.winLoss.lost')}`,
          })
        }
      />
      <Table<WinLossRow>
        rowKey="key"
        size="small"
        pagination={false}
        columns={columns}
        dataSource={w.rows}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('reports.winLoss.reasons')}
      </Typography.Title>
      <Table
        rowKey={(x) => String(x.reason_id ?? 'none')}
        size="small"
        pagination={false}
        dataSource={w.loss_reasons}
        columns={[
          { key: 'label', title: t('reports.winLoss.reason'), dataIndex: 'label' },
          {
            key: 'count',
            title: t('reports.winLoss.count'),
            align: 'right',
            render: (_, x) => (
              <Figure
                value={x.count}
                onClick={() =>
                  onPick({ measure: 'reason', reason_id: x.reason_id ?? undefined, title: x.label })
                }
              />
            ),
          },
          {
            key: 'amount',
            title: t('reports.winLoss.amount'),
            align: 'right',
            render: (_, x) => formatMoney(x.amount_minor, 'RUB', lang),
          },
        ]}
      />
    </>
  );
}

/** Activity per person (or per person and day): each count opens its records. */
export function ActivityTable({
  rows,
  onPick,
  withDay,
}: {
  rows: ActivityFigures[];
  onPick: Pick;
  withDay: boolean;
}) {
  const { t } = useTranslation();
  const cell = (measure: string, label: string) => ({
    key: measure,
    title: label,
    align: 'right' as const,
    render: (_: unknown, x: ActivityFigures) => (
      <Figure
        value={x[measure as keyof ActivityFigures] as number}
        onClick={() =>
          onPick({
            measure,
            cell_owner: x.owner_user_id ? String(x.owner_user_id) : 'none',
            day: x.day || undefined,
            title: `${x.owner_name}${x.day ? `, ${x.day}` : ''}: ${label}`,
          })
        }
      />
    ),
  });
  const columns: ColumnsType<ActivityFigures> = [
    { key: 'owner', title: t('reports.activity.person'), dataIndex: 'owner_name' },
    ...(withDay ? [{ key: 'day', title: t('reports.activity.day'), dataIndex: 'day' }] : []),
    cell('calls', t('reports.activity.calls')),
    cell('meetings', t('reports.activity.meetings')),
    cell('tasks', t('reports.activity.tasks')),
    cell('tasks_done', t('reports.activity.tasksDone')),
    cell('deals_created', t('reports.activity.dealsCreated')),
    cell('deals_won', t('reports.activity.dealsWon')),
    cell('leads_taken', t('reports.activity.leads')),
    cell('responded', t('reports.activity.responded')),
    cell('breaches', t('reports.activity.breaches')),
    {
      key: 'response',
      title: t('reports.activity.response'),
      align: 'right',
      render: (_, x) => minutes(x.response_median_ms),
    },
  ];
  return (
    <Table<ActivityFigures>
      rowKey={(x) => `${x.owner_user_id ?? 'none'}-${x.day}`}
      size="small"
      pagination={false}
      columns={columns}
      dataSource={rows}
    />
  );
}

export function ActivityPanel({ filters, onPick }: { filters: ReportFilters; onPick: Pick }) {
  const { t } = useTranslation();
  const r = useReport<ActivityReport>('activity', filters);
  if (!r.data) return <Failed error={r.error} />;
  const a = r.data;
  return (
    <>
      <BarChart
        categories={a.by_person.map((x) => x.owner_name)}
        series={[
          { name: t('reports.activity.calls'), data: a.by_person.map((x) => x.calls) },
          { name: t('reports.activity.meetings'), data: a.by_person.map((x) => x.meetings) },
          { name: t('reports.activity.tasks'), data: a.by_person.map((x) => x.tasks) },
        ]}
        onPick={(i, s) => {
          const measure = ['calls', 'meetings', 'tasks'][s];
          const x = a.by_person[i];
          onPick({
            measure,
            cell_owner: x.owner_user_id ? String(x.owner_user_id) : 'none',
            title: `${x.owner_name}: ${t(`reports.activity.${measure}`)}`,
          });
        }}
      />
      <ActivityTable rows={a.by_person} onPick={onPick} withDay={false} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('reports.activity.byDay')}
      </Typography.Title>
      <ActivityTable rows={a.by_person_day} onPick={onPick} withDay />
    </>
  );
}

/** Plan vs fact lines; with `onPick` every fact opens the deals, payments or activities that add up to it. */
export function PlanFactTable({ report, onPick }: { report: PlanFactReport; onPick?: Pick }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const value = (metric: string, v: number) =>
    metric === 'revenue' || metric === 'payments_received'
      ? formatMoney(v, 'RUB', lang)
      : String(v);
  if (!report.available) return <Alert type="info" message={t('reports.planFact.unavailable')} />;
  return (
    <Table
      rowKey={(x) => `${x.label}-${x.metric}`}
      size="small"
      pagination={false}
      dataSource={report.lines}
      locale={{ emptyText: t('reports.planFact.empty') }}
      columns={[
        {
          key: 'label',
          title: t('reports.planFact.whose'),
          render: (_, x) => <span style={{ whiteSpace: 'pre' }}>{x.label}</span>,
        },
        {
          key: 'metric',
          title: t('reports.planFact.metric'),
          render: (_, x) => t(`reports.metric.${x.metric}`, x.metric),
        },
        {
          key: 'plan',
          title: t('reports.planFact.plan'),
          align: 'right',
          render: (_, x) => value(x.metric, x.plan),
        },
        {
          key: 'fact',
          title: t('reports.planFact.fact'),
          align: 'right',
          render: (_, x) => (
            <Figure
              value={value(x.metric, x.fact)}
              testId={`planfact-fig-${x.user_id ? `u${x.user_id}` : `d${x.department_id}`}-${x.metric}`}
              onClick={
                onPick && (x.user_id || x.department_id)
                  ? () =>
                      onPick({
                        measure: x.metric,
                        cell_owner: x.user_id ? String(x.user_id) : undefined,
                        cell_department_id: x.department_id ?? undefined,
                        title: `${x.label.trim()}: ${t(`reports.metric.${x.metric}`, x.metric)}`,
                      })
                  : undefined
              }
            />
          ),
        },
        {
          key: 'done',
          title: t('reports.planFact.done'),
          align: 'right',
          render: (_, x) => percent(x.percent_bp, lang),
        },
        {
          key: 'pace',
          title: t('reports.planFact.pace'),
          align: 'right',
          render: (_, x) => percent(x.pace_bp, lang),
        },
      ]}
    />
  );
}

export function PlanFactPanel({ filters, onPick }: { filters: ReportFilters; onPick?: Pick }) {
  const { t } = useTranslation();
  const r = useReport<PlanFactReport>('plan-fact', filters);
  if (!r.data) return <Failed error={r.error} />;
  const revenue = r.data.lines.filter((l) => l.metric === 'revenue');
  return (
    <>
      {revenue.length > 0 && (
        <BarChart
          categories={revenue.map((l) => l.label.trim())}
          series={[
            { name: t('reports.planFact.plan'), data: revenue.map((l) => l.plan / 100) },
            { name: t('reports.planFact.fact'), data: revenue.map((l) => l.fact / 100) },
          ]}
        />
      )}
      {onPick && r.data.lines.length > 0 && (
        <Typography.Paragraph type="secondary">
          {t('reports.planFact.openHint')}
        </Typography.Paragraph>
      )}
      <PlanFactTable report={r.data} onPick={onPick} />
    </>
  );
}

export function ForecastPanel({ filters, onPick }: { filters: ReportFilters; onPick: Pick }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const r = useReport<ForecastReport>('forecast', filters);
  if (!r.data) return <Failed error={r.error} />;
  const f = r.data;
  const money = (v: number) => formatMoney(v, 'RUB', lang);
  const cat = (key: string, dept: number | null, v: number, name: string) => (
    <Figure
      value={money(v)}
      onClick={() =>
        onPick({
          measure: 'category',
          key,
          cell_department_id: dept ?? undefined,
          title: `${name}: ${t(`reports.forecast.${key}`)}`,
        })
      }
    />
  );
  return (
    <>
      <Row gutter={16} style={{ marginBottom: 16 }}>
        <Col>
          <Statistic title={t('reports.forecast.weighted')} value={money(f.weighted_total_minor)} />
        </Col>
        <Col>
          <Statistic
            title={t('reports.forecast.statistical')}
            value={money(f.statistical.expected_minor)}
          />
        </Col>
        <Col>
          <Statistic
            title={t('reports.forecast.backtest')}
            value={percent(f.backtest.mape_bp, lang)}
            data-testid="forecast-mape"
          />
        </Col>
        <Col>
          <Statistic
            title={t('reports.forecast.wonSoFar')}
            value={money(f.statistical.won_so_far_minor)}
          />
        </Col>
      </Row>
      <BarChart
        categories={f.weighted.map((w) => w.name)}
        series={[
          { name: t('reports.forecast.amount'), data: f.weighted.map((w) => w.amount_minor / 100) },
          {
            name: t('reports.forecast.weighted'),
            data: f.weighted.map((w) => w.weighted_minor / 100),
          },
        ]}
        onPick={(i) =>
          onPick({
            measure: 'weighted',
            stage_id: f.weighted[i].stage_id,
            title: f.weighted[i].name,
          })
        }
      />
      <Typography.Title level={5}>{t('reports.forecast.categories')}</Typography.Title>
      <Table
        rowKey={(c) => String(c.department_id ?? 'none')}
        size="small"
        pagination={false}
        dataSource={f.categories}
        columns={[
          {
            key: 'name',
            title: t('reports.forecast.department'),
            render: (_, c) => c.name || t('reports.forecast.noDepartment'),
          },
          ...(['closed', 'commit', 'best_case', 'pipeline'] as const).map((k) => ({
            key: k,
            title: t(`reports.forecast.${k}`),
            align: 'right' as const,
            render: (_: unknown, c: ForecastReport['categories'][number]) =>
              cat(k, c.department_id, c.rolled[`${k}_minor`], c.name),
          })),
        ]}
      />
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('reports.forecast.backtestTitle')}
      </Typography.Title>
      <Table
        rowKey="from_ms"
        size="small"
        pagination={false}
        dataSource={f.backtest.periods}
        columns={[
          {
            key: 'period',
            title: t('reports.forecast.period'),
            render: (_, b) =>
              new Date(b.from_ms).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU'),
          },
          {
            key: 'forecast',
            title: t('reports.forecast.forecast'),
            align: 'right',
            render: (_, b) => money(b.forecast_minor),
          },
          {
            key: 'actual',
            title: t('reports.forecast.actual'),
            align: 'right',
            render: (_, b) => money(b.actual_minor),
          },
          {
            key: 'error',
            title: t('reports.forecast.error'),
            align: 'right',
            render: (_, b) => percent(b.error_bp, lang),
          },
        ]}
      />
    </>
  );
}
