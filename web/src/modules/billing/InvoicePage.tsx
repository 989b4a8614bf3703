import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  CheckOutlined,
  DeleteOutlined,
  FilePdfOutlined,
  PlusOutlined,
  StopOutlined,
} from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { formatDate } from '../deals/dates';
import { MoneyInput } from '../deals/DealInputs';
import { fieldErrors } from '../deals/gate';
import { DocumentEmailHistory, SendByEmailButton } from '../documents/SendByEmail';
import { formatMoney, minorToInput, parseMoney } from '../deals/money';
import {
  INSTALMENT_COLOR,
  STATUS_COLOR,
  formatQuantity,
  formatRate,
  scheduleBody,
  scheduleProblems,
  scheduleSum,
  splitMonthly,
  type ScheduleRow,
} from './billing';
import {
  PAYMENT_FORMS,
  billingApi,
  invoicePdfUrl,
  useBillingAccess,
  useBillingMutation,
  useInvoice,
  type BillingReminder,
  type InvoiceCard,
  type InvoiceLine,
  type Payment,
  type PaymentForm,
} from './billingApi';

interface PaymentValues {
  paid_on: Dayjs;
  amount: string | null;
  method: PaymentForm;
  reference?: string;
  note?: string;
}

/** Record money that came in: date, amount (what is still owed to start with), method, the bank's reference. */
function PaymentModal({ invoice, onClose }: { invoice: InvoiceCard; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PaymentValues>();
  const pay = useBillingMutation(
    (v: PaymentValues) =>
      billingApi.pay(invoice.id, {
        paid_on: v.paid_on.format('YYYY-MM-DD'),
        amount_minor: parseMoney(v.amount) ?? 0,
        method: v.method,
        ...(v.reference?.trim() ? { reference: v.reference.trim() } : {}),
        ...(v.note?.trim() ? { note: v.note.trim() } : {}),
      }),
    {
      onSuccess: () => {
        void message.success(t('billing.payments.saved'));
        onClose();
      },
      onError: (error) => {
        const fields = fieldErrors(error).map((f) => ({
          ...f,
          name: f.name === 'amount_minor' ? 'amount' : f.name === 'paid_on' ? 'paid_on' : f.name,
        }));
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  return (
    <Modal
      open
      title={t('billing.payments.new', { number: invoice.number })}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={pay.isPending}
      okButtonProps={{ 'data-testid': 'payment-save' } as never}
      destroyOnHidden
    >
      <Form<PaymentValues>
        form={form}
        layout="vertical"
        initialValues={{
          paid_on: dayjs(),
          amount: minorToInput(invoice.outstanding_minor),
          method: invoice.payment_form,
        }}
        onFinish={(v) => pay.mutate(v)}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="paid_on"
            label={t('billing.payments.paid_on')}
            style={{ flex: '1 1 150px' }}
          >
            <DatePicker style={{ width: '100%' }} format="DD.MM.YYYY" allowClear={false} />
          </Form.Item>
          <Form.Item
            name="amount"
            label={t('billing.payments.amount')}
            style={{ flex: '1 1 180px' }}
            rules={[
              {
                validator: (_, v: string | null) =>
                  (parseMoney(v) ?? 0) > 0
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('billing.payments.amountInvalid'))),
              },
            ]}
          >
            <MoneyInput testId="payment-amount" currency={invoice.currency} />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item
            name="method"
            label={t('billing.payments.method')}
            style={{ flex: '1 1 180px' }}
          >
            <Select
              options={PAYMENT_FORMS.map((f) => ({ value: f, label: t(`billing.form.${f}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="reference"
            label={t('billing.payments.reference')}
            style={{ flex: '1 1 180px' }}
          >
            <Input data-testid="payment-reference" maxLength={200} />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('billing.field.note')}>
          <Input maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The instalment schedule: shown with what each due has received, or edited as rows that must sum to the total. */
function Schedule({ invoice, editable }: { invoice: InvoiceCard; editable: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [rows, setRows] = useState<ScheduleRow[] | null>(null);
  const [parts, setParts] = useState<number | null>(3);
  const save = useBillingMutation(
    (r: ScheduleRow[]) => billingApi.schedule(invoice.id, scheduleBody(r)),
    {
      onSuccess: () => {
        void message.success(t('billing.schedule.saved'));
        setRows(null);
      },
      onError: (error) => {
        const messages = fieldErrors(error).flatMap((f) => f.errors);
        void message.error(messages.length ? messages.join(' ') : errorMessage(error, t));
      },
    },
  );
  const money = (minor: number) => formatMoney(minor, invoice.currency, i18n.language);

  if (rows === null) {
    return (
      <Card
        size="small"
        title={t('billing.schedule.title')}
        data-testid="invoice-schedule"
        extra={
          editable && (
            <Button
              size="small"
              data-testid="schedule-edit"
              onClick={() =>
                setRows(
                  invoice.instalments.map((i) => ({
                    due_date: i.due_date,
                    amount_minor: i.amount_minor,
                    note: i.note,
                  })),
                )
              }
            >
              {invoice.instalments.length ? t('billing.schedule.edit') : t('billing.schedule.plan')}
            </Button>
          )
        }
      >
        {invoice.instalments.length === 0 ? (
          <Typography.Text type="secondary">{t('billing.schedule.none')}</Typography.Text>
        ) : (
          <Table
            rowKey="id"
            size="small"
            pagination={false}
            dataSource={invoice.instalments}
            columns={[
              {
                key: 'due',
                title: t('billing.schedule.due_date'),
                render: (_, i) => formatDate(i.due_date, i18n.language),
              },
              {
                key: 'amount',
                title: t('billing.schedule.amount'),
                align: 'right',
                render: (_, i) => money(i.amount_minor),
              },
              {
                key: 'paid',
                title: t('billing.schedule.paid'),
                align: 'right',
                render: (_, i) => money(i.paid_minor),
              },
              {
                key: 'status',
                title: t('billing.field.status'),
                render: (_, i) => (
                  <Tag color={INSTALMENT_COLOR[i.status]} data-testid="instalment-status">
                    {t(`billing.schedule.status.${i.status}`)}
                  </Tag>
                ),
              },
              { key: 'note', title: t('billing.field.note'), dataIndex: 'note' },
            ]}
          />
        )}
      </Card>
    );
  }

  const problems = scheduleProblems(rows, invoice.total_minor, invoice.issue_date);
  const sum = scheduleSum(rows);
  const setRow = (i: number, change: Partial<ScheduleRow>) =>
    setRows((rs) => (rs ?? []).map((r, k) => (k === i ? { ...r, ...change } : r)));
  return (
    <Card size="small" title={t('billing.schedule.title')} data-testid="schedule-editor">
      <Flex vertical gap={8}>
        <Flex gap={8} wrap align="center">
          <Typography.Text>{t('billing.schedule.split')}</Typography.Text>
          <InputNumber<number>
            data-testid="schedule-parts"
            min={1}
            max={120}
            value={parts}
            onChange={setParts}
            style={{ width: 80 }}
          />
          <Button
            data-testid="schedule-split"
            disabled={!parts}
            onClick={() =>
              setRows(splitMonthly(invoice.total_minor, parts ?? 1, invoice.issue_date))
            }
          >
            {t('billing.schedule.splitButton')}
          </Button>
        </Flex>
        {rows.map((r, i) => (
          <Flex key={i} gap={8} wrap align="center" data-testid="schedule-row">
            <DatePicker
              data-testid="schedule-date"
              format="DD.MM.YYYY"
              value={r.due_date ? dayjs(r.due_date) : null}
              onChange={(d) => setRow(i, { due_date: d ? d.format('YYYY-MM-DD') : '' })}
            />
            <div style={{ flex: '1 1 160px' }}>
              <MoneyInput
                testId="schedule-amount"
                currency={invoice.currency}
                value={r.amount_minor === null ? null : minorToInput(r.amount_minor)}
                onChange={(v) => setRow(i, { amount_minor: parseMoney(v) })}
              />
            </div>
            <Input
              style={{ flex: '2 1 160px' }}
              placeholder={t('billing.field.note')}
              value={r.note}
              maxLength={2000}
              onChange={(e) => setRow(i, { note: e.target.value })}
            />
            <Button
              icon={<DeleteOutlined />}
              aria-label={t('billing.schedule.remove')}
              onClick={() => setRows((rs) => (rs ?? []).filter((_, k) => k !== i))}
            />
          </Flex>
        ))}
        <Button
          icon={<PlusOutlined />}
          data-testid="schedule-add"
          style={{ alignSelf: 'flex-start' }}
          onClick={() =>
            setRows((rs) => [...(rs ?? []), { due_date: '', amount_minor: null, note: '' }])
          }
        >
          {t('billing.schedule.add')}
        </Button>
        <Typography.Text
          data-testid="schedule-sum"
          type={sum === invoice.total_minor ? 'success' : 'danger'}
        >
          {t('billing.schedule.sum', { sum: money(sum), total: money(invoice.total_minor) })}
        </Typography.Text>
        {problems
          .filter((p) => p !== 'sum_mismatch')
          .map((p) => (
            <Typography.Text key={p} type="danger">
              {t(`billing.schedule.problem.${p}`)}
            </Typography.Text>
          ))}
        <Space>
          <Button
            type="primary"
            data-testid="schedule-save"
            loading={save.isPending}
            disabled={problems.length > 0}
            onClick={() => save.mutate(rows)}
          >
            {rows.length ? t('common.save') : t('billing.schedule.clear')}
          </Button>
          <Button onClick={() => setRows(null)}>{t('common.cancel')}</Button>
        </Space>
      </Flex>
    </Card>
  );
}

/** Счёт: its parties, lines and totals, the schedule, the payments and the reminders the client got. */
export default function InvoicePage() {
  const { t, i18n } = useTranslation();
  const { message, modal } = App.useApp();
  const { id } = useParams();
  const invoiceId = Number(id) || null;
  const card = useInvoice(invoiceId);
  const access = useBillingAccess();
  const [paying, setPaying] = useState(false);
  const issue = useBillingMutation(() => billingApi.issue(invoiceId!), {
    onSuccess: (inv) => void message.success(t('billing.issued', { number: inv.number })),
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const cancel = useBillingMutation((reason: string) => billingApi.cancel(invoiceId!, reason), {
    onSuccess: () => void message.success(t('billing.cancelled')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const reverse = useBillingMutation((paymentId: number) => billingApi.reverse(paymentId), {
    onSuccess: () => void message.success(t('billing.payments.reversed')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  if (card.isPending) return <Skeleton active />;
  if (card.isError) return <Alert type="error" showIcon message={errorMessage(card.error, t)} />;
  const inv = card.data;
  const money = (minor: number) => formatMoney(minor, inv.currency, i18n.language);
  const issued = inv.state === 'issued';
  const canCancel =
    inv.state === 'draft'
      ? access.canEdit
      : issued && access.canCancelIssued && inv.paid_minor === 0;

  const askCancel = () => {
    let reason = '';
    modal.confirm({
      title: t('billing.cancelConfirm'),
      content: (
        <Input.TextArea
          data-testid="invoice-cancel-reason"
          placeholder={t('billing.cancelReason')}
          onChange={(e) => (reason = e.target.value)}
        />
      ),
      okText: t('billing.cancel'),
      okButtonProps: { danger: true, 'data-testid': 'invoice-cancel-confirm' } as never,
      cancelText: t('common.cancel'),
      onOk: () => cancel.mutateAsync(reason),
    });
  };

  const lineColumns: ColumnsType<InvoiceLine & { key: number }> = [
    { key: 'n', title: '№', render: (_, __, i) => i + 1, width: 48 },
    { key: 'name', title: t('billing.lines.name'), dataIndex: 'name' },
    {
      key: 'qty',
      title: t('billing.lines.quantity'),
      align: 'right',
      render: (_, l) => `${formatQuantity(l.quantity_milli, i18n.language)} ${l.unit}`.trim(),
    },
    {
      key: 'price',
      title: t('billing.lines.price'),
      align: 'right',
      render: (_, l) => money(l.unit_price_minor),
    },
    {
      key: 'disc',
      title: t('billing.lines.discount'),
      align: 'right',
      render: (_, l) => (l.discount_bp ? `${l.discount_bp / 100} %` : '—'),
    },
    {
      key: 'vat',
      title: t('billing.lines.vat'),
      align: 'right',
      render: (_, l) =>
        `${formatRate(l.vat_rate_bp, t('billing.lines.noVat'))}${l.vat_minor ? ` · ${money(l.vat_minor)}` : ''}`,
    },
    {
      key: 'amount',
      title: t('billing.lines.amount'),
      align: 'right',
      render: (_, l) => money(l.amount_minor),
    },
  ];
  const paymentColumns: ColumnsType<Payment> = [
    {
      key: 'on',
      title: t('billing.payments.paid_on'),
      render: (_, p) => formatDate(p.paid_on, i18n.language),
    },
    {
      key: 'amount',
      title: t('billing.payments.amount'),
      align: 'right',
      render: (_, p) =>
        p.reversed_at ? (
          <Typography.Text delete>{money(p.amount_minor)}</Typography.Text>
        ) : (
          money(p.amount_minor)
        ),
    },
    {
      key: 'method',
      title: t('billing.payments.method'),
      render: (_, p) => t(`billing.form.${p.method}`),
    },
    { key: 'ref', title: t('billing.payments.reference'), dataIndex: 'reference' },
    {
      key: 'source',
      title: t('billing.payments.source'),
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          <span>{t(`billing.payments.sources.${p.source}`)}</span>
          <Typography.Text type="secondary">{p.created_by_name}</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'actions',
      render: (_, p) =>
        p.reversed_at ? (
          <Tag>{t('billing.payments.reversedTag')}</Tag>
        ) : (
          access.canReverse && (
            <Popconfirm
              title={t('billing.payments.reverseConfirm')}
              okText={t('billing.payments.reverse')}
              cancelText={t('common.cancel')}
              onConfirm={() => reverse.mutate(p.id)}
            >
              <Button size="small" type="link" danger data-testid="payment-reverse">
                {t('billing.payments.reverse')}
              </Button>
            </Popconfirm>
          )
        ),
    },
  ];
  const reminderColumns: ColumnsType<BillingReminder> = [
    {
      key: 'due',
      title: t('billing.reminders.due'),
      render: (_, r) => {
        const due = inv.instalments.find((i) => i.id === r.instalment_id)?.due_date;
        return due ? formatDate(due, i18n.language) : '—';
      },
    },
    {
      key: 'kind',
      title: t('billing.reminders.kind'),
      render: (_, r) => t(`billing.reminders.kinds.${r.kind}`),
    },
    {
      key: 'channel',
      title: t('billing.reminders.channel'),
      render: (_, r) =>
        `${t(`billing.reminders.channels.${r.channel}`)}${r.target ? ` · ${r.target}` : ''}`,
    },
    {
      key: 'status',
      title: t('billing.field.status'),
      render: (_, r) => (
        <Tag
          color={r.status === 'sent' ? 'green' : r.status === 'failed' ? 'red' : 'default'}
          data-testid="reminder-status"
        >
          {t(`billing.reminders.statuses.${r.status}`)}
          {r.error && r.status !== 'sent'
            ? ` (${t(`billing.reminders.errors.${r.error}`, { defaultValue: r.error })})`
            : ''}
        </Tag>
      ),
    },
    {
      key: 'at',
      title: t('billing.reminders.at'),
      render: (_, r) => formatDateTime(r.sent_at ?? r.created_at, i18n.language),
    },
  ];

  return (
    <Flex vertical gap={16} data-testid="invoice-page">
      <Flex wrap gap={12} align="center">
        <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
          {inv.number ? t('billing.title', { number: inv.number }) : t('billing.draftTitle')}
        </Typography.Title>
        <Tag color={STATUS_COLOR[inv.status]} data-testid="invoice-status">
          {t(`billing.status.${inv.status}`)}
        </Tag>
        <div style={{ flex: 1 }} />
        <Space wrap>
          <Button
            icon={<FilePdfOutlined />}
            href={invoicePdfUrl(inv.id)}
            target="_blank"
            rel="noopener"
            data-testid="invoice-pdf"
          >
            {t('billing.pdf')}
          </Button>
          {inv.state === 'draft' && access.canEdit && (
            <Button
              type="primary"
              icon={<CheckOutlined />}
              loading={issue.isPending}
              data-testid="invoice-issue"
              onClick={() => issue.mutate(undefined)}
            >
              {t('billing.issue')}
            </Button>
          )}
          {issued && access.canPay && inv.outstanding_minor > 0 && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              data-testid="invoice-pay"
              onClick={() => setPaying(true)}
            >
              {t('billing.payments.add')}
            </Button>
          )}
          {inv.state !== 'cancelled' && (
            <SendByEmailButton
              kind="invoice"
              id={inv.id}
              canSend={access.canEdit}
              disabledReason={inv.state === 'draft' ? t('documentEmail.notIssued') : undefined}
            />
          )}
          {canCancel && (
            <Button danger icon={<StopOutlined />} data-testid="invoice-cancel" onClick={askCancel}>
              {t('billing.cancel')}
            </Button>
          )}
        </Space>
      </Flex>
      {inv.status === 'cancelled' && (
        <Alert
          type="warning"
          showIcon
          message={t('billing.cancelledNote', { reason: inv.cancel_reason || '—' })}
        />
      )}
      <Descriptions size="small" bordered column={{ xs: 1, sm: 2 }}>
        <Descriptions.Item label={t('billing.field.deal')}>
          <Link to={`/deals/${inv.deal_id}`} data-testid="invoice-deal-link">
            {inv.deal_title}
          </Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.payer')}>
          {inv.payer_name || '—'}
          {inv.payer_inn && (
            <Typography.Text type="secondary">{` · ${t('billing.field.inn')} ${inv.payer_inn}`}</Typography.Text>
          )}
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.owner')}>
          {inv.owner_name || '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.payment_form')}>
          {t(`billing.form.${inv.payment_form}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.issue_date')}>
          {formatDate(inv.issue_date, i18n.language)}
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.due_date')}>
          {formatDate(inv.due_date, i18n.language)}
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.total')}>
          <Typography.Text strong data-testid="invoice-total">
            {money(inv.total_minor)}
          </Typography.Text>
          <Typography.Text type="secondary">
            {inv.vat_minor
              ? ` · ${t(inv.vat_included ? 'billing.vatIncluded' : 'billing.vatAdded', { amount: money(inv.vat_minor) })}`
              : ` · ${t('billing.lines.noVat')}`}
          </Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('billing.field.outstanding')}>
          <span data-testid="invoice-outstanding">{money(inv.outstanding_minor)}</span>
          {issued && inv.outstanding_minor > 0 && (
            <Typography.Text type={inv.status === 'overdue' ? 'danger' : 'secondary'}>
              {` · ${t('billing.dueBy', { date: formatDate(inv.next_due_date, i18n.language) })}`}
            </Typography.Text>
          )}
        </Descriptions.Item>
        {inv.note && (
          <Descriptions.Item label={t('billing.field.note')}>{inv.note}</Descriptions.Item>
        )}
      </Descriptions>
      <Table<InvoiceLine & { key: number }>
        rowKey="key"
        size="small"
        pagination={false}
        columns={lineColumns}
        dataSource={inv.lines.map((l, key) => ({ ...l, key }))}
        scroll={{ x: true }}
      />
      <Schedule
        invoice={inv}
        editable={access.canEdit && inv.state !== 'cancelled' && inv.status !== 'paid'}
      />
      <Card size="small" title={t('billing.payments.title')}>
        <Table<Payment>
          rowKey="id"
          size="small"
          pagination={false}
          columns={paymentColumns}
          dataSource={inv.payments}
          scroll={{ x: true }}
          locale={{ emptyText: <Empty description={t('billing.payments.none')} /> }}
          data-testid="invoice-payments"
        />
      </Card>
      {inv.state !== 'draft' && (
        <Card size="small" title={t('documentEmail.history')}>
          <DocumentEmailHistory kind="invoice" id={inv.id} canSend={access.canEdit} />
        </Card>
      )}
      {inv.reminders.length > 0 && (
        <Card size="small" title={t('billing.reminders.title')}>
          <Table<BillingReminder>
            rowKey="id"
            size="small"
            pagination={false}
            columns={reminderColumns}
            dataSource={inv.reminders}
            scroll={{ x: true }}
            data-testid="invoice-reminders"
          />
        </Card>
      )}
      {paying && <PaymentModal invoice={inv} onClose={() => setPaying(false)} />}
    </Flex>
  );
}
