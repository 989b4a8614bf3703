import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, type ApiError, type Page, type Schemas } from '../../api';
import { useMe } from '../auth/session';

export type Department = Schemas['Department'];
export type DepartmentCreate = Schemas['DepartmentCreate'];
export type DepartmentUpdate = Schemas['DepartmentUpdate'];
export type Division = Schemas['Division'];
export type OrgNode = Schemas['OrgNode'];
export type OrgMember = Schemas['OrgMember'];
export type OrgTree = Schemas['OrgTree'];
export type Role = Schemas['Role'];
export type RoleCreate = Schemas['RoleCreate'];
export type RoleUpdate = Schemas['RoleUpdate'];
export type KpiCode = Schemas['KpiCode'];
export type Permissions = Schemas['Permissions'];
export type Employee = Schemas['Employee'];
export type EmployeeCreate = Schemas['EmployeeCreate'];
export type Absence = Schemas['Absence'];
export type AbsenceCreate = Schemas['AbsenceCreate'];
export type AwayList = Schemas['AwayList'];
export type AwayEntry = Schemas['AwayEntry'];

/** Every org query key starts with this, so one invalidation refreshes the room. */
export const ORG_KEY = ['org'] as const;
export const orgKeys = {
  tree: (archived: boolean) => [...ORG_KEY, 'tree', archived] as const,
  roles: (retired: boolean) => [...ORG_KEY, 'roles', retired] as const,
  employee: (id: number) => [...ORG_KEY, 'employee', id] as const,
  employeeOfUser: (userId: number) => [...ORG_KEY, 'employee-of-user', userId] as const,
  absences: (userId: number) => [...ORG_KEY, 'absences', userId] as const,
  away: (from: string, to: string) => [...ORG_KEY, 'away', from, to] as const,
};

export const orgApi = {
  tree: (includeArchived: boolean) =>
    api.request<OrgTree>('/api/v1/org/tree', {
      query: { include_archived: includeArchived ? 'true' : undefined },
    }),
  createDepartment: (body: DepartmentCreate) =>
    api.request<Department>('/api/v1/departments', { method: 'POST', body }),
  updateDepartment: (id: number, body: DepartmentUpdate) =>
    api.request<Department>(`/api/v1/departments/${id}`, { method: 'PATCH', body }),
  moveDepartment: (id: number, parentId: number | null) =>
    api.request<Department>(`/api/v1/departments/${id}/move`, {
      method: 'POST',
      body: { parent_id: parentId } satisfies Schemas['DepartmentMove'],
    }),
  archiveDepartment: (id: number) =>
    api.request<Department>(`/api/v1/departments/${id}/archive`, { method: 'POST' }),
  restoreDepartment: (id: number) =>
    api.request<Department>(`/api/v1/departments/${id}/restore`, { method: 'POST' }),
  roles: (includeRetired: boolean) =>
    api.request<{ items: Role[] }>('/api/v1/roles', {
      query: { include_retired: includeRetired ? 'true' : undefined },
    }),
  createRole: (body: RoleCreate) => api.request<Role>('/api/v1/roles', { method: 'POST', body }),
  updateRole: (id: number, body: RoleUpdate) =>
    api.request<Role>(`/api/v1/roles/${id}`, { method: 'PATCH', body }),
  retireRole: (id: number) => api.request<Role>(`/api/v1/roles/${id}/retire`, { method: 'POST' }),
  restoreRole: (id: number) => api.request<Role>(`/api/v1/roles/${id}/restore`, { method: 'POST' }),
  employee: (id: number) => api.request<Employee>(`/api/v1/employees/${id}`),
  employeesOfUser: (userId: number) =>
    api.request<Page<Employee>>('/api/v1/employees', { query: { user_id: userId } }),
  createEmployee: (body: EmployeeCreate) =>
    api.request<Employee>('/api/v1/employees', { method: 'POST', body }),
  absences: (userId: number) =>
    api.request<Page<Absence>>('/api/v1/absences', {
      query: { user_id: userId, include_cancelled: 'true', limit: 100 },
    }),
  createAbsence: (body: AbsenceCreate) =>
    api.request<Absence>('/api/v1/absences', { method: 'POST', body }),
  cancelAbsence: (id: number) =>
    api.request<Absence>(`/api/v1/absences/${id}/cancel`, { method: 'POST' }),
  away: (from: string, to: string) =>
    api.request<AwayList>('/api/v1/org/away', { query: { from, to } }),
};

export function useOrgTree(includeArchived: boolean) {
  return useQuery<OrgTree, ApiError>({
    queryKey: orgKeys.tree(includeArchived),
    queryFn: () => orgApi.tree(includeArchived),
  });
}

export function useRoles(includeRetired = false) {
  return useQuery<Role[], ApiError>({
    queryKey: orgKeys.roles(includeRetired),
    queryFn: async () => (await orgApi.roles(includeRetired)).items,
  });
}

/**
 * Whether the signed-in user may change the structure and the catalog: administrators and holders
 * of a role with scope `all`. Only hides buttons; the server still decides.
 */
export function useCanManageOrg(): boolean {
  const me = useMe();
  const userId = me.data?.id;
  const isAdmin = me.data?.is_admin ?? false;
  const mine = useQuery<Employee | null, ApiError>({
    queryKey: orgKeys.employeeOfUser(userId ?? 0),
    queryFn: async () => (await orgApi.employeesOfUser(userId!)).items[0] ?? null,
    enabled: userId !== undefined && !isAdmin,
  });
  const roles = useRoles(true);
  if (isAdmin) return true;
  const role = roles.data?.find((r) => r.id === mine.data?.role_id);
  return role?.scope === 'all';
}

/** A mutation that refreshes everything in the org room when it succeeds. */
export function useOrgMutation<TData, TVariables>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  options: {
    onSuccess?: (data: TData, variables: TVariables) => void;
    onError?: (error: ApiError, variables: TVariables) => void;
  } = {},
) {
  const queryClient = useQueryClient();
  return useMutation<TData, ApiError, TVariables>({
    mutationFn,
    onSuccess: (data, variables) => {
      void queryClient.invalidateQueries({ queryKey: ORG_KEY });
      options.onSuccess?.(data, variables);
    },
    onError: options.onError,
  });
}
