import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Divider,
  Form,
  Grid,
  Input,
  Modal,
  Radio,
  Select,
  Typography,
} from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { ApiError, Page } from '../../api';
import { errorMessage } from '../../api/errors';
import {
  CLIENTS_KEY,
  clientsApi,
  type Company,
  type Contact,
  type DuplicateMatch,
} from '../clients/clientsApi';
import { DuplicateWarnings } from '../clients/DuplicateWarnings';
import { duplicateQuery } from '../clients/duplicates';
import { useDebounced, useDuplicateCheck } from '../clients/useDuplicateCheck';
import { leadPoints, leadsApi, useLeadsMutation, type Conversion, type Lead } from './leadsApi';
import { conversionDefaults } from './priority';

interface Values {
  company_mode: 'new' | 'existing' | 'none';
  company_id?: number;
  company: { name: string; inn?: string };
  contact_mode: 'new' | 'existing';
  contact_id?: number;
  contact: { last_name?: string; first_name?: string; middle_name?: string };
  position?: string;
}

/** Picks an existing company or contact by name (server-side search on the list endpoint). */
function ClientPicker({
  entity,
  value,
  onChange,
  testId,
  extra,
}: {
  entity: 'companies' | 'contacts';
  value?: number;
  onChange?: (id: number) => void;
  testId: string;
  extra?: { value: number; label: string }[];
}) {
  const [q, setQ] = useState('');
  const debounced = useDebounced(q, 300);
  const found = useQuery<Page<Company | Contact>, ApiError>({
    queryKey: [...CLIENTS_KEY, entity, 'pick', debounced],
    queryFn: () => clientsApi.list<Company | Contact>(entity, debounced ? { q: debounced } : {}),
  });
  const options = new Map<number, string>();
  for (const o of extra ?? []) options.set(o.value, o.label);
  for (const item of found.data?.items ?? [])
    options.set(item.id, 'name' in item ? item.name : item.full_name);
  return (
    <Select<number>
      data-testid={testId}
      showSearch
      filterOption={false}
      onSearch={setQ}
      loading={found.isFetching}
      value={value}
      onChange={onChange}
      options={[...options].map(([v, label]) => ({ value: v, label }))}
    />
  );
}

