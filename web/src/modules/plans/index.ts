/** What other rooms (the reports room's dashboards) reuse from the plans room. */
export { default as PaceBar } from './PaceBar';
export { default as PlanVsFactTable } from './PlanVsFactTable';
export { default as KpiTiles } from './KpiTiles';
export { formatBp, formatKpi, formatPlanValue, percentOf } from './format';
export { plansApi, useKpiCatalog, useKpis, usePlanVsFact, useGoals, PLANS_KEY } from './plansApi';
export type {
  KpiParams,
  KpiReport,
  KpiValue,
  KpiUnit,
  PlanFactLine,
  PlanFactRow,
  PlanMetric,
  PlanVsFact,
  PlanVsFactParams,
  PeriodKind,
} from './plansApi';
