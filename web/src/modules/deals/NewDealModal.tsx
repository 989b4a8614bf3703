import { Alert, App, Form, Grid, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { ClientPicker, MoneyInput } from './DealInputs';
import { dealsApi, useDealsMutation, type Deal, type DealCreate, type Pipeline } from './dealsApi';
import { fieldErrors, gateRefusal } from './gate';
import { parseMoney } from './money';

interface Values {
  title: string;
  amount?: string | null;
  company_id?: number | null;
  contact_id?: number | null;
  stage_id?: number;
}

/** A new deal in the chosen pipeline: title, amount, client and the stage to start in. */
export function NewDealModal({
  pipeline,
  onClose,
  onCreated,
}: {
  pipeline: Pipeline;
  onClose: () => void;
  onCreated: (deal: Deal) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<Values>();
  const openStages = pipeline.stages.filter((s) => s.kind === 'open');

  const create = useDealsMutation(
    (v: Values) => {
      const body: DealCreate = { title: v.title.trim(), pipeline_id: pipeline.id };
      const amount = parseMoney(v.amount);
      if (amount !== null) body.amount_minor = amount;
      if (v.company_id) body.company_id = v.company_id;
      if (v.contact_id) body.contact_id = v.contact_id;
      if (v.stage_id) body.stage_id = v.stage_id;
      return dealsApi.create(body);
    },
    {
      onSuccess: (deal) => {
        void message.success(t('deals.created', { title: deal.title }));
        onCreated(deal);
      },
      onError: (error) => {
        const fields = fieldErrors(error)
          .map((f) => ({ ...f, name: f.name === 'amount_minor' ? 'amount' : f.name }))
          .filter((f) =>
            ['title', 'amount', 'company_id', 'contact_id', 'stage_id'].includes(f.name),
          );
        if (fields.length) form.setFields(fields as never);
      },
    },
  );
  const refusal = gateRefusal(create.error);

  return (
    <Modal
      open
      title={t('deals.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('deals.create')}
      okButtonProps={{ 'data-testid': 'deal-create' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      width={isPhone ? '100%' : 560}
      destroyOnHidden
      data-testid="deal-new-modal"
    >
      {create.isError && (refusal || create.error.errors.length === 0) && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={errorMessage(create.error, t)}
          description={refusal?.items.map((i) => i.message).join(' ')}
        />
      )}
      <Form
        form={form}
        layout="vertical"
        initialValues={{ stage_id: openStages[0]?.id }}
        onFinish={(v) => create.mutate(v)}
      >
        <Form.Item
          name="title"
          label={t('deals.field.title')}
          rules={[{ required: true, whitespace: true, message: t('deals.titleRequired') }]}
        >
          <Input data-testid="deal-new-title" maxLength={300} autoFocus />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('deals.field.amount')}
          rules={[
            {
              validator: (_, v: string | null | undefined) =>
                v === null || v === undefined || v === '' || parseMoney(v) !== null
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('deals.amountInvalid'))),
            },
          ]}
        >
          <MoneyInput testId="deal-new-amount" currency="RUB" />
        </Form.Item>
        <Form.Item name="company_id" label={t('deals.field.company')}>
          <ClientPicker entity="companies" testId="deal-new-company" />
        </Form.Item>
        <Form.Item name="contact_id" label={t('deals.field.contact')}>
          <ClientPicker entity="contacts" testId="deal-new-contact" />
        </Form.Item>
        <Form.Item name="stage_id" label={t('deals.field.stage')} style={{ marginBottom: 0 }}>
          <Select
            data-testid="deal-new-stage"
            options={openStages.map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
