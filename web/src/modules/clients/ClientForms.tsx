import { useState } from 'react';
import {
  Alert,
  Button,
  Col,
  Divider,
  Drawer,
  Form,
  Grid,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import {
  clientsApi,
  useClientsMutation,
  useCustomFields,
  type Company,
  type Contact,
} from './clientsApi';
import {
  companyBody,
  companyValues,
  contactBody,
  contactValues,
  type CompanyValues,
  type ContactValues,
} from './clientForm';
import { ContactPointsItems } from './ContactPointsItems';
import { CustomFieldItems } from './CustomFieldItems';
import { DuplicateWarnings } from './DuplicateWarnings';
import { duplicateQuery } from './duplicates';
import { applyServerErrors } from './formErrors';
import { FINANCIAL_STATES, LEGAL_FORMS, PAYMENT_DISCIPLINES } from './options';
import { usePeople } from './people';
import { useDuplicateCheck } from './useDuplicateCheck';

function choice(t: (k: string) => string, group: string, values: readonly string[]) {
  return [
    { value: '', label: t('clients.choice.unknown') },
    ...values.map((v) => ({ value: v, label: t(`clients.choice.${group}.${v}`) })),
  ];
}

function OwnerItem() {
  const { t } = useTranslation();
  const people = usePeople();
  return (
    <Form.Item name="owner_user_id" label={t('clients.field.owner')}>
      <Select
        allowClear
        showSearch
        optionFilterProp="label"
        loading={people.isPending}
        options={(people.data ?? []).map((p) => ({ value: p.user_id, label: p.full_name }))}
      />
    </Form.Item>
  );
}

function Footer({
  onCancel,
  onSave,
  saving,
}: {
  onCancel: () => void;
  onSave: () => void;
  saving: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Space style={{ float: 'right' }}>
      <Button onClick={onCancel}>{t('common.cancel')}</Button>
      <Button type="primary" loading={saving} onClick={onSave} data-testid="client-save">
        {t('common.save')}
      </Button>
    </Space>
  );
}

/** Create or edit a company; the server's field errors land under their inputs. */
export function CompanyFormDrawer({
  company,
  onClose,
  onSaved,
}: {
  company: Company | null;
  onClose: () => void;
  onSaved?: (company: Company) => void;
}) {
  const { t } = useTranslation();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<CompanyValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const customFields = useCustomFields('company');
  const phones = Form.useWatch('phones', form);
  const emails = Form.useWatch('emails', form);
  const inn = Form.useWatch('inn', form);
  const name = Form.useWatch('name', form);
  const duplicates = useDuplicateCheck(
    duplicateQuery({
      phones: phones?.map((p) => p?.raw),
      emails: emails?.map((p) => p?.raw),
      inn,
      name: company ? undefined : name,
    }),
    company?.id,
  );
  const save = useClientsMutation(
    (v: CompanyValues) =>
      company
        ? clientsApi.updateCompany(company.id, companyBody(v))
        : clientsApi.createCompany(companyBody(v)),
    {
      onSuccess: (saved) => onSaved?.(saved),
      onError: (error) => setUnplaced(applyServerErrors(form, error)),
    },
  );
  return (
    <Drawer
      open
      onClose={onClose}
      width={isPhone ? '100%' : 720}
      title={company ? t('clients.editCompany', { name: company.name }) : t('clients.newCompany')}
      extra={<Footer onCancel={onClose} onSave={() => form.submit()} saving={save.isPending} />}
      data-testid="company-form-drawer"
      destroyOnHidden
    >
      <DuplicateWarnings matches={duplicates.data} />
      {save.isError && (unplaced.length > 0 || save.error.errors.length === 0) && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={
            <span data-testid="client-form-error">
              {[errorMessage(save.error, t), ...unplaced].join(' ')}
            </span>
          }
        />
      )}
      <Form<CompanyValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={companyValues(company)}
        onFinish={(v) => {
          setUnplaced([]);
          save.mutate(v);
        }}
        data-testid="company-form"
      >
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="legal_form" label={t('clients.field.legal_form')}>
              <Select options={choice(t, 'legal_form', LEGAL_FORMS)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={16}>
            <Form.Item
              name="name"
              label={t('clients.field.name')}
              rules={[{ required: true, whitespace: true, message: t('clients.nameRequired') }]}
            >
              <Input data-testid="company-name" maxLength={300} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="full_name" label={t('clients.field.full_name_company')}>
          <Input maxLength={500} />
        </Form.Item>
        <ContactPointsItems kind="phones" />
        <ContactPointsItems kind="emails" />
        <Form.Item name="website" label={t('clients.field.website')}>
          <Input maxLength={300} />
        </Form.Item>
        <Divider orientation="left">{t('clients.group.requisites')}</Divider>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="inn" label={t('clients.field.inn')}>
              <Input data-testid="company-inn" maxLength={12} inputMode="numeric" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="kpp" label={t('clients.field.kpp')}>
              <Input data-testid="company-kpp" maxLength={9} inputMode="numeric" />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="ogrn" label={t('clients.field.ogrn')}>
              <Input data-testid="company-ogrn" maxLength={15} inputMode="numeric" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="legal_address" label={t('clients.field.legal_address')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Form.Item name="actual_address" label={t('clients.field.actual_address')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        <Divider orientation="left">{t('clients.group.bank')}</Divider>
        <Row gutter={12}>
          <Col xs={24} md={12}>
            <Form.Item name={['bank_details', 'bank_name']} label={t('clients.field.bank_name')}>
              <Input maxLength={300} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={['bank_details', 'bik']} label={t('clients.field.bik')}>
              <Input data-testid="company-bik" maxLength={9} inputMode="numeric" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name={['bank_details', 'account']} label={t('clients.field.account')}>
              <Input maxLength={20} inputMode="numeric" />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item
              name={['bank_details', 'corr_account']}
              label={t('clients.field.corr_account')}
            >
              <Input maxLength={20} inputMode="numeric" />
            </Form.Item>
          </Col>
        </Row>
        <Divider orientation="left">{t('clients.group.business')}</Divider>
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="financial_state" label={t('clients.field.financial_state')}>
              <Select options={choice(t, 'financial_state', FINANCIAL_STATES)} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="purchase_volume" label={t('clients.field.purchase_volume')}>
              <InputNumber min={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="payment_discipline" label={t('clients.field.payment_discipline')}>
              <Select options={choice(t, 'payment_discipline', PAYMENT_DISCIPLINES)} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="preferences" label={t('clients.field.preferences')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="notes" label={t('clients.field.notes')}>
          <Input.TextArea rows={3} maxLength={10000} />
        </Form.Item>
        <Form.Item name="tags" label={t('clients.field.tags')}>
          <Select mode="tags" tokenSeparators={[',']} open={false} />
        </Form.Item>
        <OwnerItem />
        {(customFields.data?.length ?? 0) > 0 && (
          <>
            <Divider orientation="left">{t('clients.group.custom')}</Divider>
            <CustomFieldItems fields={customFields.data!} />
          </>
        )}
      </Form>
    </Drawer>
  );
}

/** Create or edit a person. */
export function ContactFormDrawer({
  contact,
  onClose,
  onSaved,
}: {
  contact: Contact | null;
  onClose: () => void;
  onSaved?: (contact: Contact) => void;
}) {
  const { t } = useTranslation();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<ContactValues>();
  const [unplaced, setUnplaced] = useState<string[]>([]);
  const customFields = useCustomFields('contact');
  const phones = Form.useWatch('phones', form);
  const emails = Form.useWatch('emails', form);
  const duplicates = useDuplicateCheck(
    duplicateQuery({ phones: phones?.map((p) => p?.raw), emails: emails?.map((p) => p?.raw) }),
    contact?.id,
  );
  const save = useClientsMutation(
    (v: ContactValues) =>
      contact
        ? clientsApi.updateContact(contact.id, contactBody(v))
        : clientsApi.createContact(contactBody(v)),
    {
      onSuccess: (saved) => onSaved?.(saved),
      onError: (error) => setUnplaced(applyServerErrors(form, error)),
    },
  );
  return (
    <Drawer
      open
      onClose={onClose}
      width={isPhone ? '100%' : 640}
      title={
        contact ? t('clients.editContact', { name: contact.full_name }) : t('clients.newContact')
      }
      extra={<Footer onCancel={onClose} onSave={() => form.submit()} saving={save.isPending} />}
      data-testid="contact-form-drawer"
      destroyOnHidden
    >
      <DuplicateWarnings matches={duplicates.data} />
      {save.isError && (unplaced.length > 0 || save.error.errors.length === 0) && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={
            <span data-testid="client-form-error">
              {[errorMessage(save.error, t), ...unplaced].join(' ')}
            </span>
          }
        />
      )}
      <Form<ContactValues>
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={contactValues(contact)}
        onFinish={(v) => {
          setUnplaced([]);
          save.mutate(v);
        }}
      >
        <Row gutter={12}>
          <Col xs={24} md={8}>
            <Form.Item name="last_name" label={t('clients.field.last_name')}>
              <Input data-testid="contact-last-name" maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item
              name="first_name"
              label={t('clients.field.first_name')}
              rules={[{ required: true, whitespace: true, message: t('clients.nameRequired') }]}
            >
              <Input data-testid="contact-first-name" maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="middle_name" label={t('clients.field.middle_name')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
        </Row>
        <ContactPointsItems kind="phones" />
        <ContactPointsItems kind="emails" />
        <Form.Item
          name="birthday"
          label={t('clients.field.birthday')}
          extra={t('clients.birthdayHint')}
        >
          <Input maxLength={10} placeholder="1985-04-12" />
        </Form.Item>
        <Form.Item name="preferences" label={t('clients.field.preferences')}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
        <Form.Item name="notes" label={t('clients.field.notes')}>
          <Input.TextArea rows={3} maxLength={10000} />
        </Form.Item>
        <Form.Item name="tags" label={t('clients.field.tags')}>
          <Select mode="tags" tokenSeparators={[',']} open={false} />
        </Form.Item>
        <OwnerItem />
        {(customFields.data?.length ?? 0) > 0 && (
          <>
            <Typography.Title level={5}>{t('clients.group.custom')}</Typography.Title>
            <CustomFieldItems fields={customFields.data!} />
          </>
        )}
      </Form>
    </Drawer>
  );
}
