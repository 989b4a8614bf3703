import { useMemo } from 'react';
import { flattenTree, type FlatDepartment, type PlacedMember } from './org';
import { useOrgTree } from './orgApi';

/** The org tree as the screens use it: flat departments and people by user id. */
export function useOrgData(includeArchived: boolean) {
  const tree = useOrgTree(includeArchived);
  const flat = useMemo(() => flattenTree(tree.data?.roots ?? []), [tree.data]);
  return { tree, departments: flat.departments, members: flat.members };
}

export type { FlatDepartment, PlacedMember };

/** Select options for people, sorted by name. */
export function peopleOptions(
  members: Map<number, PlacedMember>,
  language: string,
  exclude?: number,
): { value: number; label: string }[] {
  const collator = new Intl.Collator(language);
  return [...members.values()]
    .filter((m) => m.user_id !== exclude)
    .sort((a, b) => collator.compare(a.full_name, b.full_name))
    .map((m) => ({ value: m.user_id, label: m.full_name }));
}
