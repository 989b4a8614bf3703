import { useEffect } from 'react';
import { App, Button, Card, Descriptions, Flex, Form, Input, Space, Tag, Typography } from 'antd';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, type Me } from '../../api';
import { errorMessage } from '../../api/errors';
import { ME_QUERY_KEY } from '../auth/keys';
import { useMe } from '../auth/session';
import { ApiTokens } from './ApiTokens';
import { LanguageSwitch } from './LanguageSwitch';
import { NotificationChannels } from './NotificationChannels';
import { applyFieldErrors } from './formErrors';

interface NameForm {
  full_name: string;
}

export default function ProfilePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const me = useMe();
  const [form] = Form.useForm<NameForm>();
  const fullName = me.data?.full_name;

  useEffect(() => {
    if (fullName !== undefined) form.setFieldsValue({ full_name: fullName });
  }, [fullName, form]);

  const saveName = useMutation<Me, ApiError, string>({
    mutationFn: (full_name) => api.updateMe({ full_name }),
    onSuccess: (updated) => {
      queryClient.setQueryData(ME_QUERY_KEY, updated);
      void message.success(t('me.nameSaved'));
    },
    onError: (error) => {
      if (!applyFieldErrors(form, error)) void message.error(errorMessage(error, t));
    },
  });

  if (!me.data) return null;
  const { data } = me;

  return (
    <Space direction="vertical" size="large" style={{ width: '100%' }} data-testid="profile-page">
      <Typography.Title level={2} style={{ margin: 0 }} data-testid="page-title">
        {t('me.title')}
      </Typography.Title>
      <Card>
        <Form<NameForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={(values) => saveName.mutate(values.full_name.trim())}
          style={{ maxWidth: 480 }}
        >
          <Form.Item label={t('me.fullName')} required>
            <Flex gap={8}>
              <Form.Item
                name="full_name"
                noStyle
                rules={[
                  { required: true, whitespace: true, message: t('me.fullNameRequired') },
                  { max: 200, message: t('me.fullNameTooLong') },
                ]}
              >
                <Input data-testid="profile-name" autoComplete="name" />
              </Form.Item>
              <Button htmlType="submit" loading={saveName.isPending} data-testid="profile-save">
                {t('common.save')}
              </Button>
            </Flex>
          </Form.Item>
        </Form>
        <Descriptions column={{ xs: 1, md: 2 }} size="small" bordered>
          <Descriptions.Item label={t('me.email')}>
            <span data-testid="profile-email">{data.email}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('me.role')}>
            {data.is_admin ? <Tag color="gold">{t('me.admin')}</Tag> : <Tag>{t('me.member')}</Tag>}
          </Descriptions.Item>
          <Descriptions.Item label={t('me.workspace')}>
            <span data-testid="profile-workspace">{data.workspace.name}</span>
          </Descriptions.Item>
          <Descriptions.Item label={t('me.timeZone')}>{data.workspace.time_zone}</Descriptions.Item>
          <Descriptions.Item label={t('me.currency')}>{data.workspace.currency}</Descriptions.Item>
          <Descriptions.Item label={t('language.label')}>
            <LanguageSwitch />
          </Descriptions.Item>
        </Descriptions>
      </Card>
      <NotificationChannels />
      <ApiTokens />
    </Space>
  );
}
