import type { TreeDataNode } from 'antd';

/** The fields of a department the tree needs. */
export interface TreeDepartment {
  id: number;
  parent_id: number | null;
  name: string;
  archived: boolean;
}

/** Children of every department (key null = the top level), each list sorted by name. */
export function childrenIndex<T extends TreeDepartment>(
  departments: readonly T[],
  locale = 'ru',
): Map<number | null, T[]> {
  const ids = new Set(departments.map((d) => d.id));
  const index = new Map<number | null, T[]>();
  for (const d of departments) {
    // A node whose parent is not in the list (archived and hidden, or not visible) shows at the top.
    const parent = d.parent_id !== null && ids.has(d.parent_id) ? d.parent_id : null;
    const list = index.get(parent) ?? [];
    list.push(d);
    index.set(parent, list);
  }
  const collator = new Intl.Collator(locale);
  for (const list of index.values()) list.sort((a, b) => collator.compare(a.name, b.name));
  return index;
}

/** Ant Design tree nodes for the departments; archived ones are left out unless asked for. */
export function buildTree<T extends TreeDepartment>(
  departments: readonly T[],
  options: {
    showArchived?: boolean;
    locale?: string;
    title?: (d: T) => TreeDataNode['title'];
  } = {},
): TreeDataNode[] {
  const visible = options.showArchived ? departments : departments.filter((d) => !d.archived);
  const index = childrenIndex(visible, options.locale);
  const seen = new Set<number>();
  const build = (parent: number | null): TreeDataNode[] =>
    (index.get(parent) ?? [])
      .filter((d) => !seen.has(d.id))
      .map((d) => {
        seen.add(d.id);
        const children = build(d.id);
        return {
          key: d.id,
          title: options.title ? options.title(d) : d.name,
          children,
          isLeaf: children.length === 0,
        };
      });
  return build(null);
}

/** Ids of the department and everything below it. */
export function subtreeIds(departments: readonly TreeDepartment[], rootId: number): Set<number> {
  const index = childrenIndex(departments);
  const out = new Set<number>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (out.has(id)) continue;
    out.add(id);
    for (const child of index.get(id) ?? []) stack.push(child.id);
  }
  return out;
}

/** Names from the top of the tree down to the department, for breadcrumbs. */
export function pathTo(departments: readonly TreeDepartment[], id: number): TreeDepartment[] {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const path: TreeDepartment[] = [];
  const seen = new Set<number>();
  let current = byId.get(id);
  while (current && !seen.has(current.id)) {
    seen.add(current.id);
    path.unshift(current);
    current = current.parent_id === null ? undefined : byId.get(current.parent_id);
  }
  return path;
}

/**
 * The new parent after an Ant Design tree drop: into the target node, or beside it (same parent
 * as the target). `undefined` when the drop changes nothing, so no request is sent.
 */
export function dropParent(
  departments: readonly TreeDepartment[],
  dragId: number,
  targetId: number,
  dropToGap: boolean,
): number | null | undefined {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const dragged = byId.get(dragId);
  const target = byId.get(targetId);
  if (!dragged || !target || dragId === targetId) return undefined;
  const parent = dropToGap ? target.parent_id : target.id;
  return parent === dragged.parent_id ? undefined : parent;
}
