import { Button, Flex, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ApartmentOutlined, EditOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { formatPlanValue } from './format';
import PaceBar from './PaceBar';
import type { PeriodKind, PlanFactLine, PlanFactRow, PlanMetric, PlanVsFact } from './plansApi';

export interface PlanVsFactTableProps {
  data: PlanVsFact;
  metric: PlanMetric;
  /** Shows the edit / split buttons on rows the caller may set plans for. */
  onEdit?: (row: PlanFactRow, line: PlanFactLine) => void;
  onSplit?: (row: PlanFactRow, line: PlanFactLine) => void;
  compact?: boolean;
}

/** Plan vs fact of one metric along the tree: plan (or the Σ of the plans below), fact, pace bar. */
export default function PlanVsFactTable({
  data,
  metric,
  onEdit,
  onSplit,
  compact,
}: PlanVsFactTableProps) {
  const { t, i18n } = useTranslation();
  const lineOf = (row: PlanFactRow) => row.lines.find((l) => l.metric === metric);
  const columns: ColumnsType<PlanFactRow> = [
    {
      key: 'name',
      title: t('plans.col.subject'),
      render: (_, row) => (
        <Space style={{ paddingLeft: row.depth * 20 }}>
          {row.kind === 'department' ? <ApartmentOutlined /> : <UserOutlined />}
          <Typography.Text strong={row.kind === 'department'}>{row.name}</Typography.Text>
        </Space>
      ),
    },
    {
      key: 'plan',
      title: t('plans.col.plan'),
      align: 'right',
      render: (_, row) => {
        const l = lineOf(row);
        if (!l) return '—';
        if (l.target != null)
          return (
            <Flex vertical align="end">
              <span data-testid={`plan-target-${row.kind}-${row.id}`}>
                {formatPlanValue(l.target, metric, i18n.language)}
              </span>
              {row.kind === 'department' &&
                l.children_target > 0 &&
                l.children_target !== l.target && (
                  <Typography.Text type="warning" style={{ fontSize: 12 }}>
                    {t('plans.belowSum', {
                      sum: formatPlanValue(l.children_target, metric, i18n.language),
                    })}
                  </Typography.Text>
                )}
            </Flex>
          );
        if (l.children_target > 0)
          return (
            <Typography.Text type="secondary">
              Σ {formatPlanValue(l.children_target, metric, i18n.language)}
            </Typography.Text>
          );
        return '—';
      },
    },
    {
      key: 'fact',
      title: t('plans.col.fact'),
      align: 'right',
      render: (_, row) => (
        <span data-testid={`plan-fact-${row.kind}-${row.id}`}>
          {formatPlanValue(lineOf(row)?.fact ?? 0, metric, i18n.language)}
        </span>
      ),
    },
    {
      key: 'pace',
      title: t('plans.col.pace'),
      render: (_, row) => {
        const l = lineOf(row);
        return (
          <PaceBar
            shareBp={l?.share_bp}
            projectedBp={l?.projected_bp}
            period={data.period.kind as PeriodKind}
            finished={data.pace.finished}
            testId={`pace-${row.kind}-${row.id}`}
          />
        );
      },
    },
  ];
  if (!compact && (onEdit || onSplit))
    columns.push({
      key: 'actions',
      title: '',
      render: (_, row) => {
        const l = lineOf(row);
        if (!row.can_edit || !l) return null;
        return (
          <Space>
            {onEdit && (
              <Button
                size="small"
                icon={<EditOutlined />}
                onClick={() => onEdit(row, l)}
                data-testid={`plan-edit-${row.kind}-${row.id}`}
              >
                {t('plans.setPlan')}
              </Button>
            )}
            {onSplit && row.kind === 'department' && l.plan_id != null && (
              <Button
                size="small"
                onClick={() => onSplit(row, l)}
                data-testid={`plan-split-${row.id}`}
              >
                {t('plans.split')}
              </Button>
            )}
          </Space>
        );
      },
    });
  return (
    <Table
      rowKey={(r) => `${r.kind}-${r.id}`}
      columns={columns}
      dataSource={data.rows}
      pagination={false}
      size={compact ? 'small' : 'middle'}
      data-testid="plan-vs-fact-table"
    />
  );
}
