import { Alert, App, Form, Grid, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { DuplicateWarnings } from '../clients/DuplicateWarnings';
import { duplicateQuery } from '../clients/duplicates';
import { useDuplicateCheck } from '../clients/useDuplicateCheck';
import { leadFormField, type LeadFormValues as Values } from './leadForm';
import { leadsApi, useLeadsMutation, type Lead, type LeadCreate } from './leadsApi';

/** Manual entry of a lead (a call to the office, a walk-in) with live duplicate warnings. */
export function NewLeadModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: (lead: Lead) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<Values>();
  const phone = Form.useWatch('phone', form);
  const email = Form.useWatch('email', form);
  const inn = Form.useWatch('inn', form);
  const companyName = Form.useWatch('company_name', form);
  const duplicates = useDuplicateCheck(
    duplicateQuery({ phones: [phone], emails: [email], inn, name: companyName }),
  );

  const create = useLeadsMutation(
    (v: Values) => {
      const trim = (s?: string) => s?.trim() || undefined;
      const body: LeadCreate = {
        title: trim(v.title),
        request_text: trim(v.request_text),
        contact_name: trim(v.contact_name),
        company_name: trim(v.company_name),
        inn: trim(v.inn),
        campaign: trim(v.campaign),
        phones: trim(v.phone) ? [v.phone!.trim()] : undefined,
        emails: trim(v.email) ? [v.email!.trim()] : undefined,
      };
      return leadsApi.create(body);
    },
    {
      onSuccess: (created) => {
        if (created.attached) void message.info(t('leads.attached'));
        else if (created.duplicates.length)
          void message.warning(
            t('leads.createdWithDuplicates', { count: created.duplicates.length }),
          );
        else void message.success(t('leads.created'));
        onCreated(created.lead);
      },
      onError: (error) => {
        const fields = error.errors
          .map((e) => ({ name: leadFormField(e.field), errors: [e.message] }))
          .filter((f): f is { name: keyof Values; errors: string[] } => f.name !== null);
        if (fields.length) form.setFields(fields);
      },
    },
  );

  return (
    <Modal
      open
      title={t('leads.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('leads.create')}
      okButtonProps={{ 'data-testid': 'lead-save' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={create.isPending}
      width={isPhone ? '100%' : 600}
      destroyOnHidden
    >
      <DuplicateWarnings matches={duplicates.data} />
      {create.isError && create.error.errors.length === 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={<span data-testid="lead-form-error">{errorMessage(create.error, t)}</span>}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        data-testid="lead-form"
        onFinish={(v) => {
          if (!v.phone?.trim() && !v.email?.trim()) {
            form.setFields([{ name: 'phone', errors: [t('leads.phoneOrEmail')] }]);
            return;
          }
          create.mutate(v);
        }}
      >
        <Form.Item name="contact_name" label={t('leads.field.contact_name')}>
          <Input data-testid="lead-contact-name" maxLength={200} autoFocus />
        </Form.Item>
        <Form.Item name="phone" label={t('leads.field.phone')}>
          <Input data-testid="lead-phone" maxLength={50} inputMode="tel" />
        </Form.Item>
        <Form.Item
          name="email"
          label={t('leads.field.email')}
          rules={[{ type: 'email', message: t('leads.emailInvalid') }]}
        >
          <Input data-testid="lead-email" maxLength={254} inputMode="email" />
        </Form.Item>
        <Form.Item name="company_name" label={t('leads.field.company_name')}>
          <Input data-testid="lead-company-name" maxLength={300} />
        </Form.Item>
        <Form.Item name="inn" label={t('leads.field.inn')}>
          <Input data-testid="lead-inn" maxLength={12} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="title" label={t('leads.field.title')}>
          <Input data-testid="lead-title-input" maxLength={300} />
        </Form.Item>
        <Form.Item name="request_text" label={t('leads.field.request_text')}>
          <Input.TextArea data-testid="lead-request-text" rows={3} maxLength={10000} />
        </Form.Item>
        <Form.Item name="campaign" label={t('leads.col.campaign')}>
          <Input maxLength={200} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
