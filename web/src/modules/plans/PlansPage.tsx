import { useState } from 'react';
import { Alert, DatePicker, Flex, Segmented, Select, Spin, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { SetPlanModal, SplitPlanModal } from './PlanModals';
import PlanVsFactTable from './PlanVsFactTable';
import {
  usePlanVsFact,
  type PeriodKind,
  type PlanFactLine,
  type PlanFactRow,
  type PlanMetric,
} from './plansApi';

const METRICS: PlanMetric[] = [
  'revenue',
  'deals_won',
  'new_clients',
  'calls',
  'meetings',
  'payments_received',
];

/** Планы продаж: plan vs fact along the tree for a month, quarter or year; heads set and split plans here. */
export default function PlansPage() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<PeriodKind>('month');
  const [date, setDate] = useState<Dayjs>(dayjs());
  const [metric, setMetric] = useState<PlanMetric>('revenue');
  const [editing, setEditing] = useState<{ row: PlanFactRow; line: PlanFactLine } | null>(null);
  const [splitting, setSplitting] = useState<{ row: PlanFactRow; line: PlanFactLine } | null>(null);
  const vsFact = usePlanVsFact({ period, date: date.format('YYYY-MM-DD') });
  return (
    <Flex vertical gap={16} data-testid="plans-page">
      <Flex gap={8} wrap align="center">
        <Segmented
          value={period}
          onChange={(v) => setPeriod(v as PeriodKind)}
          options={(['month', 'quarter', 'year'] as const).map((p) => ({
            value: p,
            label: t(`plans.period.${p}`),
          }))}
          data-testid="plans-period"
        />
        <DatePicker
          picker={period === 'year' ? 'year' : period === 'quarter' ? 'quarter' : 'month'}
          value={date}
          allowClear={false}
          onChange={(d) => d && setDate(d)}
        />
        <Select
          value={metric}
          onChange={setMetric}
          style={{ minWidth: 200 }}
          options={METRICS.map((m) => ({ value: m, label: t(`plans.metric.${m}`) }))}
          data-testid="plans-metric"
        />
        {vsFact.data && (
          <Typography.Text type="secondary">
            {t('plans.workingDays', {
              elapsed: vsFact.data.pace.working_days_elapsed,
              total: vsFact.data.pace.working_days_total,
            })}
          </Typography.Text>
        )}
      </Flex>
      {vsFact.isError && <Alert type="error" showIcon message={errorMessage(vsFact.error, t)} />}
      {vsFact.isLoading && <Spin />}
      {vsFact.data && (
        <PlanVsFactTable
          data={vsFact.data}
          metric={metric}
          onEdit={(row, line) => setEditing({ row, line })}
          onSplit={(row, line) => setSplitting({ row, line })}
        />
      )}
      {vsFact.data && (
        <>
          <SetPlanModal
            open={editing !== null}
            data={vsFact.data}
            row={editing?.row ?? null}
            line={editing?.line ?? null}
            metric={metric}
            onClose={() => setEditing(null)}
          />
          <SplitPlanModal
            open={splitting !== null}
            data={vsFact.data}
            row={splitting?.row ?? null}
            line={splitting?.line ?? null}
            metric={metric}
            onClose={() => setSplitting(null)}
          />
        </>
      )}
    </Flex>
  );
}
