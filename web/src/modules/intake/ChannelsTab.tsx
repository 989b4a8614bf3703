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
  Space,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { applyServerErrors } from '../clients/formErrors';
import { usePeople } from '../clients/people';
import {
  CHANNEL_CONFIG,
  CHANNEL_KINDS,
  INTAKE_KEY,
  intakeApi,
  useIntakeMutation,
  type ChannelKind,
  type IntakeChannel,
  type IntakeChannelInput,
} from './intakeApi';

interface Values {
  kind: ChannelKind;
  name: string;
  secret?: string;
  config: Record<string, unknown>;
  default_owner_user_id: number | null;
  active: boolean;
}

/** The address a channel's provider posts to, absolute so it can be pasted into their settings. */
function publicUrl(channel: IntakeChannel): string {
  if (!channel.hook_path) return '';
  return channel.hook_path.startsWith('http')
    ? channel.hook_path
    : `${window.location.origin}${channel.hook_path}`;
}

function ChannelDrawer({
  channel,
  onClose,
}: {
  channel: IntakeChannel | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const [form] = Form.useForm<Values>();
  const people = usePeople();
  const kind = Form.useWatch('kind', form) ?? channel?.kind ?? 'webhook';
  const save = useIntakeMutation(
    (v: Values) => {
      const body: IntakeChannelInput = {
        name: v.name.trim(),
        config: (v.config ?? {}) as IntakeChannelInput['config'],
        default_owner_user_id: v.default_owner_user_id ?? null,
        active: v.active,
      };
      // The secret is write-only: sent only when typed, so an edit keeps the stored one.
      if (v.secret) body.secret = v.secret;
      if (!channel) body.kind = v.kind;
      return channel ? intakeApi.updateChannel(channel.id, body) : intakeApi.createChannel(body);
    },
    {
      onSuccess: () => {
        void message.success(t('intake.channelSaved'));
        onClose();
      },
      onError: (error) => applyServerErrors(form, error),
    },
  );
  return (
    <Drawer
      open
      onClose={onClose}
      width={isPhone ? '100%' : 560}
      title={channel ? channel.name : t('intake.newChannel')}
      extra={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()}>
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
      {channel?.hook_path && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          message={t('intake.publicUrl')}
          description={
            <Typography.Text copyable code>
              {publicUrl(channel)}
            </Typography.Text>
          }
        />
      )}
      <Form<Values>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => save.mutate(v)}
        initialValues={{
          kind: channel?.kind ?? 'webhook',
          name: channel?.name ?? '',
          config: { ...((channel?.config ?? {}) as Record<string, unknown>) },
          default_owner_user_id: channel?.default_owner_user_id ?? null,
          active: channel?.active ?? true,
        }}
      >
        <Form.Item name="kind" label={t('intake.field.kind')}>
          <Select
            disabled={channel !== null}
            options={CHANNEL_KINDS.map((k) => ({ value: k, label: t(`intake.kind.${k}`) }))}
          />
        </Form.Item>
        <Form.Item
          name="name"
          label={t('intake.field.name')}
          rules={[{ required: true, whitespace: true, message: t('intake.nameRequired') }]}
        >
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item
          name="secret"
          label={t(kind === 'imap' ? 'intake.field.password' : 'intake.field.secret')}
          extra={channel?.has_secret ? t('intake.secretKept') : t(`intake.secretHint.${kind}`)}
        >
          <Input.Password autoComplete="new-password" maxLength={500} />
        </Form.Item>
        {CHANNEL_CONFIG[kind].map((c) => (
          <Form.Item
            key={c.key}
            name={['config', c.key]}
            label={t(`intake.config.${c.key}`)}
            valuePropName={c.type === 'bool' ? 'checked' : 'value'}
          >
            {c.type === 'number' ? (
              <InputNumber min={1} max={65535} />
            ) : c.type === 'bool' ? (
              <Switch />
            ) : (
              <Input maxLength={300} />
            )}
          </Form.Item>
        ))}
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
    </Drawer>
  );
}

/** Telephony lines, Telegram bots, signed webhooks and IMAP mailboxes. */
export function ChannelsTab() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [open, setOpen] = useState<IntakeChannel | 'new' | null>(null);
  const channels = useQuery<IntakeChannel[], ApiError>({
    queryKey: [...INTAKE_KEY, 'channels'],
    queryFn: async () => (await intakeApi.channels()).items,
  });
  const remove = useIntakeMutation((id: number) => intakeApi.deleteChannel(id), {
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  return (
    <Flex vertical gap={12}>
      <div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')}>
          {t('intake.newChannel')}
        </Button>
      </div>
      {channels.isError && (
        <Alert type="error" showIcon message={errorMessage(channels.error, t)} />
      )}
      <Table<IntakeChannel>
        rowKey="id"
        size="middle"
        loading={channels.isPending}
        dataSource={channels.data ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('intake.noChannels') }}
        columns={[
          {
            key: 'name',
            title: t('intake.field.name'),
            render: (_, c) => (
              <Typography.Link onClick={() => setOpen(c)}>{c.name}</Typography.Link>
            ),
          },
          {
            key: 'kind',
            title: t('intake.field.kind'),
            render: (_, c) => t(`intake.kind.${c.kind}`),
          },
          {
            key: 'url',
            title: t('intake.publicUrl'),
            render: (_, c) =>
              c.hook_path ? (
                <Typography.Text copyable style={{ fontSize: 12 }}>
                  {publicUrl(c)}
                </Typography.Text>
              ) : (
                '—'
              ),
          },
          {
            key: 'state',
            title: t('intake.field.active'),
            render: (_, c) => (
              <Space direction="vertical" size={0}>
                {c.active ? (
                  <Tag color="green">{t('intake.on')}</Tag>
                ) : (
                  <Tag>{t('intake.off')}</Tag>
                )}
                {c.last_error && <Typography.Text type="danger">{c.last_error}</Typography.Text>}
                {c.last_polled_at && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('intake.lastPolled', {
                      at: formatDateTime(c.last_polled_at, i18n.language),
                    })}
                  </Typography.Text>
                )}
              </Space>
            ),
          },
          {
            key: 'actions',
            title: '',
            render: (_, c) => (
              <Popconfirm
                title={t('intake.deleteChannelConfirm')}
                okText={t('clients.delete')}
                cancelText={t('common.cancel')}
                onConfirm={() => remove.mutate(c.id)}
              >
                <Button size="small" danger type="link">
                  {t('clients.delete')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {open && (
        <ChannelDrawer channel={open === 'new' ? null : open} onClose={() => setOpen(null)} />
      )}
    </Flex>
  );
}
