import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Radio,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, FilePdfOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { MoneyInput } from '../deals/DealInputs';
import { fieldErrors } from '../deals/gate';
import { formatMoney, minorToInput, parseMoney } from '../deals/money';
import { useMe } from '../auth/session';
import { useServerOffset } from '../routing/serverClock';
import { NO_VAT, dayIn, lineAmount, linesBody, parseQuantity, type LineRow } from './billing';
import {
  PAYMENT_FORMS,
  VAT_RATES,
  billingApi,
  invoicePdfUrl,
  useBillingAccess,
  useBillingMutation,
  useInvoices,
  type Invoice,
  type InvoiceCreate,
  type PaymentForm,
} from './billingApi';
import { invoiceColumns } from './invoiceColumns';

/** The part of a deal the invoices need (the deal card passes its deal). */
export interface InvoicesDeal {
  id: number;
  title: string;
  amount_minor: number;
  currency: string;
  deleted_at: number | null;
  status: string;
}

interface NewValues {
  source: 'deal' | 'manual';
  issue_date: Dayjs;
  due_date: Dayjs | null;
  payment_form: PaymentForm;
  vat_included: boolean;
  issue: boolean;
  note?: string;
}

/** Make an invoice from the deal: its lines as they are, or lines typed here (the deal's amount to start with). */
function NewInvoiceModal({ deal, onClose }: { deal: InvoicesDeal; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewValues>();
  // The invoice is dated by the server's clock in the workspace's zone, not by this browser's (which may be off, or
  // a day ahead in another zone): the default issue date follows once the server's time is known.
  const offset = useServerOffset();
  const timeZone = useMe().data?.workspace.time_zone;
  useEffect(() => {
    if (form.isFieldTouched('issue_date')) return;
    form.setFieldsValue({ issue_date: dayjs(dayIn(Date.now() + offset, timeZone)) });
  }, [offset, timeZone, form]);
  const [rows, setRows] = useState<LineRow[]>([
    {
      name: deal.title,
      quantity: '1',
      price: deal.amount_minor ? minorToInput(deal.amount_minor) : null,
      discount: 0,
      vat: 2200,
    },
  ]);
  const source = Form.useWatch('source', form) ?? 'deal';
  const [linesError, setLinesError] = useState<string | null>(null);
  const create = useBillingMutation((body: InvoiceCreate) => billingApi.create(body), {
    onSuccess: (inv) => {
      void message.success(
        inv.number
          ? t('billing.created.issued', { number: inv.number })
          : t('billing.created.draft'),
      );
      onClose();
    },
    onError: (error) => {
      const fields = fieldErrors(error);
      const lineErrors = fields.filter((f) => f.name.startsWith('lines'));
      if (lineErrors.length) {
        setLinesError(lineErrors.map((f) => f.errors.join(' ')).join(' '));
        // A deal without lines of its own: the same invoice, typed in.
        if (source === 'deal') form.setFieldValue('source', 'manual');
      }
      const others = fields.filter((f) => !f.name.startsWith('lines'));
      if (others.length) form.setFields(others as never);
      if (!fields.length) void message.error(errorMessage(error, t));
    },
  });
  const submit = (v: NewValues) => {
    setLinesError(null);
    const body: InvoiceCreate = {
      deal_id: deal.id,
      issue_date: v.issue_date.format('YYYY-MM-DD'),
      payment_form: v.payment_form,
      vat_included: v.vat_included,
      issue: v.issue,
      ...(v.due_date ? { due_date: v.due_date.format('YYYY-MM-DD') } : {}),
      ...(v.note?.trim() ? { note: v.note.trim() } : {}),
    };
    if (v.source === 'manual') {
      const lines = linesBody(rows);
      if (!lines) {
        setLinesError(t('billing.lines.incomplete'));
        return;
      }
      body.lines = lines;
    }
    create.mutate(body);
  };
  const setRow = (i: number, change: Partial<LineRow>) =>
    setRows((rs) => rs.map((r, k) => (k === i ? { ...r, ...change } : r)));
  const preview = rows.reduce((n, r) => {
    const q = parseQuantity(r.quantity);
    const p = parseMoney(r.price);
    return q === null || p === null ? n : n + lineAmount(q, p, Math.round((r.discount ?? 0) * 100));
  }, 0);

  return (
    <Modal
      open
      width={760}
      title={t('billing.new.title', { deal: deal.title })}
      okText={t('billing.new.create')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'invoice-create' } as never}
      destroyOnHidden
    >
      <Form<NewValues>
        form={form}
        layout="vertical"
        initialValues={{
          source: 'deal',
          issue_date: dayjs(dayIn(Date.now() + offset, timeZone)),
          due_date: null,
          payment_form: 'bank_transfer',
          vat_included: true,
          issue: true,
        }}
        onFinish={submit}
      >
        <Form.Item name="source" label={t('billing.new.source')}>
          <Radio.Group data-testid="invoice-source">
            <Radio value="deal">{t('billing.new.fromDeal')}</Radio>
            <Radio value="manual">{t('billing.new.manual')}</Radio>
          </Radio.Group>
        </Form.Item>
        {source === 'manual' && (
          <Flex vertical gap={8} style={{ marginBottom: 16 }} data-testid="invoice-lines-editor">
            {rows.map((r, i) => (
              <Flex key={i} gap={8} wrap align="center">
                <Input
                  data-testid="invoice-line-name"
                  style={{ flex: '3 1 200px' }}
                  placeholder={t('billing.lines.name')}
                  value={r.name}
                  maxLength={500}
                  onChange={(e) => setRow(i, { name: e.target.value })}
                />
                <Input
                  data-testid="invoice-line-quantity"
                  style={{ flex: '0 0 80px' }}
                  placeholder={t('billing.lines.quantity')}
                  value={r.quantity}
                  onChange={(e) => setRow(i, { quantity: e.target.value })}
                />
                <div style={{ flex: '1 1 140px' }}>
                  <MoneyInput
                    testId="invoice-line-price"
                    currency={deal.currency}
                    value={r.price}
                    onChange={(v) => setRow(i, { price: v })}
                  />
                </div>
                <InputNumber<number>
                  data-testid="invoice-line-discount"
                  style={{ flex: '0 0 90px' }}
                  min={0}
                  max={100}
                  precision={2}
                  suffix="%"
                  value={r.discount}
                  onChange={(v) => setRow(i, { discount: v })}
                />
                <Select<number | 'none'>
                  data-testid="invoice-line-vat"
                  style={{ flex: '0 0 120px' }}
                  value={r.vat}
                  onChange={(v) => setRow(i, { vat: v })}
                  options={VAT_RATES.map((v) => ({
                    value: v === null ? NO_VAT : v,
                    label:
                      v === null
                        ? t('billing.lines.noVat')
                        : `${t('billing.lines.vat')} ${v / 100} %`,
                  }))}
                />
                <Button
                  icon={<DeleteOutlined />}
                  disabled={rows.length === 1}
                  aria-label={t('billing.lines.remove')}
                  onClick={() => setRows((rs) => rs.filter((_, k) => k !== i))}
                />
              </Flex>
            ))}
            <Flex justify="space-between" align="center">
              <Button
                icon={<PlusOutlined />}
                data-testid="invoice-line-add"
                onClick={() =>
                  setRows((rs) => [
                    ...rs,
                    { name: '', quantity: '1', price: null, discount: 0, vat: 2200 },
                  ])
                }
              >
                {t('billing.lines.add')}
              </Button>
              <Typography.Text strong data-testid="invoice-lines-total">
                {t('billing.lines.total', {
                  amount: formatMoney(preview, deal.currency, i18n.language),
                })}
              </Typography.Text>
            </Flex>
          </Flex>
        )}
        {linesError && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={linesError}
            data-testid="invoice-lines-error"
          />
        )}
        <Flex gap={12} wrap>
          <Form.Item
            name="issue_date"
            label={t('billing.field.issue_date')}
            style={{ flex: '1 1 160px' }}
          >
            <DatePicker
              data-testid="invoice-issue-date"
              style={{ width: '100%' }}
              format="DD.MM.YYYY"
              allowClear={false}
            />
          </Form.Item>
          <Form.Item
            name="due_date"
            label={t('billing.field.due_date')}
            style={{ flex: '1 1 160px' }}
            tooltip={t('billing.new.dueHint')}
          >
            <DatePicker data-testid="invoice-due" style={{ width: '100%' }} format="DD.MM.YYYY" />
          </Form.Item>
          <Form.Item
            name="payment_form"
            label={t('billing.field.payment_form')}
            style={{ flex: '1 1 200px' }}
          >
            <Select
              data-testid="invoice-payment-form"
              options={PAYMENT_FORMS.map((f) => ({ value: f, label: t(`billing.form.${f}`) }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item name="note" label={t('billing.field.note')}>
          <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} />
        </Form.Item>
        <Space wrap>
          <Form.Item name="vat_included" valuePropName="checked" noStyle>
            <Checkbox>{t('billing.field.vat_included')}</Checkbox>
          </Form.Item>
          <Form.Item name="issue" valuePropName="checked" noStyle>
            <Checkbox data-testid="invoice-issue-now">{t('billing.new.issueNow')}</Checkbox>
          </Form.Item>
        </Space>
      </Form>
    </Modal>
  );
}

/** The deal's invoices in its card: status, what is owed and by when; a new one from the deal. */
export function DealInvoices({ deal }: { deal: InvoicesDeal }) {
  const { t, i18n } = useTranslation();
  const access = useBillingAccess();
  const invoices = useInvoices({ deal_id: deal.id }, access.canRead);
  const [creating, setCreating] = useState(false);
  if (!access.loading && !access.canRead) return null;

  const columns: ColumnsType<Invoice> = [
    ...invoiceColumns(t, i18n.language, {
      link: 'deal-invoice-link',
      status: 'deal-invoice-status',
    }),
    {
      key: 'pdf',
      render: (_, inv) => (
        <Button
          size="small"
          type="link"
          icon={<FilePdfOutlined />}
          href={invoicePdfUrl(inv.id)}
          target="_blank"
          rel="noopener"
          aria-label={t('billing.pdf')}
        />
      ),
    },
  ];

  return (
    <div data-testid="deal-invoices">
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('billing.dealSection')}
        </Typography.Title>
        {access.canInvoice && deal.deleted_at === null && deal.status !== 'lost' && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            data-testid="deal-invoice-new"
            onClick={() => setCreating(true)}
          >
            {t('billing.new.button')}
          </Button>
        )}
      </Flex>
      {invoices.isError && (
        <Alert type="error" showIcon message={errorMessage(invoices.error, t)} />
      )}
      <Table<Invoice>
        rowKey="id"
        size="small"
        pagination={false}
        loading={invoices.isPending && access.canRead}
        columns={columns}
        dataSource={invoices.data?.items ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t('billing.dealEmpty')} /> }}
      />
      {creating && <NewInvoiceModal deal={deal} onClose={() => setCreating(false)} />}
    </div>
  );
}
