import { useMemo } from 'react';
import { Alert, Form, Grid, Input, Modal, Select, Space, Tag, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { roleName, showFieldErrors, sortRoles } from './org';
import { orgApi, useOrgMutation, useRoles, type EmployeeCreate } from './orgApi';
import { childrenIndex } from './tree';
import { peopleOptions, type FlatDepartment, type PlacedMember } from './useOrgData';
import { useNotice } from './useRefusal';

interface Values {
  user: { full_name: string; email: string; password: string };
  role_id?: number;
  department_id?: number;
  manager_user_id?: number | null;
  position_title?: string;
  phone?: string;
}

/** Server field names this form can show errors under. */
const FIELDS = [
  'user.full_name',
  'user.email',
  'user.password',
  'role_id',
  'department_id',
  'manager_user_id',
  'position_title',
  'phone',
];

interface DeptNode {
  value: number;
  title: string;
  children: DeptNode[];
}

/** Adds a new person (a new account) to a team; mounted when it opens. */
export function AddEmployeeModal({
  department,
  departments,
  members,
  onClose,
}: {
  department: FlatDepartment | null;
  departments: readonly FlatDepartment[];
  members: Map<number, PlacedMember>;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const notice = useNotice();
  const isPhone = !Grid.useBreakpoint().md;
  const roles = useRoles(false);

  const deptTree = useMemo(() => {
    const index = childrenIndex(
      departments.filter((d) => !d.archived),
      i18n.language,
    );
    const build = (parent: number | null): DeptNode[] =>
      (index.get(parent) ?? []).map((d) => ({ value: d.id, title: d.name, children: build(d.id) }));
    return build(null);
  }, [departments, i18n.language]);

  const create = useOrgMutation(
    (values: Values) => {
      const body: EmployeeCreate = {
        user: {
          full_name: values.user.full_name.trim(),
          email: values.user.email.trim(),
          password: values.user.password,
          locale: i18n.language === 'en' ? 'en' : 'ru',
        },
        role_id: values.role_id!,
        department_id: values.department_id!,
        manager_user_id: values.manager_user_id ?? null,
      };
      if (values.position_title?.trim()) body.position_title = values.position_title.trim();
      if (values.phone?.trim()) body.phone = values.phone.trim();
      return orgApi.createEmployee(body);
    },
    {
      onSuccess: (employee) => {
        notice(t('org.employee.added', { name: employee.full_name }));
        onClose();
      },
      onError: (error) => showFieldErrors(form, error, FIELDS),
    },
  );

  return (
    <Modal
      open={department !== null}
      title={department ? t('org.employee.addTitle', { department: department.name }) : ''}
      onCancel={onClose}
      okText={t('org.employee.add')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={create.isPending}
      okButtonProps={{ 'data-testid': 'person-save' } as never}
      width={isPhone ? '100%' : 560}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => create.mutate(values)}
        data-testid="person-form"
        initialValues={{ department_id: department?.id }}
      >
        {create.error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message={<span data-testid="person-form-error">{errorMessage(create.error, t)}</span>}
          />
        )}
        <Form.Item
          name={['user', 'full_name']}
          label={t('org.employee.fullName')}
          rules={[
            { required: true, whitespace: true, message: t('org.employee.fullNameRequired') },
            { max: 200, message: t('org.dept.nameTooLong') },
          ]}
        >
          <Input data-testid="person-name" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name={['user', 'email']}
          label={t('org.employee.email')}
          rules={[
            { required: true, whitespace: true, message: t('org.employee.emailRequired') },
            { type: 'email', message: t('org.employee.emailInvalid') },
          ]}
        >
          <Input data-testid="person-email" autoComplete="off" inputMode="email" />
        </Form.Item>
        <Form.Item
          name={['user', 'password']}
          label={t('org.employee.password')}
          extra={t('org.employee.passwordHint')}
          rules={[{ required: true, message: t('org.employee.passwordRequired') }]}
        >
          <Input.Password data-testid="person-password" autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="role_id"
          label={t('org.employee.role')}
          rules={[{ required: true, message: t('org.employee.roleRequired') }]}
        >
          <Select
            data-testid="person-role"
            showSearch
            optionFilterProp="search"
            loading={roles.isPending}
            options={sortRoles(roles.data ?? [], i18n.language).map((r) => ({
              value: r.id,
              search: `${r.level ?? ''} ${roleName(r, i18n.language)} ${r.code}`,
              label: (
                <Space size={4}>
                  {r.level && <Tag>{r.level}</Tag>}
                  {roleName(r, i18n.language)}
                </Space>
              ),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="department_id"
          label={t('org.employee.department')}
          rules={[{ required: true, message: t('org.employee.departmentRequired') }]}
        >
          <TreeSelect<number>
            data-testid="person-department"
            treeData={deptTree}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
          />
        </Form.Item>
        <Form.Item
          name="manager_user_id"
          label={t('org.employee.manager')}
          extra={t('org.employee.managerHint')}
        >
          <Select
            data-testid="person-manager"
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('org.employee.managerAuto')}
            options={peopleOptions(members, i18n.language)}
          />
        </Form.Item>
        <Form.Item name="position_title" label={t('org.employee.position')}>
          <Input data-testid="person-position" maxLength={200} />
        </Form.Item>
        <Form.Item name="phone" label={t('org.employee.phone')}>
          <Input data-testid="person-phone" maxLength={50} inputMode="tel" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