/** Turns a lead into a client: a new or existing company and contact, pre-filled from the lead. */
export function ConvertModal({ lead, onClose }: { lead: Lead; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<Values>();
  const defaults = conversionDefaults(lead);
  const duplicates = useDuplicateCheck(
    duplicateQuery({
      phones: leadPoints(lead, 'phone').map((p) => p.raw || p.value),
      emails: leadPoints(lead, 'email').map((p) => p.value),
      inn: defaults.company.inn,
      name: defaults.company.name,
    }),
  );
  const matches = duplicates.data?.filter((m) => m.type !== 'lead');
  const companyMode = Form.useWatch('company_mode', form);
  const contactMode = Form.useWatch('contact_mode', form);
  const [picked, setPicked] = useState<{ value: number; label: string }[]>([]);

  const takeMatch = (m: DuplicateMatch) => {
    if (m.id === undefined) return;
    setPicked((old) => [...old, { value: m.id!, label: m.title ?? '' }]);
    if (m.type === 'company') form.setFieldsValue({ company_mode: 'existing', company_id: m.id });
    else form.setFieldsValue({ contact_mode: 'existing', contact_id: m.id });
  };

  const convert = useLeadsMutation(
    (v: Values) => {
      const body: Conversion = {};
      if (v.company_mode === 'existing') body.company_id = v.company_id;
      else if (v.company_mode === 'new')
        body.company = {
          name: v.company.name.trim(),
          ...(v.company.inn?.trim() ? { inn: v.company.inn.trim() } : {}),
        };
      if (v.contact_mode === 'existing') body.contact_id = v.contact_id;
      else {
        // Empty name parts: the server takes the name from the lead.
        const contact: NonNullable<Conversion['contact']> = {};
        for (const part of ['last_name', 'first_name', 'middle_name'] as const) {
          const value = v.contact?.[part]?.trim();
          if (value) contact[part] = value;
        }
        body.contact = contact;
      }
      if (v.position?.trim()) body.position = v.position.trim();
      return leadsApi.convert(lead.id, body);
    },
    {
      onSuccess: (result) => {
        void message.success(t('leads.converted'));
        onClose();
        if (result.company_id) navigate(`/clients/companies/${result.company_id}`);
        else if (result.contact_id) navigate(`/clients/contacts/${result.contact_id}`);
      },
      onError: (error) => {
        const fields = error.errors.map((e) => ({
          name: e.field.split('.') as never,
          errors: [e.message],
        }));
        if (fields.length) form.setFields(fields);
      },
    },
  );

  return (
    <Modal
      open
      title={t('leads.convertTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('leads.convert')}
      okButtonProps={{ 'data-testid': 'convert-confirm' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={convert.isPending}
      width={isPhone ? '100%' : 600}
      destroyOnHidden
    >
      <DuplicateWarnings
        matches={matches}
        extra={(m) =>
          m.id !== undefined && (
            <Button size="small" data-testid="use-match" onClick={() => takeMatch(m)}>
              {t('leads.useThis')}
            </Button>
          )
        }
      />
      {convert.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={<span data-testid="convert-error">{errorMessage(convert.error, t)}</span>}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => convert.mutate(v)}
        initialValues={{
          company_mode: defaults.company.name ? 'new' : 'none',
          company: { name: defaults.company.name, inn: defaults.company.inn },
          contact_mode: 'new',
          contact: {},
        }}
      >
        <Typography.Title level={5}>{t('leads.field.company')}</Typography.Title>
        <Form.Item name="company_mode">
          <Radio.Group
            data-testid="convert-company-mode"
            options={[
              { value: 'new', label: t('leads.newRecord') },
              { value: 'existing', label: t('leads.existingRecord') },
              { value: 'none', label: t('leads.noCompany') },
            ]}
          />
        </Form.Item>
        {companyMode === 'new' && (
          <>
            <Form.Item
              name={['company', 'name']}
              label={t('clients.field.name')}
              rules={[{ required: true, whitespace: true, message: t('clients.nameRequired') }]}
            >
              <Input data-testid="convert-company-name" maxLength={300} />
            </Form.Item>
            <Form.Item name={['company', 'inn']} label={t('clients.field.inn')}>
              <Input data-testid="convert-company-inn" maxLength={12} inputMode="numeric" />
            </Form.Item>
          </>
        )}
        {companyMode === 'existing' && (
          <Form.Item
            name="company_id"
            label={t('leads.pickCompany')}
            rules={[{ required: true, message: t('leads.pickRequired') }]}
          >
            <ClientPicker entity="companies" testId="convert-company-pick" extra={picked} />
          </Form.Item>
        )}
        <Divider />
        <Typography.Title level={5}>{t('leads.field.contact')}</Typography.Title>
        <Form.Item name="contact_mode">
          <Radio.Group
            options={[
              { value: 'new', label: t('leads.newRecord') },
              { value: 'existing', label: t('leads.existingRecord') },
            ]}
          />
        </Form.Item>
        {contactMode === 'existing' ? (
          <Form.Item
            name="contact_id"
            label={t('leads.pickContact')}
            rules={[{ required: true, message: t('leads.pickRequired') }]}
          >
            <ClientPicker entity="contacts" testId="convert-contact-pick" extra={picked} />
          </Form.Item>
        ) : (
          <>
            {defaults.contactName && (
              <Typography.Paragraph type="secondary" data-testid="convert-contact-hint">
                {t('leads.contactNameHint', { name: defaults.contactName })}
              </Typography.Paragraph>
            )}
            <Form.Item name={['contact', 'last_name']} label={t('clients.field.last_name')}>
              <Input data-testid="convert-contact-last-name" maxLength={200} />
            </Form.Item>
            <Form.Item name={['contact', 'first_name']} label={t('clients.field.first_name')}>
              <Input data-testid="convert-contact-first-name" maxLength={200} />
            </Form.Item>
            <Form.Item name={['contact', 'middle_name']} label={t('clients.field.middle_name')}>
              <Input maxLength={200} />
            </Form.Item>
          </>
        )}
        {companyMode !== 'none' && (
          <Form.Item name="position" label={t('leads.positionLabel')}>
            <Input maxLength={200} />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
