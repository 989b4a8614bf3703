import type {
  RoutingConditions,
  RoutingRule,
  RoutingRuleInput,
  RoutingStrategy,
} from './routingApi';

/** Who takes leads of a rule: everyone of a department, or a list of people (with weights). */
export type PoolKind = 'department' | 'people';

/** The rule form's values: the API's shape, with lists never missing and the pool made explicit. */
export interface RuleFormValues {
  name: string;
  active: boolean;
  when: {
    channels: NonNullable<RoutingConditions['channels']>;
    form_ids: number[];
    regions: string[];
    products: string[];
    client_type: 'any' | 'new' | 'known';
    min_priority?: number | null;
    max_priority?: number | null;
    custom: { code?: string; value?: string }[];
  };
  pool: PoolKind;
  department_id?: number | null;
  include_subdepartments: boolean;
  members: { user_id?: number; weight?: number | null }[];
  strategy: RoutingStrategy;
  sla_minutes: number;
  assign_off_shift: boolean;
  max_open_per_person?: number | null;
  escalate_after: number;
  head_user_id?: number | null;
}

/** What a new rule starts with: a department's people in turn, an hour to answer, two chances. */
export const newRule = (): RuleFormValues => ({
  name: '',
  active: true,
  when: {
    channels: [],
    form_ids: [],
    regions: [],
    products: [],
    client_type: 'any',
    min_priority: null,
    max_priority: null,
    custom: [],
  },
  pool: 'department',
  department_id: null,
  include_subdepartments: true,
  members: [],
  strategy: 'round_robin',
  sla_minutes: 60,
  assign_off_shift: false,
  max_open_per_person: null,
  escalate_after: 2,
  head_user_id: null,
});

export function ruleToForm(rule: RoutingRule | null): RuleFormValues {
  if (!rule) return newRule();
  const w = rule.when ?? {};
  return {
    name: rule.name,
    active: rule.active,
    when: {
      channels: w.channels ?? [],
      form_ids: w.form_ids ?? [],
      regions: w.regions ?? [],
      products: w.products ?? [],
      client_type: w.client_type ?? 'any',
      min_priority: w.min_priority ?? null,
      max_priority: w.max_priority ?? null,
      custom: Object.entries(w.custom ?? {}).map(([code, value]) => ({ code, value })),
    },
    // An explicit list wins over the department on the server, so it decides the kind here too.
    pool: rule.members.length > 0 ? 'people' : 'department',
    department_id: rule.department_id,
    include_subdepartments: rule.include_subdepartments,
    members: rule.members.map((m) => ({ user_id: m.user_id, weight: m.weight ?? null })),
    strategy: rule.strategy,
    sla_minutes: rule.sla_minutes,
    assign_off_shift: rule.assign_off_shift,
    max_open_per_person: rule.max_open_per_person,
    escalate_after: rule.escalate_after,
    head_user_id: rule.head_user_id,
  };
}

const trimmed = (list: readonly string[]) => list.map((s) => s.trim()).filter(Boolean);

/** The body for POST/PUT: empty conditions left out, only the chosen kind of pool sent. */
export function formToInput(v: RuleFormValues): RoutingRuleInput {
  const when: RoutingConditions = {};
  if (v.when.channels.length) when.channels = v.when.channels;
  if (v.when.form_ids.length) when.form_ids = v.when.form_ids;
  if (trimmed(v.when.regions).length) when.regions = trimmed(v.when.regions);
  if (trimmed(v.when.products).length) when.products = trimmed(v.when.products);
  if (v.when.client_type !== 'any') when.client_type = v.when.client_type;
  if (v.when.min_priority != null) when.min_priority = v.when.min_priority;
  if (v.when.max_priority != null) when.max_priority = v.when.max_priority;
  const custom = Object.fromEntries(
    v.when.custom
      .filter((c) => c.code?.trim())
      .map((c) => [c.code!.trim(), (c.value ?? '').trim()]),
  );
  if (Object.keys(custom).length) when.custom = custom;

  const people = v.pool === 'people';
  return {
    name: v.name.trim(),
    active: v.active,
    when,
    department_id: people ? null : (v.department_id ?? null),
    include_subdepartments: v.include_subdepartments,
    members: people
      ? v.members
          .filter((m) => m.user_id != null)
          .map((m) => ({
            user_id: m.user_id!,
            ...(v.strategy === 'weighted' && m.weight != null ? { weight: m.weight } : {}),
          }))
      : [],
    strategy: v.strategy,
    sla_minutes: v.sla_minutes,
    assign_off_shift: v.assign_off_shift,
    max_open_per_person: v.max_open_per_person ?? null,
    escalate_after: v.escalate_after,
    head_user_id: v.head_user_id ?? null,
  };
}

/** Fields of the rule form the server's field errors can land on (list items by index). */
const FORM_FIELDS = new Set([
  'name',
  'when.channels',
  'when.form_ids',
  'when.regions',
  'when.products',
  'when.client_type',
  'when.min_priority',
  'when.max_priority',
  'department_id',
  'strategy',
  'sla_minutes',
  'max_open_per_person',
  'escalate_after',
  'head_user_id',
]);

/**
 * Where a server field error ("when/channels/2", "members/0/weight", "pool") goes in the form;
 * null when no field shows it (the form lists it above the buttons instead).
 */
export function ruleFieldPath(serverField: string, pool: PoolKind): (string | number)[] | null {
  const parts = serverField.split(/[/.]/).filter(Boolean);
  if (parts[0] === 'pool') return pool === 'department' ? ['department_id'] : null;
  if (parts[0] === 'members' && parts.length === 3 && /^\d+$/.test(parts[1]))
    return pool === 'people' && (parts[2] === 'user_id' || parts[2] === 'weight')
      ? ['members', Number(parts[1]), parts[2]]
      : null;
  // An error on one channel or region belongs under the whole list.
  const head = parts[0] === 'when' ? parts.slice(0, 2) : parts.slice(0, 1);
  return FORM_FIELDS.has(head.join('.')) ? head : null;
}

/** The ids in a new order after moving the item at `from` to `to`. */
export function moveId(ids: readonly number[], from: number, to: number): number[] {
  const next = [...ids];
  if (from < 0 || from >= next.length || to < 0 || to >= next.length) return next;
  const [moved] = next.splice(from, 1);
  next.splice(to, 0, moved);
  return next;
}

/** A rule's conditions in a few words each, for the list ("Канал: Сайт, Почта"). */
export interface ConditionPart {
  key: 'channels' | 'form_ids' | 'regions' | 'products' | 'client_type' | 'priority' | 'custom';
  values: string[];
}

export function conditionParts(when: RoutingConditions | undefined): ConditionPart[] {
  const w = when ?? {};
  const out: ConditionPart[] = [];
  if (w.channels?.length) out.push({ key: 'channels', values: w.channels });
  if (w.form_ids?.length) out.push({ key: 'form_ids', values: w.form_ids.map(String) });
  if (w.regions?.length) out.push({ key: 'regions', values: w.regions });
  if (w.products?.length) out.push({ key: 'products', values: w.products });
  if (w.client_type) out.push({ key: 'client_type', values: [w.client_type] });
  if (w.min_priority != null || w.max_priority != null)
    out.push({ key: 'priority', values: [`${w.min_priority ?? 0}–${w.max_priority ?? 100}`] });
  const custom = Object.entries(w.custom ?? {});
  if (custom.length) out.push({ key: 'custom', values: custom.map(([k, v]) => `${k} = ${v}`) });
  return out;
}
