import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Popconfirm,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Progress,
  Segmented,
  Select,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDate } from '../deals/dates';
import { fieldErrors } from '../deals/gate';
import { formatKpi, percentOf } from './format';
import {
  plansApi,
  useGoals,
  useKpiCatalog,
  usePlanVsFact,
  usePlansMutation,
  type Goal,
  type KpiUnit,
} from './plansApi';

type Employee = Schemas['Employee'];

const STATE_COLORS: Record<Goal['state'], string> = {
  on_track: 'blue',
  achieved: 'green',
  behind: 'orange',
  overdue: 'red',
};

/** The number a person types for a target, in the KPI's unit on the wire (roubles → kopecks, % → bp, ×100 rates). */
function toWire(value: number, unit: KpiUnit): number {
  if (unit === 'money' || unit === 'basis_points' || unit === 'hundredths')
    return Math.round(value * 100);
  if (unit === 'duration_ms') return Math.round(value * 60_000);
  return Math.round(value);
}

/** The wire value back in the unit a person types (kopecks → roubles, bp → %, ms → minutes). */
function fromWire(value: number, unit: KpiUnit): number {
  if (unit === 'money' || unit === 'basis_points' || unit === 'hundredths') return value / 100;
  if (unit === 'duration_ms') return value / 60_000;
  return value;
}

interface GoalForm {
  title: string;
  kpi: string;
  target: number;
  owner_user_id: number;
  range: [Dayjs, Dayjs];
}

