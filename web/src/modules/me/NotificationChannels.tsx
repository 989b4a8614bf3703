import { useEffect } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  Popconfirm,
  Radio,
  Row,
  Skeleton,
  Space,
  Switch,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, MailOutlined, SendOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { useMe } from '../auth/session';
import {
  CHANNEL_KINDS,
  CHANNELS_QUERY_KEY,
  KIND_PRESETS,
  channelsApi,
  isSaved,
  kindPreset,
  type ChannelInput,
  type ChannelKind,
  type KindPreset,
  type NotificationChannel,
} from './channelsApi';
import { applyFieldErrors } from './formErrors';

interface ChannelForm {
  target: string;
  preset: KindPreset;
  enabled: boolean;
}

type ChannelList = { items: NotificationChannel[] };

function formValues(channel: NotificationChannel, defaultTarget: string): ChannelForm {
  const saved = isSaved(channel);
  return {
    target: saved ? channel.target : defaultTarget,
    preset: kindPreset(channel.kinds),
    // A channel being set up is turned on by saving it.
    enabled: saved ? channel.enabled : true,
  };
}

function StatusTag({ channel }: { channel: NotificationChannel }) {
  const { t } = useTranslation();
  const [color, key] = !channel.configured
    ? ['default', 'unconfigured']
    : !isSaved(channel)
      ? ['default', 'notSet']
      : channel.enabled
        ? ['green', 'on']
        : ['orange', 'off'];
  return (
    <Tag color={color} data-testid={`channel-status-${channel.channel}`} data-status={key}>
      {t(`notifyChannels.status.${key}`)}
    </Tag>
  );
}

