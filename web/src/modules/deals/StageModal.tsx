import { Button, Flex, Form, Grid, Input, InputNumber, Modal, Select, Switch } from 'antd';
import type { FormInstance } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { STAGE_KINDS, useDealFields, type Stage, type StageWrite } from './dealsApi';
import { probabilityForKind, stageBody, stageValues, type StageValues } from './stageForm';

/** Adds or edits a stage: name, probability, kind, idle threshold, the decision flag and the gate. */
export function StageModal({
  stage,
  elsewhere,
  saving,
  onClose,
  onSave,
  form,
}: {
  stage: Stage | null;
  /** Checklist codes the pipeline's other stages use (codes are unique inside a pipeline). */
  elsewhere: string[];
  saving: boolean;
  onClose: () => void;
  onSave: (body: StageWrite) => void;
  form: FormInstance<StageValues>;
}) {
  const { t } = useTranslation();
  const isPhone = !Grid.useBreakpoint().md;
  const fields = useDealFields();
  const kind = Form.useWatch('kind', form);
  const groups = ['deal', 'company', 'contact'] as const;

  return (
    <Modal
      open
      title={stage ? t('deals.stage.editTitle', { name: stage.name }) : t('deals.stage.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'stage-save' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={saving}
      width={isPhone ? '100%' : 640}
      destroyOnHidden
      data-testid="stage-modal"
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={stageValues(stage)}
        onFinish={(v) => onSave(stageBody(v, elsewhere))}
      >
        <Form.Item
          name="name"
          label={t('deals.stage.name')}
          rules={[{ required: true, whitespace: true, message: t('deals.stage.nameRequired') }]}
        >
          <Input data-testid="stage-name" maxLength={200} />
        </Form.Item>
        <Flex gap={12} wrap>
          <Form.Item
            name="probability"
            label={t('deals.stage.probability')}
            style={{ flex: '1 1 140px' }}
            rules={[{ required: true, type: 'integer', min: 0, max: 100 }]}
          >
            <InputNumber
              data-testid="stage-probability"
              min={0}
              max={100}
              precision={0}
              suffix="%"
              style={{ width: '100%' }}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('deals.stage.kind')} style={{ flex: '1 1 160px' }}>
            <Select
              data-testid="stage-kind"
              onChange={(next: Stage['kind']) =>
                form.setFieldValue(
                  'probability',
                  probabilityForKind(next, form.getFieldValue('probability') as number),
                )
              }
              options={STAGE_KINDS.map((k) => ({ value: k, label: t(`deals.stage.kinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            name="idle_days"
            label={t('deals.stage.idleDays')}
            tooltip={t('deals.stage.idleDaysHelp')}
            style={{ flex: '1 1 140px' }}
          >
            <InputNumber
              data-testid="stage-idle-days"
              min={1}
              max={3650}
              precision={0}
              placeholder={t('deals.stage.never')}
              style={{ width: '100%' }}
            />
          </Form.Item>
        </Flex>
        {kind === 'open' && (
          <Form.Item
            name="is_decision"
            label={t('deals.stage.isDecision')}
            tooltip={t('deals.stage.isDecisionHelp')}
            valuePropName="checked"
          >
            <Switch data-testid="stage-decision" />
          </Form.Item>
        )}
        <Form.Item
          name="required_fields"
          label={t('deals.stage.requiredFields')}
          tooltip={t('deals.stage.requiredFieldsHelp')}
        >
          <Select
            mode="multiple"
            allowClear
            data-testid="stage-required-fields"
            loading={fields.isPending}
            optionFilterProp="title"
            options={groups.map((group) => ({
              label: t(`deals.fieldGroups.${group}`),
              title: t(`deals.fieldGroups.${group}`),
              options: (fields.data ?? [])
                .filter((f) => f.group === group)
                .map((f) => ({
                  value: f.code,
                  title: f.label,
                  label: (
                    <span data-testid="gate-field-option" data-code={f.code}>
                      {f.label}
                    </span>
                  ),
                })),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('deals.stage.checklist')} tooltip={t('deals.stage.checklistHelp')}>
          <Form.List name="checklist">
            {(items, { add, remove }) => (
              <Flex vertical gap={8}>
                {items.map((item) => (
                  <Flex key={item.key} gap={8} align="start">
                    <Form.Item name={[item.name, 'code']} hidden>
                      <Input />
                    </Form.Item>
                    <Form.Item
                      name={[item.name, 'label']}
                      style={{ flex: 1, marginBottom: 0 }}
                      rules={[
                        {
                          required: true,
                          whitespace: true,
                          message: t('deals.stage.itemRequired'),
                        },
                      ]}
                    >
                      <Input data-testid="stage-checklist-label" maxLength={200} />
                    </Form.Item>
                    <Button
                      icon={<DeleteOutlined />}
                      aria-label={t('deals.stage.removeItem')}
                      onClick={() => remove(item.name)}
                    />
                  </Flex>
                ))}
                <Button
                  type="dashed"
                  icon={<PlusOutlined />}
                  data-testid="stage-checklist-add"
                  onClick={() => add({ label: '' })}
                >
                  {t('deals.stage.addItem')}
                </Button>
              </Flex>
            )}
          </Form.List>
        </Form.Item>
      </Form>
    </Modal>
  );
}
