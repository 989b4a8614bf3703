import { Button, DatePicker, Flex, Select, Space } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../api';
import { usePipelines } from '../deals/dealsApi';
import { useProducts } from '../catalog/catalogApi';
import { exportUrl, type ReportFilters, type ReportKey } from './reportsApi';

type Department = Schemas['Department'];
type Person = Schemas['Employee'];

const CHANNELS = ['form', 'email', 'phone', 'telegram', 'webhook', 'manual', 'import', 'none'];

/** The filters every report takes — period, pipeline, department, person, channel, product, grouping — and export. */
export default function ReportFiltersBar({
  report,
  value,
  onChange,
  groupings,
  canExport,
}: {
  report: ReportKey;
  value: ReportFilters;
  onChange: (f: ReportFilters) => void;
  groupings: string[];
  canExport: boolean;
}) {
  const { t } = useTranslation();
  const pipelines = usePipelines();
  const products = useProducts();
  const departments = useQuery({
    queryKey: ['reports', 'departments'],
    queryFn: () => api.request<{ items: Department[] }>('/api/v1/departments'),
  });
  const people = useQuery({
    queryKey: ['reports', 'people'],
    queryFn: () => api.request<{ items: Person[] }>('/api/v1/employees', { query: { limit: 200 } }),
  });
  const set = (patch: Partial<ReportFilters>) => onChange({ ...value, ...patch });
  const range: [dayjs.Dayjs, dayjs.Dayjs] | null =
    value.from && value.to ? [dayjs(value.from), dayjs(value.to)] : null;
  return (
    <Flex wrap gap={8} style={{ marginBottom: 16 }} data-testid="report-filters">
      <DatePicker.RangePicker
        value={range}
        onChange={(r) =>
          set(
            r && r[0] && r[1]
              ? {
                  from: r[0].format('YYYY-MM-DD'),
                  to: r[1].format('YYYY-MM-DD'),
                  period: undefined,
                }
              : { from: undefined, to: undefined, period: 'month' },
          )
        }
      />
      <Select
        style={{ minWidth: 160 }}
        allowClear
        placeholder={t('reports.filter.pipeline')}
        value={value.pipeline_id}
        onChange={(v) => set({ pipeline_id: v })}
        options={(pipelines.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
      />
      <Select
        style={{ minWidth: 160 }}
        allowClear
        placeholder={t('reports.filter.department')}
        value={value.department_id}
        onChange={(v) => set({ department_id: v })}
        options={(departments.data?.items ?? []).map((d) => ({ value: d.id, label: d.name }))}
      />
      <Select
        style={{ minWidth: 160 }}
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder={t('reports.filter.person')}
        value={value.owner}
        onChange={(v) => set({ owner: v })}
        options={[
          { value: 'me', label: t('reports.filter.me') },
          ...(people.data?.items ?? []).map((p) => ({
            value: String(p.user_id),
            label: p.full_name,
          })),
        ]}
      />
      <Select
        style={{ minWidth: 150 }}
        allowClear
        placeholder={t('reports.filter.channel')}
        value={value.channel}
        onChange={(v) => set({ channel: v })}
        options={CHANNELS.map((c) => ({ value: c, label: t(`reports.channel.${c}`) }))}
      />
      <Select
        style={{ minWidth: 160 }}
        allowClear
        showSearch
        optionFilterProp="label"
        placeholder={t('reports.filter.product')}
        value={value.product_id}
        onChange={(v) => set({ product_id: v })}
        options={(products.data?.items ?? []).map((p) => ({ value: p.id, label: p.name }))}
      />
      {groupings.length > 0 && (
        <Select
          style={{ minWidth: 150 }}
          allowClear
          placeholder={t('reports.filter.by')}
          value={value.by}
          onChange={(v) => set({ by: v })}
          options={groupings.map((g) => ({ value: g, label: t(`reports.by.${g}`) }))}
          data-testid="report-by"
        />
      )}
      {canExport && (
        <Space>
          <Button
            icon={<DownloadOutlined />}
            href={exportUrl(report, value, 'csv')}
            data-testid="export-csv"
          >
            CSV
          </Button>
          <Button
            icon={<DownloadOutlined />}
            href={exportUrl(report, value, 'xlsx')}
            data-testid="export-xlsx"
          >
            XLSX
          </Button>
        </Space>
      )}
    </Flex>
  );
}
