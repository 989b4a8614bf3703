import { Alert, Form, Grid, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { showFieldErrors } from './org';
import { orgApi, useOrgMutation, type Department, type Division } from './orgApi';
import { peopleOptions, type FlatDepartment, type PlacedMember } from './useOrgData';
import { useNotice } from './useRefusal';

interface Values {
  name: string;
  division: Division;
  head_user_id?: number | null;
}

/** Server field names this form can show errors under. */
const FIELDS = [
  'name',
  'division.principle',
  'division.regions',
  'division.lines',
  'division.client_type',
  'head_user_id',
];

/**
 * Create a team under a parent (or at the top), or edit a department's name, division and head.
 * Mount it when it opens: the form starts from the department each time.
 */
export function DepartmentModal({
  open,
  parent,
  department,
  members,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** Create mode: the parent (null = top level). Ignored when `department` is given. */
  parent?: FlatDepartment | null;
  /** Edit mode. */
  department?: FlatDepartment | null;
  members: Map<number, PlacedMember>;
  onClose: () => void;
  onSaved?: (department: Department) => void;
}) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const notice = useNotice();
  const isPhone = !Grid.useBreakpoint().md;
  const principle = Form.useWatch(['division', 'principle'], form);
  const editing = department ?? null;

  const save = useOrgMutation(
    (values: Values) => {
      const division: Division = { principle: values.division.principle };
      if (division.principle === 'territory') division.regions = values.division.regions ?? [];
      if (division.principle === 'product') division.lines = values.division.lines ?? [];
      if (division.principle === 'client_type')
        division.client_type = values.division.client_type ?? null;
      const body = {
        name: values.name.trim(),
        division,
        head_user_id: values.head_user_id ?? null,
      };
      return editing
        ? orgApi.updateDepartment(editing.id, body)
        : orgApi.createDepartment({ ...body, parent_id: parent?.id ?? null });
    },
    {
      onSuccess: (saved) => {
        notice(editing ? t('org.dept.saved') : t('org.dept.created', { name: saved.name }));
        onSaved?.(saved);
        onClose();
      },
      onError: (error) => showFieldErrors(form, error, FIELDS),
    },
  );

  const title = editing
    ? t('org.dept.editTitle', { name: editing.name })
    : parent
      ? t('org.dept.addTeamTitle', { parent: parent.name })
      : t('org.dept.addRootTitle');

  return (
    <Modal
      open={open}
      title={title}
      onCancel={onClose}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'dept-save' } as never}
      width={isPhone ? '100%' : 560}
      destroyOnHidden
    >
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(values) => save.mutate(values)}
        data-testid="dept-form"
        initialValues={
          editing
            ? {
                name: editing.name,
                division: {
                  principle: editing.division.principle,
                  regions: editing.division.regions ?? [],
                  lines: editing.division.lines ?? [],
                  client_type: editing.division.client_type ?? null,
                },
                head_user_id: editing.head_user_id,
              }
            : { name: '', division: { principle: 'none' }, head_user_id: null }
        }
      >
        {save.error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            message={<span data-testid="dept-form-error">{errorMessage(save.error, t)}</span>}
          />
        )}
        <Form.Item
          name="name"
          label={t('org.dept.name')}
          rules={[
            { required: true, whitespace: true, message: t('org.dept.nameRequired') },
            { max: 200, message: t('org.dept.nameTooLong') },
          ]}
        >
          <Input data-testid="dept-name" autoFocus />
        </Form.Item>
        <Form.Item name={['division', 'principle']} label={t('org.dept.principle')}>
          <Select
            data-testid="dept-principle"
            options={(['none', 'territory', 'product', 'client_type'] as const).map((p) => ({
              value: p,
              label: t(`org.dept.principles.${p}`),
            }))}
          />
        </Form.Item>
        {principle === 'territory' && (
          <Form.Item
            name={['division', 'regions']}
            label={t('org.dept.regions')}
            extra={t('org.dept.regionsHint')}
          >
            <Select mode="tags" data-testid="dept-regions" open={false} />
          </Form.Item>
        )}
        {principle === 'product' && (
          <Form.Item
            name={['division', 'lines']}
            label={t('org.dept.productLines')}
            extra={t('org.dept.productLinesHint')}
          >
            <Select mode="tags" data-testid="dept-lines" open={false} />
          </Form.Item>
        )}
        {principle === 'client_type' && (
          <Form.Item name={['division', 'client_type']} label={t('org.dept.clientType')}>
            <Select
              data-testid="dept-client-type"
              options={(['corporate', 'private'] as const).map((c) => ({
                value: c,
                label: t(`org.dept.clientTypes.${c}`),
              }))}
            />
          </Form.Item>
        )}
        <Form.Item name="head_user_id" label={t('org.dept.head')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            placeholder={t('org.dept.noHead')}
            data-testid="dept-head"
            options={peopleOptions(members, i18n.language)}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
