import type { PlanFactRow } from './plansApi';

/** The people placed in a department's subtree, as the plan vs fact rows list them. */
export function peopleUnder(rows: readonly PlanFactRow[], dept: PlanFactRow): PlanFactRow[] {
  const start = rows.findIndex((r) => r.kind === dept.kind && r.id === dept.id);
  if (start < 0) return [];
  const out: PlanFactRow[] = [];
  for (let i = start + 1; i < rows.length && rows[i].depth > dept.depth; i++)
    if (rows[i].kind === 'person') out.push(rows[i]);
  return out;
}
