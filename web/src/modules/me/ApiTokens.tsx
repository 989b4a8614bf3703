import { useState, type HTMLAttributes } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Grid,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Table,
  Typography,
} from 'antd';
import { DeleteOutlined, KeyOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import {
  api,
  type ApiError,
  type ApiToken,
  type ApiTokenCreate,
  type ApiTokenCreated,
  type Page,
} from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { applyFieldErrors } from './formErrors';

const TOKENS_QUERY_KEY = ['api-tokens'] as const;

interface CreateForm {
  name: string;
  expires_in_days?: number | null;
}

/** The user's API tokens: list, create (secret shown once), revoke. */
export function ApiTokens() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<CreateForm>();
  const [created, setCreated] = useState<ApiTokenCreated | null>(null);
  const isPhone = !Grid.useBreakpoint().md;

  const tokens = useInfiniteQuery<Page<ApiToken>, ApiError>({
    queryKey: TOKENS_QUERY_KEY,
    queryFn: ({ pageParam }) => api.listApiTokens(pageParam as string | null),
    initialPageParam: null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const rows = tokens.data?.pages.flatMap((page) => page.items) ?? [];

  const create = useMutation<ApiTokenCreated, ApiError, ApiTokenCreate>({
    mutationFn: (body) => api.createApiToken(body),
    onSuccess: (token) => {
      setCreated(token);
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: TOKENS_QUERY_KEY });
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorMessage(error, t));
    },
  });

  const revoke = useMutation<void, ApiError, ApiToken>({
    mutationFn: (token) => api.revokeApiToken(token.id),
    onSuccess: (_, token) => {
      void message.success(t('tokens.revoked', { name: token.name }));
      void queryClient.invalidateQueries({ queryKey: TOKENS_QUERY_KEY });
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const onFinish = (values: CreateForm) => {
    const body: ApiTokenCreate = { name: values.name.trim() };
    if (values.expires_in_days) body.expires_in_days = values.expires_in_days;
    create.mutate(body);
  };

  return (
    <Card
      title={
        <span>
          <KeyOutlined /> {t('tokens.title')}
        </span>
      }
      data-testid="tokens-card"
    >
      <Typography.Paragraph type="secondary">{t('tokens.description')}</Typography.Paragraph>
      <Form<CreateForm>
        form={form}
        layout={isPhone ? 'vertical' : 'inline'}
        onFinish={onFinish}
        style={{ marginBottom: 16, rowGap: 8 }}
        data-testid="token-create-form"
      >
        <Form.Item
          name="name"
          label={t('tokens.name')}
          rules={[
            { required: true, whitespace: true, message: t('tokens.nameRequired') },
            { max: 100, message: t('tokens.nameTooLong') },
          ]}
        >
          <Input
            placeholder={t('tokens.namePlaceholder')}
            data-testid="token-name"
            style={{ width: isPhone ? '100%' : 240 }}
          />
        </Form.Item>
        <Form.Item name="expires_in_days" label={t('tokens.expiresInDays')}>
          <InputNumber
            min={1}
            max={3650}
            precision={0}
            placeholder={t('tokens.expiresPlaceholder')}
            data-testid="token-expires"
            style={{ width: isPhone ? '100%' : 160 }}
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={create.isPending}
            data-testid="token-create-submit"
          >
            {t('tokens.create')}
          </Button>
        </Form.Item>
      </Form>

      {tokens.isError && <Alert type="error" showIcon message={errorMessage(tokens.error, t)} />}
      <Table<ApiToken>
        data-testid="tokens-table"
        rowKey="id"
        size="small"
        loading={tokens.isPending}
        dataSource={rows}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('tokens.empty') }}
        onRow={(row) => ({ 'data-testid': `token-row-${row.id}` }) as HTMLAttributes<HTMLElement>}
        columns={[
          { key: 'name', title: t('tokens.name'), dataIndex: 'name' },
          {
            key: 'prefix',
            title: t('tokens.prefix'),
            dataIndex: 'prefix',
            render: (prefix: string) => <Typography.Text code>{prefix}…</Typography.Text>,
          },
          {
            key: 'created',
            title: t('tokens.created'),
            dataIndex: 'created_at',
            render: (ms: number) => formatDateTime(ms, i18n.language),
          },
          {
            key: 'used',
            title: t('tokens.lastUsed'),
            dataIndex: 'last_used_at',
            render: (ms: number | null) =>
              ms == null ? t('tokens.never') : formatDateTime(ms, i18n.language),
          },
          {
            key: 'expires',
            title: t('tokens.expires'),
            dataIndex: 'expires_at',
            render: (ms: number | null) =>
              ms == null ? t('tokens.noExpiry') : formatDateTime(ms, i18n.language),
          },
          {
            key: 'actions',
            title: t('tokens.actions'),
            render: (_, row) => (
              <Popconfirm
                title={t('tokens.revokeConfirm', { name: row.name })}
                okText={t('tokens.revoke')}
                cancelText={t('common.cancel')}
                okButtonProps={{ danger: true, 'data-testid': 'token-revoke-confirm' } as never}
                onConfirm={() => revoke.mutateAsync(row).catch(() => undefined)}
              >
                <Button danger size="small" icon={<DeleteOutlined />} data-testid="token-revoke">
                  {t('tokens.revoke')}
                </Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {tokens.hasNextPage && (
        <Button
          style={{ marginTop: 12 }}
          onClick={() => void tokens.fetchNextPage()}
          loading={tokens.isFetchingNextPage}
        >
          {t('common.loadMore')}
        </Button>
      )}

      <Modal
        open={created !== null}
        title={created ? t('tokens.createdTitle', { name: created.name }) : ''}
        closable={false}
        maskClosable={false}
        keyboard={false}
        destroyOnClose
        footer={
          <Button type="primary" onClick={() => setCreated(null)} data-testid="token-secret-close">
            {t('tokens.done')}
          </Button>
        }
      >
        <Alert
          type="warning"
          showIcon
          message={t('tokens.secretOnce')}
          style={{ marginBottom: 12 }}
        />
        <Typography.Text type="secondary">{t('tokens.secretLabel')}</Typography.Text>
        <Typography.Paragraph
          copyable={created ? { text: created.token } : false}
          code
          style={{ wordBreak: 'break-all', marginTop: 4 }}
          data-testid="token-secret"
        >
          {created?.token}
        </Typography.Paragraph>
      </Modal>
    </Card>
  );
}
