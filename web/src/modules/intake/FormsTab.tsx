import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { CopyOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { applyServerErrors } from '../clients/formErrors';
import { usePeople } from '../clients/people';
import {
  INTAKE_KEY,
  intakeApi,
  parseOrigins,
  useIntakeMutation,
  type IntakeForm,
  type IntakeFormInput,
  type Snippet,
} from './intakeApi';

/** "Code for your site": the snippet to paste, with a copy button. */
export function SnippetPanel({ form }: { form: IntakeForm }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const snippet = useQuery<Snippet, ApiError>({
    queryKey: [...INTAKE_KEY, 'snippet', form.id, form.public_key],
    queryFn: () => intakeApi.snippet(form.id),
  });
  if (snippet.isPending) return <Skeleton active />;
  if (snippet.isError)
    return <Alert type="error" showIcon message={errorMessage(snippet.error, t)} />;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(snippet.data.html);
      void message.success(t('intake.copied'));
    } catch {
      void message.warning(t('intake.copyFailed'));
    }
  };
  return (
    <Flex vertical gap={8} data-testid="snippet-panel">
      <Typography.Text type="secondary">{t('intake.snippetHelp')}</Typography.Text>
      <Input.TextArea
        readOnly
        value={snippet.data.html}
        autoSize={{ minRows: 4, maxRows: 14 }}
        style={{ fontFamily: 'monospace', fontSize: 12 }}
        data-testid="snippet-code"
        onFocus={(e) => e.currentTarget.select()}
      />
      <Space wrap>
        <Button
          icon={<CopyOutlined />}
          type="primary"
          onClick={() => void copy()}
          data-testid="snippet-copy"
        >
          {t('intake.copy')}
        </Button>
        <Typography.Text type="secondary" copyable={{ text: snippet.data.script_url }}>
          {snippet.data.script_url}
        </Typography.Text>
      </Space>
      {form.allowed_origins.length === 0 && (
        <Alert type="warning" showIcon message={t('intake.noOrigins')} />
      )}
    </Flex>
  );
}

interface Values {
  name: string;
  allowed_origins: string[];
  honeypot_field: string;
  rate_per_ip_per_min: number;
  rate_per_key_per_min: number;
  campaign: string;
  success_url: string;
  default_owner_user_id: number | null;
  active: boolean;
}

