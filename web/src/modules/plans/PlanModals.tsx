import { useEffect, useMemo, useState } from 'react';
import { App, Form, Input, InputNumber, Modal, Segmented, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/client';
import { errorMessage } from '../../api/errors';
import { fieldErrors } from '../deals/gate';
import { MONEY_METRICS, formatPlanValue, parseAmount } from './format';
import { peopleUnder } from './tree';
import {
  plansApi,
  usePlansMutation,
  type PlanFactLine,
  type PlanFactRow,
  type PlanMetric,
  type PlanVsFact,
} from './plansApi';

interface SetPlanProps {
  open: boolean;
  data: PlanVsFact;
  row: PlanFactRow | null;
  line: PlanFactLine | null;
  metric: PlanMetric;
  onClose: () => void;
}

/** Sets (or replaces) the plan of a department or a person for the period shown. */
export function SetPlanModal({ open, data, row, line, metric, onClose }: SetPlanProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ target: string }>();
  const money = MONEY_METRICS.includes(metric);
  useEffect(() => {
    if (open)
      form.setFieldsValue({
        target: line?.target != null ? String(money ? line.target / 100 : line.target) : '',
      });
  }, [open, line, money, form]);
  const save = usePlansMutation(
    (target: number) =>
      plansApi.setPlan({
        period: data.period.kind as 'month' | 'quarter' | 'year',
        first_day: data.period.first_day,
        metric,
        target,
        ...(row?.kind === 'department' ? { department_id: row.id } : { user_id: row?.id }),
      }),
    {
      onSuccess: () => {
        void message.success(t('plans.saved'));
        onClose();
      },
      onError: (e) => {
        const fields = fieldErrors(e);
        if (fields.length)
          form.setFields(fields.map((f) => ({ name: 'target', errors: f.errors })));
        else void message.error(errorMessage(e, t));
      },
    },
  );
  return (
    <Modal
      open={open}
      title={t('plans.setPlanFor', { name: row?.name ?? '' })}
      onCancel={onClose}
      okText={t('plans.save')}
      confirmLoading={save.isPending}
      onOk={() => {
        const text = form.getFieldValue('target') ?? '';
        const value = money
          ? parseAmount(text)
          : /^-?\d+$/.test(text.trim())
            ? Number(text.trim())
            : null;
        if (value === null) {
          form.setFields([{ name: 'target', errors: [t('plans.enterNumber')] }]);
          return;
        }
        save.mutate(value);
      }}
      destroyOnClose
    >
      <Form form={form} layout="vertical">
        <Form.Item name="target" label={t(`plans.metric.${metric}`) + (money ? ', ₽' : '')}>
          <Input data-testid="plan-target-input" autoFocus inputMode="decimal" />
        </Form.Item>
        <Typography.Text type="secondary">
          {t('plans.periodLabel', { from: data.period.first_day, to: data.period.last_day })}
        </Typography.Text>
      </Form>
    </Modal>
  );
}

interface SplitProps {
  open: boolean;
  data: PlanVsFact;
  row: PlanFactRow | null;
  line: PlanFactLine | null;
  metric: PlanMetric;
  onClose: () => void;
}

type Mode = 'even' | 'weights' | 'amounts';

/** Splits a department's plan over its people: evenly, by weights or by amounts that add up to the plan. */
export function SplitPlanModal({ open, data, row, line, metric, onClose }: SplitProps) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const people = useMemo(() => (row ? peopleUnder(data.rows, row) : []), [data.rows, row]);
  const [mode, setMode] = useState<Mode>('even');
  const [values, setValues] = useState<Record<number, number | null>>({});
  const [error, setError] = useState<string>('');
  const money = MONEY_METRICS.includes(metric);
  useEffect(() => {
    if (open) {
      setMode('even');
      setValues({});
      setError('');
    }
  }, [open]);
  const split = usePlansMutation(
    () =>
      plansApi.split(line!.plan_id!, {
        mode,
        people: people.map((p) => {
          const v = values[p.id];
          if (mode === 'weights') return { user_id: p.id, weight: v ?? 1 };
          if (mode === 'amounts')
            return { user_id: p.id, amount: v == null ? null : money ? Math.round(v * 100) : v };
          return { user_id: p.id };
        }),
      }),
    {
      onSuccess: () => {
        void message.success(t('plans.splitDone'));
        onClose();
      },
      onError: (e) => {
        if (isApiError(e) && e.errors.length) setError(e.errors.map((x) => x.message).join(' '));
        else setError(errorMessage(e, t));
      },
    },
  );
  return (
    <Modal
      open={open}
      title={t('plans.splitTitle', {
        name: row?.name ?? '',
        total: formatPlanValue(line?.target ?? 0, metric, i18n.language),
      })}
      onCancel={onClose}
      okText={t('plans.split')}
      okButtonProps={{ 'data-testid': 'split-ok' } as never}
      confirmLoading={split.isPending}
      onOk={() => split.mutate(undefined)}
      width={560}
      destroyOnClose
    >
      <Segmented
        value={mode}
        onChange={(v) => setMode(v as Mode)}
        style={{ marginBottom: 12 }}
        options={[
          { value: 'even', label: t('plans.splitMode.even') },
          { value: 'weights', label: t('plans.splitMode.weights') },
          { value: 'amounts', label: t('plans.splitMode.amounts') },
        ]}
        data-testid="split-mode"
      />
      <Table
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={people}
        columns={[
          { key: 'name', title: t('plans.col.subject'), dataIndex: 'name' },
          {
            key: 'value',
            title:
              mode === 'weights' ? t('plans.weight') : mode === 'amounts' ? t('plans.amount') : '',
            render: (_, p) =>
              mode === 'even' ? null : (
                <InputNumber
                  min={0}
                  value={values[p.id] ?? (mode === 'weights' ? 1 : null)}
                  onChange={(v) => setValues({ ...values, [p.id]: v })}
                  data-testid={`split-value-${p.id}`}
                />
              ),
          },
        ]}
      />
      {error && (
        <Typography.Text type="danger" data-testid="split-error">
          {error}
        </Typography.Text>
      )}
    </Modal>
  );
}
