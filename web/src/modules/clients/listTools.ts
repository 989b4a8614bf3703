import type { ViewDefinition } from './clientsApi';

/** Filters without empty values, keys sorted, so two equal filter sets compare and cache alike. */
export function cleanFilters(
  filters: Record<string, string | undefined | null>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(filters).sort()) {
    const value = filters[key]?.trim();
    if (value) out[key] = value;
  }
  return out;
}

/**
 * The columns to show, in the table's own order: the chosen ones (or the defaults when nothing was
 * chosen) plus the columns that cannot be hidden. Unknown names from an old saved view are ignored.
 */
export function visibleColumns(
  all: readonly string[],
  chosen: readonly string[] | undefined,
  defaults: readonly string[],
  fixed: readonly string[] = [],
): string[] {
  const wanted = new Set([...(chosen && chosen.length > 0 ? chosen : defaults), ...fixed]);
  return all.filter((c) => wanted.has(c));
}

/** Whether the list's current state is exactly what a saved view stores. */
export function matchesView(
  view: ViewDefinition,
  filters: Record<string, string>,
  columns: readonly string[],
): boolean {
  const a = cleanFilters(view.filters ?? {});
  const b = cleanFilters(filters);
  const sameFilters = JSON.stringify(a) === JSON.stringify(b);
  const sameColumns = [...(view.columns ?? [])].sort().join() === [...columns].sort().join();
  return sameFilters && sameColumns;
}

/** The definition to store for the list's current state. */
export function viewDefinition(
  filters: Record<string, string | undefined>,
  columns: readonly string[],
  sort?: string,
): ViewDefinition {
  const definition: ViewDefinition = { filters: cleanFilters(filters), columns: [...columns] };
  if (sort) definition.sort = sort;
  return definition;
}