/** SMART goals: a KPI of the catalog, a target, an owner and a deadline; progress is measured, overdue ones stand out. */
export default function GoalsPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<'all' | 'me' | 'overdue'>('all');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Goal | null>(null);
  const open = creating || editing !== null;
  const [form] = Form.useForm<GoalForm>();
  // Goals follow the plan rights on their owner: whoever may set some plan may set goals (the server decides).
  const rights = usePlanVsFact({ period: 'month', metrics: ['revenue'] });
  const canSet = (rights.data?.rows ?? []).some((r) => r.can_edit);
  const goals = useGoals({
    owner: filter === 'me' ? 'me' : undefined,
    overdue: filter === 'overdue',
  });
  const catalog = useKpiCatalog();
  const employees = useQuery({
    queryKey: ['plans', 'employees'],
    queryFn: () =>
      api.request<{ items: Employee[] }>('/api/v1/employees', { query: { limit: '200' } }),
    enabled: open,
  });
  const unitOf = (kpi: string): KpiUnit =>
    catalog.data?.items.find((d) => d.kpi === kpi)?.unit ?? 'count';
  const nameOf = (kpi: string) => {
    const d = catalog.data?.items.find((x) => x.kpi === kpi);
    return d ? (i18n.language === 'en' ? d.name_en : d.name_ru) : kpi;
  };
  const close = () => {
    setCreating(false);
    setEditing(null);
  };
  const save = usePlansMutation(
    (v: GoalForm) => {
      const body = {
        title: v.title,
        kpi: v.kpi,
        target: toWire(v.target, unitOf(v.kpi)),
        owner_user_id: v.owner_user_id,
        starts_on: v.range[0].format('YYYY-MM-DD'),
        deadline: v.range[1].format('YYYY-MM-DD'),
      };
      return editing ? plansApi.updateGoal(editing.id, body) : plansApi.createGoal(body);
    },
    {
      onSuccess: () => {
        void message.success(t(editing ? 'plans.goalUpdated' : 'plans.goalSaved'));
        close();
        form.resetFields();
      },
      onError: (e) => {
        const fields = fieldErrors(e).map((f) => ({
          ...f,
          name: f.name === 'starts_on' || f.name === 'deadline' ? 'range' : f.name,
        }));
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(e, t));
      },
    },
  );
  const remove = usePlansMutation((g: Goal) => plansApi.deleteGoal(g.id), {
    onSuccess: () => void message.success(t('plans.goalDeleted')),
    onError: (e) => void message.error(errorMessage(e, t)),
  });
  const startEdit = (g: Goal) => {
    setEditing(g);
    form.setFieldsValue({
      title: g.title,
      kpi: g.kpi,
      target: fromWire(g.target, g.unit),
      owner_user_id: g.owner_user_id,
      range: [dayjs(g.starts_on), dayjs(g.deadline)],
    });
  };
  const columns: ColumnsType<Goal> = [
    { key: 'title', title: t('plans.goal.title'), dataIndex: 'title' },
    { key: 'kpi', title: t('plans.goal.kpi'), render: (_, g) => nameOf(g.kpi) },
    { key: 'owner', title: t('plans.goal.owner'), dataIndex: 'owner_name' },
    {
      key: 'target',
      title: t('plans.goal.target'),
      render: (_, g) => formatKpi(g.target, g.unit, i18n.language, g.currency),
    },
    {
      key: 'value',
      title: t('plans.goal.value'),
      render: (_, g) => (
        <Flex vertical style={{ minWidth: 140 }}>
          {formatKpi(g.value, g.unit, i18n.language, g.currency)}
          <Progress percent={Math.min(100, percentOf(g.progress_bp))} size="small" />
        </Flex>
      ),
    },
    {
      key: 'deadline',
      title: t('plans.goal.deadline'),
      render: (_, g) => formatDate(g.deadline, i18n.language),
    },
    {
      key: 'state',
      title: t('plans.goal.state'),
      render: (_, g) => (
        <Tag color={STATE_COLORS[g.state]} data-testid={`goal-state-${g.id}`}>
          {t(`plans.goalState.${g.state}`)}
        </Tag>
      ),
    },
  ];
  if (canSet)
    columns.push({
      key: 'actions',
      title: t('plans.goalActions'),
      render: (_, g) => (
        <Flex gap={4}>
          <Button size="small" onClick={() => startEdit(g)} data-testid={`goal-edit-${g.id}`}>
            {t('plans.editGoal')}
          </Button>
          <Popconfirm
            title={t('plans.deleteGoalConfirm', { title: g.title })}
            onConfirm={() => remove.mutate(g)}
          >
            <Button size="small" danger data-testid={`goal-delete-${g.id}`}>
              {t('plans.deleteGoal')}
            </Button>
          </Popconfirm>
        </Flex>
      ),
    });
  return (
    <Flex vertical gap={16} data-testid="goals-page">
      <Flex gap={8} wrap justify="space-between">
        <Segmented
          value={filter}
          onChange={(v) => setFilter(v as typeof filter)}
          options={[
            { value: 'all', label: t('plans.goalFilter.all') },
            { value: 'me', label: t('plans.goalFilter.mine') },
            { value: 'overdue', label: t('plans.goalFilter.overdue') },
          ]}
          data-testid="goals-filter"
        />
        {canSet && (
          <Button
            type="primary"
            onClick={() => {
              form.resetFields();
              setCreating(true);
            }}
            data-testid="goal-new"
          >
            {t('plans.newGoal')}
          </Button>
        )}
      </Flex>
      {goals.isError && <Alert type="error" showIcon message={errorMessage(goals.error, t)} />}
      <Table
        rowKey="id"
        columns={columns}
        dataSource={goals.data?.items ?? []}
        loading={goals.isLoading}
      />
      <Modal
        open={open}
        title={t(editing ? 'plans.editGoal' : 'plans.newGoal')}
        onCancel={close}
        onOk={() => form.submit()}
        confirmLoading={save.isPending}
        forceRender
      >
        <Form
          form={form}
          layout="vertical"
          onFinish={(v) => save.mutate(v)}
          initialValues={{ range: [dayjs().startOf('month'), dayjs().endOf('month')] }}
        >
          <Form.Item name="title" label={t('plans.goal.title')} rules={[{ required: true }]}>
            <Input />
          </Form.Item>
          <Form.Item name="kpi" label={t('plans.goal.kpi')} rules={[{ required: true }]}>
            <Select
              showSearch
              optionFilterProp="label"
              options={(catalog.data?.items ?? []).map((d) => ({
                value: d.kpi,
                label: nameOf(d.kpi),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="target"
            label={t('plans.goal.target')}
            rules={[{ required: true }]}
            extra={t('plans.goal.targetHint')}
          >
            <InputNumber style={{ width: '100%' }} />
          </Form.Item>
          <Form.Item
            name="owner_user_id"
            label={t('plans.goal.owner')}
            rules={[{ required: true }]}
          >
            <Select
              showSearch
              optionFilterProp="label"
              loading={employees.isLoading}
              options={(employees.data?.items ?? []).map((e) => ({
                value: e.user_id,
                label: e.full_name,
              }))}
            />
          </Form.Item>
          <Form.Item name="range" label={t('plans.goal.range')} rules={[{ required: true }]}>
            <DatePicker.RangePicker />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}
