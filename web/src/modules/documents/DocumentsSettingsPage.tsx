import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Flex,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { fieldErrors } from '../deals/gate';
import {
  MAX_LOGO_BYTES,
  documentsApi,
  logoUrl,
  useDocumentSettings,
  useDocumentsMutation,
  useTemplates,
  type DocumentSettingsWrite,
  type ProposalTemplate,
  type ProposalTemplateWrite,
} from './documentsApi';
import { MailTemplatesTab } from './MailTemplatesTab';

/** The requisite fields in the order the form shows them; the long ones take a whole row. */
const REQUISITES: { name: keyof DocumentSettingsWrite; wide?: boolean }[] = [
  { name: 'legal_name', wide: true },
  { name: 'inn' },
  { name: 'kpp' },
  { name: 'ogrn' },
  { name: 'address', wide: true },
  { name: 'bank_name', wide: true },
  { name: 'bik' },
  { name: 'account' },
  { name: 'corr_account' },
  { name: 'phone' },
  { name: 'email' },
  { name: 'website' },
  { name: 'signer_title' },
  { name: 'signer_name' },
];

function RequisitesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useDocumentSettings();
  const [form] = Form.useForm<DocumentSettingsWrite>();
  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);
  const save = useDocumentsMutation(
    (v: DocumentSettingsWrite) => {
      const body: DocumentSettingsWrite = {};
      for (const { name } of REQUISITES) body[name] = (v[name] ?? '').trim();
      return documentsApi.saveSettings(body);
    },
    {
      onSuccess: () => void message.success(t('documents.settings.saved')),
      onError: (error) => {
        const fields = fieldErrors(error);
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  const uploadLogo = useDocumentsMutation((file: File) => documentsApi.uploadLogo(file), {
    onSuccess: () => void message.success(t('documents.settings.logoSaved')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const removeLogo = useDocumentsMutation(() => documentsApi.removeLogo(), {
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const logo = logoUrl(settings.data);

  if (settings.isError)
    return <Alert type="error" showIcon message={errorMessage(settings.error, t)} />;
  return (
    <Flex vertical gap={24} style={{ maxWidth: 820 }}>
      <Flex vertical gap={8}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('documents.settings.logo')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('documents.settings.logoHint')}</Typography.Text>
        <Flex gap={16} align="center" wrap>
          {logo ? (
            <Image src={logo} height={60} preview={false} data-testid="documents-logo" alt="" />
          ) : (
            <Typography.Text type="secondary">{t('documents.settings.noLogo')}</Typography.Text>
          )}
          <Upload
            accept="image/png"
            showUploadList={false}
            beforeUpload={(file) => {
              if (file.size > MAX_LOGO_BYTES)
                void message.error(t('documents.settings.logoTooBig'));
              else uploadLogo.mutate(file);
              return false;
            }}
          >
            <Button
              icon={<UploadOutlined />}
              loading={uploadLogo.isPending}
              data-testid="documents-logo-upload"
            >
              {logo ? t('documents.settings.replaceLogo') : t('documents.settings.uploadLogo')}
            </Button>
          </Upload>
          {logo && (
            <Button
              danger
              type="link"
              loading={removeLogo.isPending}
              onClick={() => removeLogo.mutate(undefined)}
            >
              {t('documents.settings.removeLogo')}
            </Button>
          )}
        </Flex>
      </Flex>
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) => save.mutate(v)}
        disabled={settings.isPending}
      >
        <Flex gap={12} wrap>
          {REQUISITES.map(({ name, wide }) => (
            <Form.Item
              key={name}
              name={name}
              label={t(`documents.settings.field.${name}`)}
              style={{ flex: wide ? '1 1 100%' : '1 1 240px', marginBottom: 12 }}
            >
              <Input data-testid={`requisite-${name}`} maxLength={500} />
            </Form.Item>
          ))}
        </Flex>
        <Button
          type="primary"
          htmlType="submit"
          loading={save.isPending}
          data-testid="requisites-save"
        >
          {t('common.save')}
        </Button>
      </Form>
    </Flex>
  );
}

function TemplateModal({
  template,
  placeholders,
  onClose,
}: {
  template: ProposalTemplate | null;
  placeholders: string[];
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ProposalTemplateWrite>();
  const save = useDocumentsMutation(
    (v: ProposalTemplateWrite) =>
      template ? documentsApi.updateTemplate(template.id, v) : documentsApi.createTemplate(v),
    {
      onSuccess: () => {
        void message.success(t('documents.templates.saved'));
        onClose();
      },
      onError: (error) => {
        const fields = fieldErrors(error);
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  return (
    <Modal
      open
      width={720}
      title={template ? t('documents.templates.edit') : t('documents.templates.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'template-save' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          name: template?.name ?? '',
          intro_text: template?.intro_text ?? '',
          terms_text: template?.terms_text ?? '',
          validity_days: template?.validity_days ?? 14,
        }}
        onFinish={(v) => save.mutate(v)}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="name"
            label={t('documents.templates.name')}
            style={{ flex: '1 1 300px' }}
            rules={[
              { required: true, whitespace: true, message: t('documents.templates.nameRequired') },
            ]}
          >
            <Input data-testid="template-name" maxLength={200} />
          </Form.Item>
          <Form.Item
            name="validity_days"
            label={t('documents.templates.validityDays')}
            style={{ flex: '0 0 160px' }}
          >
            <InputNumber
              min={1}
              max={365}
              style={{ width: '100%' }}
              data-testid="template-validity"
            />
          </Form.Item>
        </Flex>
        <Form.Item name="intro_text" label={t('documents.templates.intro')}>
          <Input.TextArea data-testid="template-intro" autoSize={{ minRows: 4, maxRows: 12 }} />
        </Form.Item>
        <Form.Item name="terms_text" label={t('documents.templates.terms')}>
          <Input.TextArea data-testid="template-terms" autoSize={{ minRows: 3, maxRows: 12 }} />
        </Form.Item>
      </Form>
      <Typography.Text type="secondary">{t('documents.templates.placeholders')}</Typography.Text>
      <Flex wrap gap={4} style={{ marginTop: 4 }}>
        {placeholders.map((p) => (
          <Tag key={p}>
            <Typography.Text code copyable={{ text: `{{${p}}}` }}>{`{{${p}}}`}</Typography.Text>
          </Tag>
        ))}
      </Flex>
    </Modal>
  );
}

function TemplatesTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const templates = useTemplates(true);
  const [editing, setEditing] = useState<ProposalTemplate | 'new' | null>(null);
  const archive = useDocumentsMutation(
    (v: { id: number; archived: boolean }) =>
      documentsApi.updateTemplate(v.id, { archived: v.archived }),
    { onError: (error) => void message.error(errorMessage(error, t)) },
  );
  const columns: ColumnsType<ProposalTemplate> = [
    {
      key: 'name',
      title: t('documents.templates.name'),
      render: (_, tpl) => (
        <Space>
          <Typography.Text data-testid="template-row-name">{tpl.name}</Typography.Text>
          {tpl.archived_at !== null && <Tag>{t('documents.templates.archived')}</Tag>}
        </Space>
      ),
    },
    { key: 'days', title: t('documents.templates.validityDays'), dataIndex: 'validity_days' },
    {
      key: 'actions',
      render: (_, tpl) => (
        <Space>
          <Button size="small" type="link" onClick={() => setEditing(tpl)}>
            {t('documents.templates.editShort')}
          </Button>
          {tpl.archived_at === null ? (
            <Popconfirm
              title={t('documents.templates.archiveConfirm')}
              okText={t('documents.templates.archive')}
              cancelText={t('common.cancel')}
              onConfirm={() => archive.mutate({ id: tpl.id, archived: true })}
            >
              <Button size="small" type="link" danger>
                {t('documents.templates.archive')}
              </Button>
            </Popconfirm>
          ) : (
            <Button
              size="small"
              type="link"
              onClick={() => archive.mutate({ id: tpl.id, archived: false })}
            >
              {t('documents.templates.restore')}
            </Button>
          )}
        </Space>
      ),
    },
  ];
  return (
    <Flex vertical gap={12} style={{ maxWidth: 820 }}>
      <div>
        <Button
          icon={<PlusOutlined />}
          type="primary"
          data-testid="template-new"
          onClick={() => setEditing('new')}
        >
          {t('documents.templates.new')}
        </Button>
      </div>
      {templates.isError && (
        <Alert type="error" showIcon message={errorMessage(templates.error, t)} />
      )}
      <Table<ProposalTemplate>
        data-testid="templates-table"
        rowKey="id"
        size="small"
        pagination={false}
        loading={templates.isPending}
        columns={columns}
        dataSource={templates.data?.items ?? []}
      />
      {editing !== null && (
        <TemplateModal
          template={editing === 'new' ? null : editing}
          placeholders={templates.data?.placeholders ?? []}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}

/** Documents settings: the requisites and logo printed on proposals and invoices, and the proposal templates. */
export default function DocumentsSettingsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const sub = useParams()['*'];
  const tab = sub === 'templates' || sub === 'mail' ? sub : 'requisites';
  return (
    <Flex vertical gap={8}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('documents.settings.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('documents.settings.who')}</Typography.Text>
      <Tabs
        activeKey={tab}
        onChange={(key) =>
          navigate(key === 'requisites' ? '/documents/settings' : `/documents/settings/${key}`)
        }
        items={[
          {
            key: 'requisites',
            label: t('documents.settings.requisites'),
            children: <RequisitesTab />,
          },
          { key: 'templates', label: t('documents.templates.tab'), children: <TemplatesTab /> },
          { key: 'mail', label: t('documentEmail.templates.tab'), children: <MailTemplatesTab /> },
        ]}
      />
    </Flex>
  );
}
