import { useEffect, useMemo, type HTMLAttributes } from 'react';
import {
  Alert,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Grid,
  Input,
  Popconfirm,
  Select,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { useMe } from '../auth/session';
import {
  ABSENCE_KINDS,
  STATE_COLORS,
  absenceState,
  daysInclusive,
  formatDay,
  rangeToDates,
} from './absences';
import { CalendarCard } from './CalendarCard';
import { roleName, showFieldErrors } from './org';
import {
  orgApi,
  orgKeys,
  useOrgMutation,
  useRoles,
  type Absence,
  type AbsenceCreate,
  type Employee,
} from './orgApi';
import { peopleOptions, useOrgData, type PlacedMember } from './useOrgData';
import { useNotice, useRefusal } from './useRefusal';

/** The employee card, opened over any org screen by `?employee=<user id>`. */
export function EmployeeDrawer({ canManage }: { canManage: boolean }) {
  const { t } = useTranslation();
  const isPhone = !Grid.useBreakpoint().md;
  const [params, setParams] = useSearchParams();
  const userId = Number(params.get('employee')) || null;

  const close = () =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.delete('employee');
      return next;
    });

  return (
    <Drawer
      open={userId !== null}
      onClose={close}
      width={isPhone ? '100%' : 640}
      title={t('org.employee.title')}
      destroyOnHidden
      data-testid="employee-drawer"
    >
      {userId !== null && <EmployeeCard userId={userId} canManage={canManage} />}
    </Drawer>
  );
}

function EmployeeCard({ userId, canManage }: { userId: number; canManage: boolean }) {
  const { t, i18n } = useTranslation();
  const me = useMe();
  const { members, departments } = useOrgData(false);
  const roles = useRoles(true);
  const member = members.get(userId);

  const employee = useQuery<Employee | null, ApiError>({
    queryKey: orgKeys.employeeOfUser(userId),
    queryFn: async () => (await orgApi.employeesOfUser(userId)).items[0] ?? null,
  });
  const data = employee.data;
  const role = roles.data?.find((r) => r.id === (data?.role_id ?? member?.role_id));
  const department = departments.find(
    (d) => d.id === (data?.department_id ?? member?.department_id),
  );
  const managerId = data?.effective_manager_user_id ?? null;
  const manager = managerId ? members.get(managerId) : undefined;
  const name = data?.full_name ?? member?.full_name ?? '';
  const mayRecord = canManage || me.data?.id === userId;

  const [, setParams] = useSearchParams();
  const openPerson = (id: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      next.set('employee', String(id));
      return next;
    });

  if (employee.isPending) return <Spin />;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }}>
      {employee.isError && (
        <Alert type="error" showIcon message={errorMessage(employee.error, t)} />
      )}
      {!employee.isError && !data && !member && (
        <Alert type="warning" showIcon message={t('org.employee.notFound')} />
      )}
      <Typography.Title level={4} style={{ margin: 0 }} data-testid="employee-name">
        {name}
      </Typography.Title>
      <Descriptions column={1} size="small" bordered data-testid="employee-details">
        <Descriptions.Item label={t('org.employee.role')}>
          <Space size={4} wrap data-testid="employee-role">
            {role?.level && <Tag color="blue">{role.level}</Tag>}
            {role ? roleName(role, i18n.language) : (data?.role_code ?? member?.role_code)}
          </Space>
        </Descriptions.Item>
        {(data?.position_title || member?.position_title) && (
          <Descriptions.Item label={t('org.employee.position')}>
            {data?.position_title || member?.position_title}
          </Descriptions.Item>
        )}
        <Descriptions.Item label={t('org.employee.department')}>
          <span data-testid="employee-department">{department?.name ?? '—'}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('org.employee.manager')}>
          {manager ? (
            <Typography.Link
              onClick={() => openPerson(manager.user_id)}
              data-testid="employee-manager"
            >
              {manager.full_name}
            </Typography.Link>
          ) : (
            <Typography.Text type="secondary">—</Typography.Text>
          )}
        </Descriptions.Item>
        {data && (
          <>
            <Descriptions.Item label={t('org.employee.status')}>
              <Tag
                color={data.status === 'active' ? 'green' : 'default'}
                data-testid="employee-status"
              >
                {t(`org.employee.statuses.${data.status}`)}
              </Tag>
            </Descriptions.Item>
            <Descriptions.Item label={t('org.employee.contacts')}>
              <Space direction="vertical" size={0}>
                <Typography.Link href={`mailto:${data.email}`} data-testid="employee-email">
                  {data.email}
                </Typography.Link>
                {data.phone && (
                  <Typography.Link href={`tel:${data.phone}`}>{data.phone}</Typography.Link>
                )}
              </Space>
            </Descriptions.Item>
          </>
        )}
      </Descriptions>
      <AbsencesCard userId={userId} members={members} mayRecord={mayRecord} />
      <CalendarCard userId={userId} />
    </Space>
  );
}

interface AbsenceValues {
  kind: Absence['kind'];
  dates: [Dayjs, Dayjs];
  substitute_user_id?: number | null;
  note?: string;
}

const ABSENCE_FIELDS = ['kind', 'dates', 'substitute_user_id', 'note'];
const ABSENCE_ALIASES = { starts_on: 'dates', ends_on: 'dates' };

