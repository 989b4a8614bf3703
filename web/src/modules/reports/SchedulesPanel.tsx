import {
  Alert,
  App,
  Button,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import {
  toQuery,
  useScheduleMutations,
  useSchedules,
  type ReportFilters,
  type ReportSchedule,
} from './reportsApi';

const REPORT_NAMES = ['funnel', 'activity', 'plan_fact', 'win_loss', 'forecast'];

interface FormValues {
  report: string;
  every: 'daily' | 'weekly' | 'monthly';
  weekday?: number;
  day?: number;
  hour: number;
  recipients: string;
}

/** Scheduled e-mail delivery: the report with the current filters, daily, weekly or monthly. */
export default function SchedulesPanel({
  filters,
  report,
}: {
  filters: ReportFilters;
  report: string;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const list = useSchedules();
  const m = useScheduleMutations();
  const [form] = Form.useForm<FormValues>();
  const every = Form.useWatch('every', form);
  const submit = (v: FormValues) =>
    m.create.mutate(
      {
        report: v.report as ReportSchedule['report'] as 'funnel',
        every: v.every,
        weekday: v.every === 'weekly' ? v.weekday : undefined,
        day: v.every === 'monthly' ? v.day : undefined,
        hour: v.hour,
        filters: {
          ...toQuery(filters),
          ...(filters.from ? {} : { period: filters.period ?? 'month' }),
        },
        recipients: v.recipients
          .split(/[,;\s]+/)
          .map((s) => s.trim())
          .filter(Boolean),
      },
      {
        onSuccess: () => {
          message.success(t('reports.schedules.created'));
          form.resetFields(['recipients']);
        },
      },
    );
  const when = (ms: number | null) =>
    ms ? new Date(ms).toLocaleString(i18n.language === 'en' ? 'en-GB' : 'ru-RU') : '—';
  return (
    <>
      <Form<FormValues>
        form={form}
        layout="inline"
        onFinish={submit}
        initialValues={{
          report: report.replace('-', '_'),
          every: 'weekly',
          weekday: 1,
          day: 1,
          hour: 9,
        }}
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="report" label={t('reports.schedules.report')}>
          <Select
            style={{ width: 170 }}
            options={REPORT_NAMES.map((r) => ({ value: r, label: t(`reports.tabs.${r}`) }))}
          />
        </Form.Item>
        <Form.Item name="every" label={t('reports.schedules.every')}>
          <Select
            style={{ width: 140 }}
            options={['daily', 'weekly', 'monthly'].map((e) => ({
              value: e,
              label: t(`reports.schedules.${e}`),
            }))}
          />
        </Form.Item>
        {every === 'weekly' && (
          <Form.Item name="weekday" label={t('reports.schedules.weekday')}>
            <InputNumber min={1} max={7} />
          </Form.Item>
        )}
        {every === 'monthly' && (
          <Form.Item name="day" label={t('reports.schedules.day')}>
            <InputNumber min={1} max={28} />
          </Form.Item>
        )}
        <Form.Item name="hour" label={t('reports.schedules.hour')}>
          <InputNumber min={0} max={23} />
        </Form.Item>
        <Form.Item
          name="recipients"
          label={t('reports.schedules.recipients')}
          rules={[{ required: true, message: t('reports.schedules.recipientsRequired') }]}
        >
          <Input style={{ width: 280 }} placeholder="rop@example.ru, ceo@example.ru" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={m.create.isPending}>
          {t('reports.schedules.add')}
        </Button>
      </Form>
      {m.create.error && (
        <Alert
          type="error"
          message={errorMessage(m.create.error, t)}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<ReportSchedule>
        rowKey="id"
        size="small"
        loading={list.isLoading}
        dataSource={list.data ?? []}
        pagination={false}
        columns={[
          {
            key: 'report',
            title: t('reports.schedules.report'),
            render: (_, s) => t(`reports.tabs.${s.report}`),
          },
          {
            key: 'every',
            title: t('reports.schedules.every'),
            render: (_, s) => t(`reports.schedules.${s.every}`),
          },
          {
            key: 'to',
            title: t('reports.schedules.recipients'),
            render: (_, s) => s.recipients.join(', '),
          },
          {
            key: 'next',
            title: t('reports.schedules.next'),
            render: (_, s) => when(s.next_run_at),
          },
          {
            key: 'last',
            title: t('reports.schedules.last'),
            render: (_, s) => when(s.last_sent_at),
          },
          {
            key: 'actions',
            title: '',
            render: (_, s) => (
              <Space>
                <Button size="small" onClick={() => m.send.mutate(s.id)} loading={m.send.isPending}>
                  {t('reports.schedules.sendNow')}
                </Button>
                <Popconfirm
                  title={t('reports.schedules.confirmDelete')}
                  onConfirm={() => m.remove.mutate(s.id)}
                >
                  <Button size="small" danger>
                    {t('reports.schedules.delete')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
    </>
  );
}