function FormDrawer({ form: existing, onClose }: { form: IntakeForm | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<Values>();
  const people = usePeople();
  const [saved, setSaved] = useState<IntakeForm | null>(existing);
  const save = useIntakeMutation(
    (v: Values) => {
      const body: IntakeFormInput = {
        ...v,
        name: v.name.trim(),
        campaign: v.campaign?.trim() ?? '',
        success_url: v.success_url?.trim() ?? '',
        honeypot_field: v.honeypot_field?.trim() ?? '',
        allowed_origins: parseOrigins(v.allowed_origins ?? []).origins,
      };
      return saved ? intakeApi.updateForm(saved.id, body) : intakeApi.createForm(body);
    },
    {
      onSuccess: (f) => {
        setSaved(f);
        form.setFieldsValue({ allowed_origins: f.allowed_origins });
        void message.success(t('intake.formSaved'));
      },
      onError: (error) => applyServerErrors(form, error),
    },
  );
  const rotate = useIntakeMutation(() => intakeApi.rotateKey(saved!.id), {
    onSuccess: (f) => {
      setSaved(f);
      void message.success(t('intake.keyRotated'));
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  return (
    <Drawer
      open
      onClose={onClose}
      width={isPhone ? '100%' : 680}
      title={saved ? saved.name : t('intake.newForm')}
      data-testid="intake-form-drawer"
      extra={
        <Space>
          <Button onClick={onClose} data-testid="intake-form-close">
            {t('intake.close')}
          </Button>
          <Button
            type="primary"
            loading={save.isPending}
            onClick={() => form.submit()}
            data-testid="intake-form-save"
          >
            {t('common.save')}
          </Button>
        </Space>
      }
      destroyOnHidden
    >
      {save.isError && save.error.errors.length === 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={errorMessage(save.error, t)}
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => save.mutate(v)}
        initialValues={{
          name: existing?.name ?? '',
          allowed_origins: existing?.allowed_origins ?? [],
          honeypot_field: existing?.honeypot_field ?? 'website',
          rate_per_ip_per_min: existing?.rate_per_ip_per_min ?? 10,
          rate_per_key_per_min: existing?.rate_per_key_per_min ?? 600,
          campaign: existing?.campaign ?? '',
          success_url: existing?.success_url ?? '',
          default_owner_user_id: existing?.default_owner_user_id ?? null,
          active: existing?.active ?? true,
        }}
      >
        <Form.Item
          name="name"
          label={t('intake.field.name')}
          rules={[{ required: true, whitespace: true, message: t('intake.nameRequired') }]}
        >
          <Input data-testid="intake-form-name" maxLength={200} />
        </Form.Item>
        <Form.Item
          name="allowed_origins"
          label={t('intake.field.allowed_origins')}
          extra={t('intake.originsHint')}
          rules={[
            {
              validator: async (_, value: string[] | undefined) => {
                const { invalid } = parseOrigins(value ?? []);
                if (invalid.length)
                  throw new Error(t('intake.originsInvalid', { list: invalid.join(', ') }));
              },
            },
          ]}
        >
          <Select
            mode="tags"
            open={false}
            tokenSeparators={[' ', ',']}
            data-testid="intake-form-origins"
            placeholder="https://example.ru"
          />
        </Form.Item>
        <Space wrap size={16}>
          <Form.Item name="rate_per_ip_per_min" label={t('intake.field.rate_ip')}>
            <InputNumber min={1} max={10000} />
          </Form.Item>
          <Form.Item name="rate_per_key_per_min" label={t('intake.field.rate_key')}>
            <InputNumber min={1} max={100000} />
          </Form.Item>
          <Form.Item name="honeypot_field" label={t('intake.field.honeypot')}>
            <Input maxLength={50} style={{ width: 160 }} />
          </Form.Item>
        </Space>
        <Form.Item name="campaign" label={t('intake.field.campaign')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="success_url"
          label={t('intake.field.success_url')}
          extra={t('intake.successHint')}
        >
          <Input maxLength={1000} placeholder="https://example.ru/thanks" />
        </Form.Item>
        <Form.Item name="default_owner_user_id" label={t('intake.field.owner')}>
          <Select
            allowClear
            showSearch
            optionFilterProp="label"
            options={(people.data ?? []).map((p) => ({ value: p.user_id, label: p.full_name }))}
          />
        </Form.Item>
        <Form.Item name="active" label={t('intake.field.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
      {saved && (
        <>
          <Typography.Title level={5}>{t('intake.snippetTitle')}</Typography.Title>
          <SnippetPanel form={saved} />
          <Flex gap={8} align="center" style={{ marginTop: 16 }} wrap>
            <Typography.Text type="secondary">
              {t('intake.publicKey')}: <code data-testid="intake-form-key">{saved.public_key}</code>
            </Typography.Text>
            <Popconfirm
              title={t('intake.rotateConfirm')}
              okText={t('intake.rotate')}
              cancelText={t('common.cancel')}
              onConfirm={() => rotate.mutate(undefined)}
            >
              <Button size="small" icon={<ReloadOutlined />} loading={rotate.isPending}>
                {t('intake.rotate')}
              </Button>
            </Popconfirm>
          </Flex>
        </>
      )}
    </Drawer>
  );
}

/** Website forms: list, create, edit, snippet. */
export function FormsTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState<IntakeForm | 'new' | null>(null);
  const forms = useQuery<IntakeForm[], ApiError>({
    queryKey: [...INTAKE_KEY, 'forms'],
    queryFn: async () => (await intakeApi.forms()).items,
  });
  const remove = useIntakeMutation((id: number) => intakeApi.deleteForm(id), {
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  return (
    <Flex vertical gap={12}>
      <div>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setOpen('new')}
          data-testid="intake-form-new"
        >
          {t('intake.newForm')}
        </Button>
      </div>
      {forms.isError && <Alert type="error" showIcon message={errorMessage(forms.error, t)} />}
      <Table<IntakeForm>
        rowKey="id"
        size="middle"
        loading={forms.isPending}
        dataSource={forms.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="intake-forms-table"
        locale={{ emptyText: t('intake.noForms') }}
        columns={[
          {
            key: 'name',
            title: t('intake.field.name'),
            render: (_, f) => (
              <Typography.Link onClick={() => setOpen(f)}>{f.name}</Typography.Link>
            ),
          },
          {
            key: 'origins',
            title: t('intake.field.allowed_origins'),
            render: (_, f) => f.allowed_origins.map((o) => <Tag key={o}>{o}</Tag>),
          },
          { key: 'campaign', title: t('intake.field.campaign'), dataIndex: 'campaign' },
          {
            key: 'active',
            title: t('intake.field.active'),
            render: (_, f) =>
              f.active ? <Tag color="green">{t('intake.on')}</Tag> : <Tag>{t('intake.off')}</Tag>,
          },
          {
            key: 'actions',
            title: '',
            render: (_, f) => (
              <Popconfirm
                title={t('intake.deleteFormConfirm')}
                okText={t('clients.delete')}
                cancelText={t('common.cancel')}
                onConfirm={() => remove.mutate(f.id)}
              >
                <Button size="small" danger type="link">
                  {t('clients.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {open && <FormDrawer form={open === 'new' ? null : open} onClose={() => setOpen(null)} />}
    </Flex>
  );
}
