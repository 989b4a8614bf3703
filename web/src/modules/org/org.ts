import type { FormInstance } from 'antd';
import { isApiError, type FieldError } from '../../api';
import type { KpiCode, OrgMember, OrgNode, Permissions, Role } from './orgApi';

/** A department of the org tree without its children, plus where it sits. */
export type FlatDepartment = Omit<OrgNode, 'children'> & { archived: boolean; depth: number };

/** A member with the department they belong to. */
export type PlacedMember = OrgMember & { department_id: number };

/** The nested tree as a flat list (parents before children) and an index of people by user id. */
export function flattenTree(roots: readonly OrgNode[]): {
  departments: FlatDepartment[];
  members: Map<number, PlacedMember>;
} {
  const departments: FlatDepartment[] = [];
  const members = new Map<number, PlacedMember>();
  const walk = (nodes: readonly OrgNode[], depth: number) => {
    for (const { children, ...node } of nodes) {
      departments.push({ ...node, archived: node.archived_at !== null, depth });
      for (const m of node.members) members.set(m.user_id, { ...m, department_id: node.id });
      walk(children ?? [], depth + 1);
    }
  };
  walk(roots, 0);
  return { departments, members };
}

export function roleName(role: Pick<Role, 'name_ru' | 'name_en'>, language: string): string {
  return language === 'en' ? role.name_en || role.name_ru : role.name_ru || role.name_en;
}

/** Duties as separate lines (the catalog stores them as text, one duty per line). */
export function roleDuties(
  role: Pick<Role, 'duties_ru' | 'duties_en'>,
  language: string,
): string[] {
  const text =
    language === 'en' ? role.duties_en || role.duties_ru : role.duties_ru || role.duties_en;
  return text
    .split('\n')
    .map((line) => line.replace(/^\s*[-•*]\s*/, '').trim())
    .filter(Boolean);
}

export const ACTIONS = ['create', 'read', 'update', 'delete', 'export', 'assign'] as const;
export type Action = (typeof ACTIONS)[number];

/** Object types the catalog knows, in the order the UI lists them; unknown ones follow by name. */
export const OBJECT_TYPES = [
  'lead',
  'client',
  'deal',
  'activity',
  'task',
  'plan',
  'report',
  'ticket',
  'employee',
  'department',
  'role',
  'absence',
  'calendar',
] as const;

function objectOrder(type: string): number {
  const i = (OBJECT_TYPES as readonly string[]).indexOf(type);
  return i < 0 ? OBJECT_TYPES.length : i;
}

/** The rights of a role per object type, actions in a fixed order, empty grants left out. */
export function permissionRows(
  permissions: Permissions | undefined,
): { objectType: string; actions: Action[] }[] {
  return Object.entries(permissions ?? {})
    .map(([objectType, actions]) => ({
      objectType,
      actions: ACTIONS.filter((a) => (actions as string[] | undefined)?.includes(a)),
    }))
    .filter((row) => row.actions.length > 0)
    .sort(
      (a, b) =>
        objectOrder(a.objectType) - objectOrder(b.objectType) ||
        a.objectType.localeCompare(b.objectType),
    );
}

/** Every object type worth offering in the rights editor: the known ones and any the roles use. */
export function objectTypesOf(roles: readonly Pick<Role, 'permissions'>[]): string[] {
  const all = new Set<string>(OBJECT_TYPES);
  for (const role of roles) for (const type of Object.keys(role.permissions ?? {})) all.add(type);
  return [...all].sort((a, b) => objectOrder(a) - objectOrder(b) || a.localeCompare(b));
}

/** Drops object types without actions so the server gets a tidy permission set. */
export function compactPermissions(
  value: Record<string, readonly string[] | undefined>,
): Permissions {
  const out: Permissions = {};
  for (const [type, actions] of Object.entries(value)) {
    const kept = ACTIONS.filter((a) => actions?.includes(a));
    if (kept.length > 0) out[type] = kept;
  }
  return out;
}

export const LEVELS = ['L1', 'L2', 'L3', 'L4'] as const;

/** Roles by level (L1 first, roles without a level last), then by name in the UI language. */
export function sortRoles<T extends Role>(roles: readonly T[], language: string): T[] {
  const rank = (r: Role) => (r.level ? LEVELS.indexOf(r.level as (typeof LEVELS)[number]) : 9);
  const collator = new Intl.Collator(language);
  return [...roles].sort(
    (a, b) => rank(a) - rank(b) || collator.compare(roleName(a, language), roleName(b, language)),
  );
}

/**
 * Matches the server's field errors to form fields. A server field like `user/email` (or
 * `user.email`) becomes the path ['user', 'email']; `aliases` renames fields the form holds differently (both dates of an
 * absence live in one range picker). Errors for fields the form lacks are returned apart.
 */
export function matchFieldErrors(
  errors: readonly FieldError[],
  knownFields: readonly string[],
  aliases: Record<string, string> = {},
): { fields: { name: string[]; errors: string[] }[]; rest: FieldError[] } {
  const known = new Set(knownFields);
  const byField = new Map<string, string[]>();
  const rest: FieldError[] = [];
  for (const error of errors) {
    const path = error.field.replace(/\//g, '.');
    const field = aliases[path] ?? path;
    if (!known.has(field)) {
      rest.push(error);
      continue;
    }
    const list = byField.get(field) ?? [];
    if (!list.includes(error.message)) list.push(error.message);
    byField.set(field, list);
  }
  return {
    fields: [...byField].map(([field, messages]) => ({
      name: field.split('.'),
      errors: messages,
    })),
    rest,
  };
}

/** Puts the server's field errors under the form fields; true when at least one was shown. */
export function showFieldErrors<T>(
  form: FormInstance<T>,
  error: unknown,
  knownFields: readonly string[],
  aliases: Record<string, string> = {},
): boolean {
  if (!isApiError(error)) return false;
  const { fields } = matchFieldErrors(error.errors, knownFields, aliases);
  if (fields.length === 0) return false;
  form.setFields(fields as never);
  return true;
}

/** KPI codes the catalog offers, in the order the editor lists them. */
export const KPI_CODES: readonly KpiCode[] = [
  'calls_per_day',
  'meetings_per_week',
  'leads_taken',
  'lead_to_deal_conversion',
  'stage_conversion',
  'deals_won',
  'average_deal_size',
  'time_to_close',
  'rejections',
  'retention_rate',
  'first_response_time',
  'sla_breach_rate',
  'call_review_score',
  'overdue_share',
];
