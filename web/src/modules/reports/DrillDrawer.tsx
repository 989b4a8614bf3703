import { Alert, Drawer, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatMoney } from '../deals/money';
import {
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
            columns={data.kind === 'deals' ? dealColumns : activityColumns}
            dataSource={data.items}
            pagination={{ pageSize: 50, showSizeChanger: false }}
            data-testid="drill-table"
          />
        </>
      )}
    </Drawer>
  );
}
