import { describe, expect, it } from 'vitest';
import {
  compactPermissions,
  flattenTree,
  matchFieldErrors,
  objectTypesOf,
  permissionRows,
  roleDuties,
  roleName,
  sortRoles,
} from './org';
import type { OrgNode, Role } from './orgApi';

function node(id: number, parent: number | null, children: OrgNode[] = [], userIds: number[] = []) {
  return {
    id,
    name: `D${id}`,
    parent_id: parent,
    path: '/',
    division: { principle: 'none' },
    head_user_id: null,
    archived_at: id === 9 ? 1 : null,
    created_at: 0,
    updated_at: 0,
    members: userIds.map((u) => ({
      employee_id: u * 10,
      user_id: u,
      full_name: `U${u}`,
      role_id: 1,
      role_code: 'seller',
      position_title: '',
      is_head: false,
      absent_today: false,
    })),
    children,
  } as OrgNode;
}

function role(over: Partial<Role>): Role {
  return {
    id: 1,
    code: 'x',
    level: null,
    name_ru: 'Роль',
    name_en: 'Role',
    duties_ru: '',
    duties_en: '',
    kpis: [],
    permissions: {},
    scope: 'own',
    system: true,
    retired_at: null,
    active_employees: 0,
    ...over,
  };
}

describe('flattenTree', () => {
  it('lists departments parents first with depth, and indexes people by user id', () => {
    const { departments, members } = flattenTree([
      node(1, null, [node(2, 1, [node(3, 2, [], [7])], [5, 6])]),
      node(9, null),
    ]);
    expect(departments.map((d) => [d.id, d.depth, d.archived])).toEqual([
      [1, 0, false],
      [2, 1, false],
      [3, 2, false],
      [9, 0, true],
    ]);
    expect(departments[0]).not.toHaveProperty('children');
    expect(members.get(7)?.department_id).toBe(3);
    expect([...members.keys()].sort()).toEqual([5, 6, 7]);
  });
});

describe('roles', () => {
  it('names and duties follow the language, falling back to the other one', () => {
    const r = role({ duties_ru: '- Звонить\n• Встречаться\n\n', duties_en: '' });
    expect(roleName(r, 'en')).toBe('Role');
    expect(roleName(role({ name_en: '' }), 'en')).toBe('Роль');
    expect(roleDuties(r, 'ru')).toEqual(['Звонить', 'Встречаться']);
    expect(roleDuties(r, 'en')).toEqual(['Звонить', 'Встречаться']);
  });

  it('orders rights by object type and actions canonically, dropping empty grants', () => {
    expect(
      permissionRows({
        deal: ['update', 'read'],
        zzz: ['read'],
        lead: ['assign', 'create'],
        client: [],
      }),
    ).toEqual([
      { objectType: 'lead', actions: ['create', 'assign'] },
      { objectType: 'deal', actions: ['read', 'update'] },
      { objectType: 'zzz', actions: ['read'] },
    ]);
    expect(compactPermissions({ lead: ['read', 'bogus'], deal: [], client: undefined })).toEqual({
      lead: ['read'],
    });
    expect(objectTypesOf([role({ permissions: { warehouse: ['read'] } })]).slice(-1)).toEqual([
      'warehouse',
    ]);
  });

  it('sorts by level, roles without a level last, then by name', () => {
    const sorted = sortRoles(
      [
        role({ id: 1, level: null, name_ru: 'Аналитик' }),
        role({ id: 2, level: 'L3', name_ru: 'Менеджер' }),
        role({ id: 3, level: 'L1', name_ru: 'Лидер' }),
        role({ id: 4, level: 'L3', name_ru: 'Аккаунт' }),
      ],
      'ru',
    );
    expect(sorted.map((r) => r.id)).toEqual([3, 4, 2, 1]);
  });
});

describe('matchFieldErrors', () => {
  it('maps nested and aliased server fields to form paths, keeping the rest apart', () => {
    const { fields, rest } = matchFieldErrors(
      [
        { field: 'user/email', code: 'not_unique', message: 'Почта занята' },
        { field: 'user.full_name', code: 'required', message: 'Введите имя' },
        { field: 'starts_on', code: 'invalid', message: 'Пересекается' },
        { field: 'ends_on', code: 'invalid', message: 'Пересекается' },
        { field: 'substitute_user_id', code: 'invalid', message: 'Замещающий тоже отсутствует' },
        { field: 'elsewhere', code: 'invalid', message: '?' },
      ],
      ['user.email', 'user.full_name', 'dates', 'substitute_user_id'],
      { starts_on: 'dates', ends_on: 'dates' },
    );
    expect(fields).toEqual([
      { name: ['user', 'email'], errors: ['Почта занята'] },
      { name: ['user', 'full_name'], errors: ['Введите имя'] },
      { name: ['dates'], errors: ['Пересекается'] },
      { name: ['substitute_user_id'], errors: ['Замещающий тоже отсутствует'] },
    ]);
    expect(rest.map((e) => e.field)).toEqual(['elsewhere']);
  });
});