/** One channel: the address or chat id, which notifications it carries, on/off, test, remove. */
function ChannelCard({
  channel,
  defaultTarget,
}: {
  channel: NotificationChannel;
  defaultTarget: string;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<ChannelForm>();
  const kind = channel.channel;
  const saved = isSaved(channel);

  // Show what the server holds whenever it changes (after loading, saving or removing).
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(formValues(channel, defaultTarget));
  }, [channel, defaultTarget, form]);

  const test = useMutation<{ sent: boolean }, ApiError, void>({
    mutationFn: () => channelsApi.test(kind),
  });

  const save = useMutation<NotificationChannel, ApiError, ChannelInput>({
    mutationFn: (body) => channelsApi.put(kind, body),
    onSuccess: (updated) => {
      test.reset();
      queryClient.setQueryData<ChannelList>(CHANNELS_QUERY_KEY, (list) =>
        list
          ? { items: list.items.map((c) => (c.channel === kind ? updated : c)) }
          : { items: [updated] },
      );
      void message.success(t('notifyChannels.saved'));
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorMessage(error, t));
    },
  });

  const remove = useMutation<void, ApiError, void>({
    mutationFn: () => channelsApi.remove(kind),
    onSuccess: () => {
      test.reset();
      void message.success(t('notifyChannels.removed'));
      void queryClient.invalidateQueries({ queryKey: CHANNELS_QUERY_KEY });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const onFinish = (values: ChannelForm) => {
    save.mutate({
      target: values.target.trim(),
      kinds: values.preset === 'custom' ? channel.kinds : [...KIND_PRESETS[values.preset]],
      enabled: values.enabled,
    });
  };

  const presets: KindPreset[] = ['routing', 'all'];
  if (kindPreset(channel.kinds) === 'custom') presets.push('custom');

  return (
    <Card
      type="inner"
      size="small"
      data-testid={`channel-${kind}`}
      title={
        <Space>
          {kind === 'email' ? <MailOutlined /> : <SendOutlined />}
          {t(`notifyChannels.${kind}.title`)}
        </Space>
      }
      extra={<StatusTag channel={channel} />}
      style={{ height: '100%' }}
    >
      {!channel.configured && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={t(`notifyChannels.${kind}.unconfigured`)}
          data-testid={`channel-unconfigured-${kind}`}
        />
      )}
      <Form<ChannelForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        disabled={!channel.configured}
        onFinish={onFinish}
        data-testid={`channel-form-${kind}`}
      >
        <Form.Item
          name="target"
          label={t(`notifyChannels.${kind}.target`)}
          extra={kind === 'telegram' ? t('notifyChannels.telegram.help') : undefined}
          rules={[
            { required: true, whitespace: true, message: t(`notifyChannels.${kind}.required`) },
          ]}
        >
          <Input
            data-testid={`channel-target-${kind}`}
            placeholder={t(`notifyChannels.${kind}.placeholder`)}
            inputMode={kind === 'telegram' ? 'numeric' : 'email'}
            autoComplete={kind === 'email' ? 'email' : 'off'}
            maxLength={320}
          />
        </Form.Item>
        <Form.Item name="preset" label={t('notifyChannels.kinds')}>
          <Radio.Group data-testid={`channel-kinds-${kind}`}>
            <Space direction="vertical" size={4}>
              {presets.map((preset) => (
                <Radio key={preset} value={preset}>
                  <span data-testid={`channel-kinds-${kind}-${preset}`}>
                    {preset === 'custom'
                      ? t('notifyChannels.preset.custom', { list: channel.kinds.join(', ') })
                      : t(`notifyChannels.preset.${preset}`)}
                  </span>
                </Radio>
              ))}
            </Space>
          </Radio.Group>
        </Form.Item>
        <Form.Item name="enabled" valuePropName="checked" label={t('notifyChannels.enabled')}>
          <Switch data-testid={`channel-enabled-${kind}`} />
        </Form.Item>
        <Flex gap={8} wrap>
          <Button
            type="primary"
            htmlType="submit"
            loading={save.isPending}
            data-testid={`channel-save-${kind}`}
          >
            {t('common.save')}
          </Button>
          <Button
            onClick={() => test.mutate()}
            loading={test.isPending}
            disabled={!saved || !channel.configured}
            title={saved ? undefined : t('notifyChannels.testNeedsSave')}
            data-testid={`channel-test-${kind}`}
          >
            {t('notifyChannels.test')}
          </Button>
          {saved && (
            <Popconfirm
              title={t(`notifyChannels.${kind}.removeConfirm`)}
              okText={t('notifyChannels.remove')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true, 'data-testid': 'channel-remove-confirm' } as never}
              onConfirm={() => remove.mutateAsync().catch(() => undefined)}
            >
              <Button
                danger
                type="text"
                icon={<DeleteOutlined />}
                data-testid={`channel-remove-${kind}`}
              >
                {t('notifyChannels.remove')}
              </Button>
            </Popconfirm>
          )}
        </Flex>
      </Form>
      {test.isSuccess && (
        <Alert
          type="success"
          showIcon
          style={{ marginTop: 12 }}
          message={t(`notifyChannels.${kind}.testSent`, { target: channel.target })}
          data-testid={`channel-test-ok-${kind}`}
        />
      )}
      {test.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginTop: 12 }}
          message={t('notifyChannels.testFailed')}
          description={errorMessage(test.error, t)}
          data-testid={`channel-test-error-${kind}`}
        />
      )}
    </Card>
  );
}

/** The user's own copies of notifications by e-mail and Telegram (profile page). */
export function NotificationChannels() {
  const { t } = useTranslation();
  const me = useMe();
  const channels = useQuery<ChannelList, ApiError>({
    queryKey: CHANNELS_QUERY_KEY,
    queryFn: () => channelsApi.list(),
  });
  const byKind = (kind: ChannelKind) => channels.data?.items.find((c) => c.channel === kind);

  return (
    <Card title={t('notifyChannels.title')} data-testid="notify-channels">
      <Typography.Paragraph type="secondary">
        {t('notifyChannels.description')}
      </Typography.Paragraph>
      {channels.isError && (
        <Alert type="error" showIcon message={errorMessage(channels.error, t)} />
      )}
      {channels.isPending ? (
        <Skeleton active />
      ) : (
        <Row gutter={[16, 16]}>
          {CHANNEL_KINDS.map((kind) => {
            const channel = byKind(kind);
            if (!channel) return null;
            return (
              <Col key={kind} xs={24} lg={12}>
                <ChannelCard
                  channel={channel}
                  defaultTarget={kind === 'email' ? (me.data?.email ?? '') : ''}
                />
              </Col>
            );
          })}
        </Row>
      )}
    </Card>
  );
}
