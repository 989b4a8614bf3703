import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Col,
  Divider,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  TreeSelect,
  Typography,
} from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { isApiError, type ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { useMe } from '../auth/session';
import { usePeople } from '../clients/people';
import { intakeApi, INTAKE_KEY, type IntakeForm } from '../intake/intakeApi';
import { CHANNELS } from '../leads/leadsApi';
import { childrenIndex } from '../org/tree';
import type { FlatDepartment } from '../org/useOrgData';
import { formToInput, ruleFieldPath, ruleToForm, type RuleFormValues } from './rules';
import {
  ESCALATE_AFTER,
  routingApi,
  SLA_MINUTES,
  STRATEGIES,
  useRoutingMutation,
  WEIGHT,
  type RoutingRule,
} from './routingApi';

interface DeptNode {
  value: number;
  title: string;
  children: DeptNode[];
}

/** Creates or edits a routing rule: conditions, pool, strategy and the SLA; mounted when it opens. */
export function RuleDrawer({
  rule,
  departments,
  onClose,
}: {
  /** The rule to edit, or null for a new one. */
  rule: RoutingRule | null;
  departments: readonly FlatDepartment[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<RuleFormValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const people = usePeople();
  const me = useMe();
  const forms = useQuery<IntakeForm[], ApiError>({
    queryKey: [...INTAKE_KEY, 'forms'],
    queryFn: async () => (await intakeApi.forms()).items,
    // Only administrators read intake settings; others pick forms by number.
    enabled: me.data?.is_admin ?? false,
  });
  const initial = useMemo(() => ruleToForm(rule), [rule]);
  const pool = Form.useWatch('pool', form) ?? initial.pool;
  const strategy = Form.useWatch('strategy', form) ?? initial.strategy;

  const deptTree = useMemo(() => {
    const index = childrenIndex(
      departments.filter((d) => !d.archived),
      i18n.language,
    );
    const build = (parent: number | null): DeptNode[] =>
      (index.get(parent) ?? []).map((d) => ({ value: d.id, title: d.name, children: build(d.id) }));
    return build(null);
  }, [departments, i18n.language]);

  const personOptions = (people.data ?? []).map((p) => ({ value: p.user_id, label: p.full_name }));
  const formOptions = forms.data
    ? forms.data.map((f) => ({ value: f.id, label: f.name }))
    : initial.when.form_ids.map((id) => ({ value: id, label: `#${id}` }));

  const save = useRoutingMutation(
    (values: RuleFormValues) => {
      const body = formToInput(values);
      return rule ? routingApi.updateRule(rule.id, body) : routingApi.createRule(body);
    },
    {
      onSuccess: () => {
        void message.success(t('routing.rules.saved'));
        onClose();
      },
      onError: (error) => {
        const left: string[] = [];
        const fields: { name: (string | number)[]; errors: string[] }[] = [];
        const currentPool = (form.getFieldValue('pool') as RuleFormValues['pool']) ?? pool;
        for (const e of isApiError(error) ? error.errors : []) {
          const path = ruleFieldPath(e.field, currentPool);
          if (path) fields.push({ name: path, errors: [e.message] });
          else left.push(e.message);
        }
        if (fields.length) form.setFields(fields as never);
        setUnplaced(fields.length || left.length ? left : [errorMessage(error, t)]);
      },
    },
  );

  const hint = (key: string) => (
    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
      {t(key)}
    </Typography.Text>
  );

  return (
    <Drawer
      open
      onClose={onClose}
      width={isPhone ? '100%' : 640}
      title={rule ? t('routing.form.titleEdit', { name: rule.name }) : t('routing.form.titleNew')}
      data-testid="rule-drawer"
      destroyOnHidden
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => form.submit()}
            data-testid="rule-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
    >
      <Form<RuleFormValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={initial}
        onFinish={(values) => {
          setUnplaced([]);
          save.mutate(values);
        }}
        data-testid="rule-form"
      >
        {unplaced.length > 0 && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 12 }}
            data-testid="rule-form-error"
            message={t('routing.form.refused')}
            description={unplaced.join(' ')}
          />
        )}
        <Row gutter={12} align="bottom">
          <Col flex="auto">
            <Form.Item
              name="name"
              label={t('routing.form.name')}
              rules={[
                { required: true, whitespace: true, message: t('routing.form.nameRequired') },
              ]}
            >
              <Input maxLength={200} data-testid="rule-name" />
            </Form.Item>
          </Col>
          <Col>
            <Form.Item name="active" label={t('routing.form.active')} valuePropName="checked">
              <Switch data-testid="rule-active" />
            </Form.Item>
          </Col>
        </Row>

        <Divider orientation="left" plain style={{ marginTop: 0 }}>
          {t('routing.form.conditions')}
        </Divider>
        <Typography.Paragraph type="secondary" style={{ marginTop: -8 }}>
          {t('routing.form.conditionsHint')}
        </Typography.Paragraph>
        <Form.Item name={['when', 'channels']} label={t('routing.when.channels')}>
          <Select
            mode="multiple"
            allowClear
            data-testid="rule-channels"
            placeholder={t('routing.form.anyValue')}
            options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
          />
        </Form.Item>
        <Form.Item name={['when', 'form_ids']} label={t('routing.when.form_ids')}>
          <Select
            mode="multiple"
            allowClear
            placeholder={t('routing.form.anyValue')}
            options={formOptions}
            optionFilterProp="label"
          />
        </Form.Item>
        <Row gutter={12}>
          {(
            [
              ['regions', 'routing.when.regions', 'rule-regions'],
              ['products', 'routing.form.products', 'rule-products'],
            ] as const
          ).map(([name, label, testid]) => (
            <Col xs={24} sm={12} key={name}>
              <Form.Item
                name={['when', name]}
                label={t(label)}
                extra={hint('routing.form.tagsHint')}
              >
                <Select
                  mode="tags"
                  open={false}
                  suffixIcon={null}
                  tokenSeparators={[',']}
                  placeholder={t('routing.form.anyValue')}
                  data-testid={testid}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name={['when', 'client_type']} label={t('routing.when.client_type')}>
              <Select
                options={(['any', 'new', 'known'] as const).map((v) => ({
                  value: v,
                  label: t(`routing.clientType.${v}`),
                }))}
              />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name={['when', 'min_priority']} label={t('routing.form.minPriority')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6}>
            <Form.Item name={['when', 'max_priority']} label={t('routing.form.maxPriority')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.List name={['when', 'custom']}>
          {(fields, { add, remove }) => (
            <Flex vertical gap={4} style={{ marginBottom: 16 }}>
              {fields.map((field) => (
                <Flex key={field.key} gap={8} align="start">
                  <Form.Item name={[field.name, 'code']} style={{ flex: 1, margin: 0 }}>
                    <Input placeholder={t('routing.form.customCode')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'value']} style={{ flex: 1, margin: 0 }}>
                    <Input placeholder={t('routing.form.customValue')} maxLength={200} />
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('routing.form.remove')}
                    onClick={() => remove(field.name)}
                  />
                </Flex>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ code: '', value: '' })}
                style={{ alignSelf: 'flex-start' }}
              >
                {t('routing.form.addCustom')}
              </Button>
            </Flex>
          )}
        </Form.List>

        <Divider orientation="left" plain>
          {t('routing.form.pool')}
        </Divider>
        <Form.Item name="pool">
          <Radio.Group
            optionType="button"
            data-testid="rule-pool"
            options={[
              { value: 'department', label: t('routing.form.poolDepartment') },
              { value: 'people', label: t('routing.form.poolPeople') },
            ]}
          />
        </Form.Item>
        {pool === 'department' ? (
          <Row gutter={12} align="bottom">
            <Col flex="auto">
              <Form.Item
                name="department_id"
                label={t('routing.form.department')}
                rules={[{ required: true, message: t('routing.form.departmentRequired') }]}
              >
                <TreeSelect<number>
                  data-testid="rule-department"
                  treeData={deptTree}
                  treeDefaultExpandAll
                  showSearch
                  treeNodeFilterProp="title"
                />
              </Form.Item>
            </Col>
            <Col>
              <Form.Item
                name="include_subdepartments"
                label={t('routing.form.includeSub')}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
            </Col>
          </Row>
        ) : (
          <Form.List
            name="members"
            rules={[
              {
                validator: async (_, members: RuleFormValues['members'] | undefined) => {
                  if (!members?.some((m) => m.user_id != null))
                    throw new Error(t('routing.form.peopleRequired'));
                },
              },
            ]}
          >
            {(fields, { add, remove }, { errors }) => (
              <Flex vertical gap={4} style={{ marginBottom: 16 }} data-testid="rule-members">
                {fields.map((field) => (
                  <Flex key={field.key} gap={8} align="start">
                    <Form.Item
                      name={[field.name, 'user_id']}
                      style={{ flex: 1, margin: 0 }}
                      rules={[{ required: true, message: t('routing.form.personRequired') }]}
                    >
                      <Select
                        showSearch
                        optionFilterProp="label"
                        placeholder={t('routing.form.person')}
                        options={personOptions}
                        data-testid="rule-member"
                      />
                    </Form.Item>
                    {strategy === 'weighted' && (
                      <Form.Item
                        name={[field.name, 'weight']}
                        style={{ width: 120, margin: 0 }}
                        tooltip={t('routing.form.weightHint')}
                      >
                        <InputNumber
                          min={WEIGHT.min}
                          max={WEIGHT.max}
                          placeholder={t('routing.form.weight')}
                          style={{ width: '100%' }}
                        />
                      </Form.Item>
                    )}
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('routing.form.remove')}
                      onClick={() => remove(field.name)}
                    />
                  </Flex>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  onClick={() => add({ weight: strategy === 'weighted' ? 1 : null })}
                  style={{ alignSelf: 'flex-start' }}
                  data-testid="rule-add-member"
                >
                  {t('routing.form.addPerson')}
                </Button>
                <Form.ErrorList errors={errors} />
              </Flex>
            )}
          </Form.List>
        )}
        <Form.Item
          name="strategy"
          label={t('routing.form.strategy')}
          extra={hint(`routing.strategyHelp.${strategy}`)}
        >
          <Radio.Group
            data-testid="rule-strategy"
            options={STRATEGIES.map((s) => ({ value: s, label: t(`routing.strategy.${s}`) }))}
          />
        </Form.Item>

        <Divider orientation="left" plain>
          {t('routing.form.slaSection')}
        </Divider>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item
              name="sla_minutes"
              label={t('routing.form.sla')}
              extra={hint('routing.form.slaHint')}
              rules={[{ required: true, message: t('routing.form.slaRequired') }]}
            >
              <InputNumber
                min={SLA_MINUTES.min}
                max={SLA_MINUTES.max}
                precision={0}
                style={{ width: '100%' }}
                data-testid="rule-sla"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="escalate_after"
              label={t('routing.form.escalateAfter')}
              extra={hint('routing.form.escalateHint')}
            >
              <InputNumber
                min={ESCALATE_AFTER.min}
                max={ESCALATE_AFTER.max}
                precision={0}
                style={{ width: '100%' }}
                data-testid="rule-escalate"
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="max_open_per_person"
              label={t('routing.form.cap')}
              extra={hint('routing.form.capHint')}
            >
              <InputNumber min={1} max={10000} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="head_user_id"
              label={t('routing.form.head')}
              extra={hint('routing.form.headHint')}
            >
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                options={personOptions}
                data-testid="rule-head"
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          name="assign_off_shift"
          valuePropName="checked"
          label={t('routing.form.offShift')}
          extra={hint('routing.form.offShiftHint')}
        >
          <Switch data-testid="rule-off-shift" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
