import { useState } from 'react';
import { Alert, App, Card, Flex, Table, Tag, Typography, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { InboxOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { formatMoney } from '../deals/money';
import {
  billingApi,
  useBankImports,
  useBillingMutation,
  type BankImport,
  type BankImportRow,
} from './billingApi';

const RESULT_COLOR: Record<BankImportRow['result'], string> = {
  matched: 'green',
  duplicate: 'default',
  unmatched: 'orange',
  rejected: 'red',
  invalid: 'red',
};

/** What one import did, row by row. */
export function ImportReport({ report }: { report: BankImport }) {
  const { t, i18n } = useTranslation();
  const columns: ColumnsType<BankImportRow> = [
    { key: 'line', title: t('billing.import.line'), dataIndex: 'line', width: 64 },
    { key: 'date', title: t('billing.import.date'), dataIndex: 'date' },
    {
      key: 'amount',
      title: t('billing.import.amount'),
      align: 'right',
      render: (_, r) => (r.amount_minor ? formatMoney(r.amount_minor, 'RUB', i18n.language) : '—'),
    },
    { key: 'inn', title: t('billing.field.inn'), dataIndex: 'payer_inn' },
    { key: 'purpose', title: t('billing.import.purpose'), dataIndex: 'purpose', ellipsis: true },
    {
      key: 'result',
      title: t('billing.import.result'),
      render: (_, r) => (
        <Flex vertical gap={2}>
          <Tag color={RESULT_COLOR[r.result]} data-testid="import-row-result">
            {t(`billing.import.results.${r.result}`)}
          </Tag>
          {r.reason && (
            <Typography.Text type="secondary">
              {t(`billing.import.reasons.${r.reason}`)}
            </Typography.Text>
          )}
          {r.matched_by && (
            <Typography.Text type="secondary">
              {t(`billing.import.by.${r.matched_by}`)}
            </Typography.Text>
          )}
          {r.errors.map((e) => (
            <Typography.Text key={e.field} type="danger">
              {t(`billing.import.fields.${e.field}`, { defaultValue: e.field })}
            </Typography.Text>
          ))}
        </Flex>
      ),
    },
    {
      key: 'invoice',
      title: t('billing.import.invoice'),
      render: (_, r) =>
        r.invoice_id ? (
          <Link to={`/billing/invoices/${r.invoice_id}`}>
            {r.invoice_number || `#${r.invoice_id}`}
          </Link>
        ) : (
          '—'
        ),
    },
  ];
  return (
    <Card
      size="small"
      data-testid="import-report"
      title={t('billing.import.reportTitle', {
        name: report.file_name || '—',
        at: formatDateTime(report.created_at, i18n.language),
      })}
    >
      <Typography.Paragraph data-testid="import-summary">
        {t('billing.import.summary', {
          rows: report.rows_total,
          matched: report.matched,
          duplicates: report.duplicates,
          unmatched: report.unmatched,
          rejected: report.rejected,
        })}
      </Typography.Paragraph>
      <Table<BankImportRow>
        rowKey={(r) => String(r.line)}
        size="small"
        pagination={false}
        columns={columns}
        dataSource={report.report ?? []}
        scroll={{ x: true }}
      />
    </Card>
  );
}

/** Выписка банка: upload the statement CSV, read what became of each row, look back at earlier imports. */
export default function BankImportPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [shown, setShown] = useState<BankImport | null>(null);
  const imports = useBankImports();
  const upload = useBillingMutation((file: File) => billingApi.uploadStatement(file), {
    onSuccess: (report) => {
      setShown(report);
      void message.success(t('billing.import.done', { matched: report.matched }));
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const open = useBillingMutation((id: number) => billingApi.bankImport(id), {
    onSuccess: setShown,
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  return (
    <Flex vertical gap={16} data-testid="bank-import-page">
      <Alert
        type="info"
        showIcon
        message={t('billing.import.formatTitle')}
        description={t('billing.import.format')}
      />
      <Upload.Dragger
        accept=".csv,text/csv"
        showUploadList={false}
        disabled={upload.isPending}
        beforeUpload={(file) => {
          upload.mutate(file);
          return false;
        }}
        data-testid="bank-import-upload"
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p className="ant-upload-text">{t('billing.import.drop')}</p>
      </Upload.Dragger>
      {shown && <ImportReport report={shown} />}
      <Card size="small" title={t('billing.import.history')}>
        {imports.isError && (
          <Alert type="error" showIcon message={errorMessage(imports.error, t)} />
        )}
        <Table<BankImport>
          rowKey="id"
          size="small"
          pagination={false}
          loading={imports.isPending}
          dataSource={imports.data?.items ?? []}
          columns={[
            {
              key: 'at',
              title: t('billing.import.at'),
              render: (_, b) => (
                <Typography.Link onClick={() => open.mutate(b.id)}>
                  {formatDateTime(b.created_at, i18n.language)}
                </Typography.Link>
              ),
            },
            { key: 'file', title: t('billing.import.file'), dataIndex: 'file_name' },
            { key: 'by', title: t('billing.import.by_person'), dataIndex: 'created_by_name' },
            {
              key: 'counts',
              title: t('billing.import.result'),
              render: (_, b) =>
                t('billing.import.summary', {
                  rows: b.rows_total,
                  matched: b.matched,
                  duplicates: b.duplicates,
                  unmatched: b.unmatched,
                  rejected: b.rejected,
                }),
            },
          ]}
        />
      </Card>
    </Flex>
  );
}
