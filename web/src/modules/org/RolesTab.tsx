import { useMemo, useState, type HTMLAttributes } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { EditOutlined, PlusOutlined, RollbackOutlined, StopOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import {
  ACTIONS,
  KPI_CODES,
  LEVELS,
  compactPermissions,
  objectTypesOf,
  permissionRows,
  roleDuties,
  roleName,
  showFieldErrors,
  sortRoles,
} from './org';
import { orgApi, useOrgMutation, useRoles, type KpiCode, type Role } from './orgApi';
import { useNotice, useRefusal } from './useRefusal';

const SCOPES = ['own', 'team', 'all', 'read_all'] as const;
const SCOPE_COLORS: Record<string, string> = {
  own: 'default',
  team: 'blue',
  all: 'purple',
  read_all: 'cyan',
};

/** Duties, rights and KPIs of one role. */
function RoleDetails({ role }: { role: Role }) {
  const { t, i18n } = useTranslation();
  const duties = roleDuties(role, i18n.language);
  const rights = permissionRows(role.permissions);
  return (
    <Descriptions column={1} size="small" bordered data-testid="role-details">
      <Descriptions.Item label={t('org.roles.duties')}>
        {duties.length > 0 ? (
          <ul style={{ margin: 0, paddingInlineStart: 18 }} data-testid="role-duties">
            {duties.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ul>
        ) : (
          '—'
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('org.roles.rights')}>
        {rights.length === 0 ? (
          t('org.roles.noRights')
        ) : (
          <Flex vertical gap={4} data-testid="role-rights">
            {rights.map((row) => (
              <div key={row.objectType}>
                <Typography.Text strong style={{ marginInlineEnd: 8 }}>
                  {t(`org.roles.objectTypes.${row.objectType}`, { defaultValue: row.objectType })}
                </Typography.Text>
                {row.actions.map((a) => (
                  <Tag key={a}>{t(`org.roles.actionNames.${a}`)}</Tag>
                ))}
              </div>
            ))}
          </Flex>
        )}
      </Descriptions.Item>
      <Descriptions.Item label={t('org.roles.kpis')}>
        {role.kpis.length === 0
          ? '—'
          : role.kpis.map((k) => (
              <Tag key={k} color="geekblue" style={{ marginBottom: 4 }}>
                {t(`org.kpis.${k}`, { defaultValue: k })}
              </Tag>
            ))}
      </Descriptions.Item>
    </Descriptions>
  );
}

/** The role catalog: level, name, visibility; rows expand to duties, rights and KPIs. */
export function RolesTab({ canManage }: { canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const notice = useNotice();
  const refusal = useRefusal();
  const [showRetired, setShowRetired] = useState(false);
  const [editing, setEditing] = useState<Role | 'new' | null>(null);
  const roles = useRoles(showRetired);
  const rows = useMemo(() => sortRoles(roles.data ?? [], i18n.language), [roles.data, i18n]);

  const retire = useOrgMutation((role: Role) => orgApi.retireRole(role.id), {
    onSuccess: (role) => notice(t('org.roles.retired', { name: roleName(role, i18n.language) })),
    onError: refusal,
  });
  const restore = useOrgMutation((role: Role) => orgApi.restoreRole(role.id), {
    onSuccess: () => notice(t('org.roles.saved')),
    onError: refusal,
  });

  return (
    <Flex vertical gap={12}>
      <Flex wrap gap={8} align="center" justify="space-between">
        <Checkbox
          checked={showRetired}
          onChange={(e) => setShowRetired(e.target.checked)}
          data-testid="roles-show-retired"
        >
          {t('org.roles.showRetired')}
        </Checkbox>
        {canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setEditing('new')}
            data-testid="role-add"
          >
            {t('org.roles.add')}
          </Button>
        )}
      </Flex>
      {roles.isError && <Alert type="error" showIcon message={errorMessage(roles.error, t)} />}
      <Table<Role>
        data-testid="roles-table"
        rowKey="id"
        size="small"
        loading={roles.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        expandable={{ expandedRowRender: (role) => <RoleDetails role={role} /> }}
        onRow={(row) =>
          ({ 'data-testid': 'role-row', 'data-role-code': row.code }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'level',
            title: t('org.roles.level'),
            render: (_, r) =>
              r.level ? <Tag color="blue">{r.level}</Tag> : t('org.roles.noLevel'),
          },
          {
            key: 'name',
            title: t('org.roles.name'),
            render: (_, r) => (
              <Space size={4} wrap>
                <span data-testid="role-name">{roleName(r, i18n.language)}</span>
                {r.retired_at !== null && <Tag>{t('org.roles.retiredTag')}</Tag>}
              </Space>
            ),
          },
          {
            key: 'scope',
            title: t('org.roles.scope'),
            render: (_, r) => (
              <Tag color={SCOPE_COLORS[r.scope]}>{t(`org.roles.scopes.${r.scope}`)}</Tag>
            ),
          },
          {
            key: 'people',
            title: t('org.roles.people'),
            dataIndex: 'active_employees',
            align: 'right',
          },
          ...(canManage
            ? [
                {
                  key: 'actions',
                  title: t('org.roles.actions'),
                  render: (_: unknown, r: Role) => (
                    <Space size={4}>
                      <Button
                        size="small"
                        icon={<EditOutlined />}
                        onClick={() => setEditing(r)}
                        data-testid="role-edit"
                      >
                        {t('org.roles.edit')}
                      </Button>
                      {r.retired_at === null ? (
                        <Popconfirm
                          title={t('org.roles.retireConfirm', {
                            name: roleName(r, i18n.language),
                          })}
                          okText={t('org.roles.retire')}
                          cancelText={t('common.cancel')}
                          okButtonProps={
                            { danger: true, 'data-testid': 'role-retire-confirm' } as never
                          }
                          onConfirm={() => retire.mutateAsync(r).catch(() => undefined)}
                        >
                          <Button
                            size="small"
                            danger
                            icon={<StopOutlined />}
                            data-testid="role-retire"
                          >
                            {t('org.roles.retire')}
                          </Button>
                        </Popconfirm>
                      ) : (
                        <Button
                          size="small"
                          icon={<RollbackOutlined />}
                          onClick={() => restore.mutate(r)}
                          data-testid="role-restore"
                        >
                          {t('org.restore')}
                        </Button>
                      )}
                    </Space>
                  ),
                },
              ]
            : []),
        ]}
      />
      {editing !== null && (
        <RoleDrawer role={editing} allRoles={roles.data ?? []} onClose={() => setEditing(null)} />
      )}
    </Flex>
  );
}

interface RoleValues {
  code?: string;
  level?: Role['level'];
  name_ru: string;
  name_en: string;
  scope: Role['scope'];
  duties_ru?: string;
  duties_en?: string;
  kpis?: KpiCode[];
  permissions?: Record<string, string[]>;
}

const ROLE_FIELDS = [
  'code',
  'level',
  'name_ru',
  'name_en',
  'scope',
  'duties_ru',
  'duties_en',
  'kpis',
];

function RoleDrawer({
  role,
  allRoles,
  onClose,
}: {
  role: Role | 'new' | null;
  allRoles: readonly Role[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const notice = useNotice();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<RoleValues>();
  const existing = role !== null && role !== 'new' ? role : null;
  const objectTypes = useMemo(() => objectTypesOf(allRoles), [allRoles]);

  const save = useOrgMutation(
    (values: RoleValues) => {
      const body = {
        level: values.level ?? null,
        name_ru: values.name_ru.trim(),
        name_en: values.name_en.trim(),
        scope: values.scope,
        duties_ru: values.duties_ru ?? '',
        duties_en: values.duties_en ?? '',
        kpis: values.kpis ?? [],
        permissions: compactPermissions(values.permissions ?? {}),
      };
      return existing
        ? orgApi.updateRole(existing.id, body)
        : orgApi.createRole({ ...body, code: (values.code ?? '').trim() });
    },
    {
      onSuccess: () => {
        notice(t('org.roles.saved'));
        onClose();
      },
      onError: (error) => showFieldErrors(form, error, ROLE_FIELDS),
    },
  );

  return (
    <Drawer
      open={role !== null}
      onClose={onClose}
      width={isPhone ? '100%' : 640}
      title={
        existing
          ? t('org.roles.editTitle', { name: roleName(existing, i18n.language) })
          : t('org.roles.addTitle')
      }
      extra={
        <Button
          type="primary"
          loading={save.isPending}
          onClick={() => form.submit()}
          data-testid="role-save"
        >
          {t('common.save')}
        </Button>
      }
      data-testid="role-drawer"
    >
      <Form<RoleValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => save.mutate(values)}
        initialValues={
          existing
            ? {
                level: existing.level,
                name_ru: existing.name_ru,
                name_en: existing.name_en,
                scope: existing.scope,
                duties_ru: existing.duties_ru,
                duties_en: existing.duties_en,
                kpis: existing.kpis,
                permissions: { ...(existing.permissions as Record<string, string[]>) },
              }
            : { scope: 'own', level: null, kpis: [], permissions: {} }
        }
      >
        {save.error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message={<span data-testid="role-error">{errorMessage(save.error, t)}</span>}
          />
        )}
        {!existing && (
          <Form.Item
            name="code"
            label={t('org.roles.code')}
            extra={t('org.roles.codeHint')}
            rules={[
              { required: true, message: t('org.roles.codeRequired') },
              { pattern: /^[a-z][a-z0-9_]{1,49}$/, message: t('org.roles.codeHint') },
            ]}
          >
            <Input data-testid="role-code" />
          </Form.Item>
        )}
        <Form.Item
          name="name_ru"
          label={t('org.roles.nameRu')}
          rules={[{ required: true, whitespace: true, message: t('org.roles.nameRequired') }]}
        >
          <Input data-testid="role-name-ru" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="name_en"
          label={t('org.roles.nameEn')}
          rules={[{ required: true, whitespace: true, message: t('org.roles.nameRequired') }]}
        >
          <Input data-testid="role-name-en" maxLength={200} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item name="level" label={t('org.roles.level')} style={{ minWidth: 120 }}>
            <Select
              data-testid="role-level"
              allowClear
              options={LEVELS.map((l) => ({ value: l, label: l }))}
            />
          </Form.Item>
          <Form.Item name="scope" label={t('org.roles.scope')} style={{ minWidth: 200, flex: 1 }}>
            <Select
              data-testid="role-scope"
              options={SCOPES.map((s) => ({ value: s, label: t(`org.roles.scopes.${s}`) }))}
            />
          </Form.Item>
        </Flex>
        <Form.Item
          name="duties_ru"
          label={`${t('org.roles.duties')} (RU)`}
          extra={t('org.roles.dutiesHint')}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} />
        </Form.Item>
        <Form.Item
          name="duties_en"
          label={`${t('org.roles.duties')} (EN)`}
          extra={t('org.roles.dutiesHint')}
        >
          <Input.TextArea autoSize={{ minRows: 3 }} maxLength={4000} />
        </Form.Item>
        <Form.Item name="kpis" label={t('org.roles.kpis')}>
          <Select
            mode="multiple"
            data-testid="role-kpis"
            optionFilterProp="label"
            options={KPI_CODES.map((k) => ({ value: k, label: t(`org.kpis.${k}`) }))}
          />
        </Form.Item>
        <Typography.Title level={5}>{t('org.roles.rights')}</Typography.Title>
        {objectTypes.map((type) => (
          <Form.Item
            key={type}
            name={['permissions', type]}
            label={t(`org.roles.objectTypes.${type}`, { defaultValue: type })}
            style={{ marginBottom: 8 }}
          >
            <Checkbox.Group
              options={ACTIONS.map((a) => ({ value: a, label: t(`org.roles.actionNames.${a}`) }))}
            />
          </Form.Item>
        ))}
      </Form>
    </Drawer>
  );
}