function AbsencesCard({
  userId,
  members,
  mayRecord,
}: {
  userId: number;
  members: Map<number, PlacedMember>;
  mayRecord: boolean;
}) {
  const { t, i18n } = useTranslation();
  const notice = useNotice();
  const refusal = useRefusal();
  const [form] = Form.useForm<AbsenceValues>();
  const kind = Form.useWatch('kind', form);
  const today = dayjs().format('YYYY-MM-DD');

  const absences = useQuery({
    queryKey: orgKeys.absences(userId),
    queryFn: async () => (await orgApi.absences(userId)).items,
  });

  const create = useOrgMutation((body: AbsenceCreate) => orgApi.createAbsence(body), {
    onSuccess: () => {
      notice(t('org.absence.added'));
      form.resetFields();
    },
    onError: (error) => showFieldErrors(form, error, ABSENCE_FIELDS, ABSENCE_ALIASES),
  });
  const cancel = useOrgMutation((id: number) => orgApi.cancelAbsence(id), {
    onSuccess: () => notice(t('org.absence.cancelled')),
    onError: refusal,
  });
  const { reset } = create;
  useEffect(() => reset(), [userId, reset]);

  const substitutes = useMemo(
    () => peopleOptions(members, i18n.language, userId),
    [members, i18n.language, userId],
  );

  const onFinish = (values: AbsenceValues) => {
    const body: AbsenceCreate = {
      user_id: userId,
      kind: values.kind,
      ...rangeToDates(values.dates),
      substitute_user_id: values.substitute_user_id ?? null,
    };
    if (values.note?.trim()) body.note = values.note.trim();
    create.mutate(body);
  };

  const nameOf = (id: number | null) => (id ? (members.get(id)?.full_name ?? `#${id}`) : '—');

  return (
    <Card size="small" title={t('org.employee.absences')} data-testid="absences-card">
      {mayRecord && (
        <Form<AbsenceValues>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          initialValues={{ kind: 'vacation' }}
          data-testid="absence-form"
          style={{ marginBottom: 16 }}
        >
          {create.error && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              message={<span data-testid="absence-error">{errorMessage(create.error, t)}</span>}
            />
          )}
          <Form.Item
            name="kind"
            label={t('org.absence.kind')}
            rules={[{ required: true, message: t('org.absence.kindRequired') }]}
          >
            <Select
              data-testid="absence-kind"
              options={ABSENCE_KINDS.map((k) => ({ value: k, label: t(`org.absence.kinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="dates"
            label={t('org.absence.dates')}
            rules={[{ required: true, message: t('org.absence.datesRequired') }]}
          >
            <DatePicker.RangePicker
              data-testid="absence-dates"
              format="DD.MM.YYYY"
              style={{ width: '100%' }}
              inputReadOnly
            />
          </Form.Item>
          <Form.Item
            name="substitute_user_id"
            label={t('org.absence.substitute')}
            extra={t('org.absence.substituteHint')}
            rules={[{ required: kind !== 'day_off', message: t('org.absence.substituteRequired') }]}
          >
            <Select
              data-testid="absence-substitute"
              allowClear
              showSearch
              optionFilterProp="label"
              options={substitutes}
            />
          </Form.Item>
          <Form.Item name="note" label={t('org.absence.comment')}>
            <Input.TextArea data-testid="absence-note" maxLength={1000} autoSize />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={create.isPending}
            data-testid="absence-save"
          >
            {t('org.absence.add')}
          </Button>
        </Form>
      )}
      <Table<Absence>
        data-testid="absences-table"
        rowKey="id"
        size="small"
        pagination={false}
        scroll={{ x: 'max-content' }}
        loading={absences.isPending}
        dataSource={absences.data ?? []}
        locale={{ emptyText: t('org.absence.empty') }}
        onRow={(row) =>
          ({
            'data-testid': 'absence-row',
            'data-absence-id': row.id,
          }) as HTMLAttributes<HTMLElement>
        }
        columns={[
          {
            key: 'kind',
            title: t('org.absence.kind'),
            render: (_, row) => t(`org.absence.kinds.${row.kind}`),
          },
          {
            key: 'dates',
            title: t('org.absence.dates'),
            render: (_, row) =>
              `${formatDay(row.starts_on, i18n.language)} – ${formatDay(row.ends_on, i18n.language)}`,
          },
          {
            key: 'days',
            title: '',
            render: (_, row) => t('org.absence.days', { count: daysInclusive(row) }),
          },
          {
            key: 'substitute',
            title: t('org.absence.substitute'),
            render: (_, row) => nameOf(row.substitute_user_id),
          },
          {
            key: 'state',
            title: t('org.employee.status'),
            render: (_, row) => {
              const state = absenceState({ ...row, cancelled: row.cancelled_at !== null }, today);
              return (
                <Tag color={STATE_COLORS[state]} data-testid="absence-state">
                  {t(`org.absence.states.${state}`)}
                </Tag>
              );
            },
          },
          ...(mayRecord
            ? [
                {
                  key: 'actions',
                  title: '',
                  render: (_: unknown, row: Absence) =>
                    row.cancelled_at === null &&
                    row.ends_on >= today && (
                      <Popconfirm
                        title={t('org.absence.cancelConfirm')}
                        okText={t('org.absence.cancel')}
                        cancelText={t('common.cancel')}
                        okButtonProps={
                          { danger: true, 'data-testid': 'absence-cancel-confirm' } as never
                        }
                        onConfirm={() => cancel.mutateAsync(row.id).catch(() => undefined)}
                      >
                        <Button size="small" danger data-testid="absence-cancel">
                          {t('org.absence.cancel')}
                        </Button>
                      </Popconfirm>
                    ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
