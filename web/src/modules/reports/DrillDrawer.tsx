import { Alert, Drawer, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatMoney } from '../deals/money';
import {
  minutes,
  useDrilldown,
  type DrillCell,
  type ReportDrilldown,
  type ReportFilters,
  type ReportKey,
} from './reportsApi';

type Item = ReportDrilldown['items'][number];

/** The records behind one figure: the deals (or activities) whose count and sum are the figure. */
export default function DrillDrawer({
  report,
  filters,
  cell,
  onClose,
}: {
  report: ReportKey;
  filters: ReportFilters;
  cell: DrillCell | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const drill = useDrilldown(report, filters, cell);
  const lang = i18n.language;
  const when = (ms: number | null | undefined) =>
    ms ? new Date(ms).toLocaleDateString(lang === 'en' ? 'en-GB' : 'ru-RU') : '—';
  const whenTime = (ms: number | null | undefined) =>
    ms
      ? new Date(ms).toLocaleString(lang === 'en' ? 'en-GB' : 'ru-RU', {
          dateStyle: 'short',
          timeStyle: 'short',
        })
      : '—';
  const dealColumns: ColumnsType<Item> = [
    {
      key: 'title',
      title: t('reports.drill.deal'),
      render: (_, d) => (
        <Link to={`/deals/${d.id}`} data-testid={`drill-deal-${d.id}`}>
          {d.title}
        </Link>
      ),
    },
    { key: 'company', title: t('reports.drill.company'), dataIndex: 'company_name' },
    { key: 'stage', title: t('reports.drill.stage'), render: (_, d) => <Tag>{d.stage_name}</Tag> },
    { key: 'owner', title: t('reports.drill.owner'), dataIndex: 'owner_name' },
    {
      key: 'amount',
      title: t('reports.drill.amount'),
      align: 'right',
      render: (_, d) => formatMoney(d.amount_minor ?? 0, d.currency ?? 'RUB', lang),
    },
    { key: 'created', title: t('reports.drill.created'), render: (_, d) => when(d.created_at) },
    { key: 'closed', title: t('reports.drill.closed'), render: (_, d) => when(d.closed_at) },
  ];
  const activityColumns: ColumnsType<Item> = [
    { key: 'kind', title: t('reports.drill.kind'), render: (_, a) => t(`reports.kind.${a.kind}`) },
    { key: 'subject', title: t('reports.drill.subject'), dataIndex: 'subject' },
    { key: 'owner', title: t('reports.drill.owner'), dataIndex: 'owner_name' },
    { key: 'at', title: t('reports.drill.at'), render: (_, a) => when(a.at) },
    { key: 'done', title: t('reports.drill.done'), render: (_, a) => (a.done ? '✓' : '') },
  ];
  const paymentColumns: ColumnsType<Item> = [
    {
      key: 'deal',
      title: t('reports.drill.payment'),
      render: (_, p) => (
        <Link to={`/deals/${p.deal_id}`} data-testid={`drill-payment-${p.id}`}>
          {p.title}
        </Link>
      ),
    },
    { key: 'invoice', title: t('reports.drill.invoice'), dataIndex: 'invoice_number' },
    { key: 'owner', title: t('reports.drill.owner'), dataIndex: 'owner_name' },
    { key: 'paid', title: t('reports.drill.paidOn'), dataIndex: 'paid_on' },
    {
      key: 'amount',
      title: t('reports.drill.amount'),
      align: 'right',
      render: (_, p) => formatMoney(p.amount_minor ?? 0, p.currency ?? 'RUB', lang),
    },
  ];
  const responseColumns: ColumnsType<Item> = [
    {
      key: 'lead',
      title: t('reports.drill.lead'),
      render: (_, r) => (
        <Link to={`/leads?lead=${r.lead_id}`} data-testid={`drill-lead-${r.id}`}>
          {r.title}
        </Link>
      ),
    },
    { key: 'channel', title: t('reports.drill.channel'), dataIndex: 'channel' },
    { key: 'owner', title: t('reports.drill.owner'), dataIndex: 'owner_name' },
    { key: 'at', title: t('reports.drill.assigned'), render: (_, r) => whenTime(r.at) },
    {
      key: 'deadline',
      title: t('reports.drill.deadline'),
      render: (_, r) => whenTime(r.deadline_at),
    },
    {
      key: 'response',
      title: t('reports.drill.response'),
      align: 'right',
      render: (_, r) => minutes(r.response_ms),
    },
    {
      key: 'breached',
      title: t('reports.drill.breached'),
      render: (_, r) => (r.breached_at ? <Tag color="red">{t('reports.drill.breached')}</Tag> : ''),
    },
  ];
  const columnsOf = (kind: string) =>
    kind === 'deals'
      ? dealColumns
      : kind === 'payments'
        ? paymentColumns
        : kind === 'responses'
          ? responseColumns
          : activityColumns;
  const data = drill.data;
  return (
    <Drawer open={cell !== null} onClose={onClose} width={960} title={cell?.title} destroyOnClose>
      {drill.error && <Alert type="error" message={errorMessage(drill.error, t)} />}
      {data && (
        <>
          <Typography.Paragraph data-testid="drill-summary">
            {t('reports.drill.summary', {
              count: data.count,
              amount: formatMoney(data.amount_minor, 'RUB', lang),
            })}
          </Typography.Paragraph>
          {data.truncated && <Alert type="info" message={t('reports.drill.truncated')} />}
          <Table<Item>
            rowKey="id"
            size="small"
            loading={drill.isFetching}
            columns={columnsOf(data.kind)}
            dataSource={data.items}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            data-testid="drill-table"
          />
        </>
      )}
    </Drawer>
  );
}
