import { describe, expect, it } from 'vitest';
import type { RoutingRule } from './routingApi';
import { conditionParts, formToInput, moveId, newRule, ruleFieldPath, ruleToForm } from './rules';

const RULE: RoutingRule = {
  id: 2,
  position: 2,
  name: 'Сайт, почта и мессенджеры — ответить за час',
  active: true,
  when: { channels: ['form', 'email'], min_priority: 40, custom: { city: 'Тверь' } },
  department_id: 2,
  include_subdepartments: true,
  members: [],
  strategy: 'round_robin',
  sla_minutes: 60,
  assign_off_shift: false,
  max_open_per_person: null,
  escalate_after: 2,
  head_user_id: null,
};

describe('rule form values', () => {
  it('round-trips a department rule', () => {
    const values = ruleToForm(RULE);
    expect(values.pool).toBe('department');
    expect(values.when.client_type).toBe('any');
    expect(values.when.custom).toEqual([{ code: 'city', value: 'Тверь' }]);
    expect(formToInput(values)).toEqual({
      name: RULE.name,
      active: true,
      when: { channels: ['form', 'email'], min_priority: 40, custom: { city: 'Тверь' } },
      department_id: 2,
      include_subdepartments: true,
      members: [],
      strategy: 'round_robin',
      sla_minutes: 60,
      assign_off_shift: false,
      max_open_per_person: null,
      escalate_after: 2,
      head_user_id: null,
    });
  });

  it('treats a rule with people as a people pool and sends weights only when weighted', () => {
    const rule = { ...RULE, members: [{ user_id: 3, weight: 2 }, { user_id: 6 }] };
    const values = ruleToForm({ ...rule, strategy: 'weighted' });
    expect(values.pool).toBe('people');
    expect(formToInput(values).members).toEqual([{ user_id: 3, weight: 2 }, { user_id: 6 }]);
    expect(formToInput(values).department_id).toBeNull();
    expect(formToInput({ ...values, strategy: 'round_robin' }).members).toEqual([
      { user_id: 3 },
      { user_id: 6 },
    ]);
  });

  it('leaves out empty conditions, blank lines and people not yet chosen', () => {
    const values = newRule();
    values.name = '  Тверь  ';
    values.when.regions = [' ', 'Тверь '];
    values.when.client_type = 'known';
    values.when.custom = [{ code: ' ', value: 'x' }];
    values.pool = 'people';
    values.members = [{ user_id: 3 }, {}];
    values.department_id = 5;
    const input = formToInput(values);
    expect(input.name).toBe('Тверь');
    expect(input.when).toEqual({ regions: ['Тверь'], client_type: 'known' });
    expect(input.members).toEqual([{ user_id: 3 }]);
    expect(input.department_id).toBeNull();
  });

  it('starts a new rule active, round-robin, with an hour to answer', () => {
    expect(ruleToForm(null)).toMatchObject({
      active: true,
      strategy: 'round_robin',
      sla_minutes: 60,
      pool: 'department',
    });
    // Each call gives its own lists.
    const a = newRule();
    a.when.channels.push('form');
    expect(newRule().when.channels).toEqual([]);
  });
});

describe('ruleFieldPath', () => {
  it('puts list item errors under the list and member errors under the row', () => {
    expect(ruleFieldPath('when/channels/2', 'department')).toEqual(['when', 'channels']);
    expect(ruleFieldPath('when/max_priority', 'department')).toEqual(['when', 'max_priority']);
    expect(ruleFieldPath('members/1/weight', 'people')).toEqual(['members', 1, 'weight']);
    expect(ruleFieldPath('sla_minutes', 'people')).toEqual(['sla_minutes']);
  });

  it('shows an empty pool under the department, or nowhere for a people pool', () => {
    expect(ruleFieldPath('pool', 'department')).toEqual(['department_id']);
    expect(ruleFieldPath('pool', 'people')).toBeNull();
    expect(ruleFieldPath('members/0/user_id', 'department')).toBeNull();
    expect(ruleFieldPath('when/custom', 'department')).toBeNull();
    expect(ruleFieldPath('rules', 'department')).toBeNull();
  });
});

describe('moveId', () => {
  it('moves one id and keeps the rest in order', () => {
    expect(moveId([1, 2, 3, 4], 0, 2)).toEqual([2, 3, 1, 4]);
    expect(moveId([1, 2, 3, 4], 3, 0)).toEqual([4, 1, 2, 3]);
    expect(moveId([1, 2], 1, 5)).toEqual([1, 2]);
  });
});

describe('conditionParts', () => {
  it('lists the conditions that are set', () => {
    expect(conditionParts(RULE.when)).toEqual([
      { key: 'channels', values: ['form', 'email'] },
      { key: 'priority', values: ['40–100'] },
      { key: 'custom', values: ['city = Тверь'] },
    ]);
    expect(conditionParts({})).toEqual([]);
  });
});
