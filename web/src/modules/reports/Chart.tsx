import ReactECharts from 'echarts-for-react';
import type { EChartsOption } from 'echarts';

/** A bar chart over named categories; a click on a bar calls `onPick` with its index. */
export function BarChart({
  categories,
  series,
  onPick,
  height = 280,
  horizontal = false,
  testId,
}: {
  categories: string[];
  series: { name: string; data: number[] }[];
  onPick?: (index: number, seriesIndex: number) => void;
  height?: number;
  horizontal?: boolean;
  testId?: string;
}) {
  const category = {
    type: 'category' as const,
    data: categories,
    axisLabel: { interval: 0, width: 110, overflow: 'truncate' as const },
  };
  const value = { type: 'value' as const };
  const option: EChartsOption = {
    tooltip: { trigger: 'axis' },
    legend: series.length > 1 ? { top: 0 } : undefined,
    grid: { left: horizontal ? 120 : 48, right: 16, top: series.length > 1 ? 32 : 16, bottom: 32 },
    xAxis: horizontal ? value : category,
    yAxis: horizontal ? { ...category, inverse: true } : value,
    series: series.map((s) => ({
      type: 'bar',
      name: s.name,
      data: s.data,
      cursor: onPick ? 'pointer' : 'default',
    })),
  };
  return (
    <div data-testid={testId}>
      <ReactECharts
        option={option}
        style={{ height }}
        notMerge
        onEvents={
          onPick
            ? {
                click: (p: { dataIndex: number; seriesIndex: number }) =>
                  onPick(p.dataIndex, p.seriesIndex),
              }
            : undefined
        }
      />
    </div>
  );
}
