import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { LanguageSwitch } from '../me/LanguageSwitch';
import { ME_QUERY_KEY } from './keys';
import { useLogin } from './session';

interface LoginForm {
  email: string;
  password: string;
}

export default function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const login = useLogin();
  const navigate = useNavigate();
  const location = useLocation();
  const queryClient = useQueryClient();
  const from = (location.state as { from?: string } | null)?.from;
  const target = from && from.startsWith('/') && !from.startsWith('/login') ? from : '/';

  if (queryClient.getQueryData(ME_QUERY_KEY) && !login.isPending) {
    return <Navigate to={target} replace />;
  }

  const onFinish = (values: LoginForm) => {
    login.mutate(
      { email: values.email.trim(), password: values.password },
      { onSuccess: () => navigate(target, { replace: true }) },
    );
  };

  return (
    <Flex
      vertical
      align="center"
      justify="center"
      style={{ minHeight: '100vh', padding: 16, background: '#f0f2f5' }}
    >
      <Card style={{ width: '100%', maxWidth: 400 }} data-testid="login-card">
        <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
          <Typography.Text strong style={{ fontSize: 18 }}>
            {t('app.name')}
          </Typography.Text>
          <LanguageSwitch size="small" />
        </Flex>
        <Typography.Title level={3} style={{ marginTop: 8 }} data-testid="login-title">
          {t('auth.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('auth.subtitle')}</Typography.Paragraph>
        {login.error && (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message={t('auth.failed')}
            description={<span data-testid="login-error">{errorMessage(login.error, t)}</span>}
          />
        )}
        <Form<LoginForm>
          form={form}
          layout="vertical"
          requiredMark={false}
          onFinish={onFinish}
          data-testid="login-form"
        >
          <Form.Item
            label={t('auth.email')}
            name="email"
            rules={[
              { required: true, whitespace: true, message: t('auth.emailRequired') },
              { type: 'email', message: t('auth.emailInvalid') },
            ]}
          >
            <Input
              prefix={<MailOutlined />}
              autoComplete="username"
              inputMode="email"
              autoFocus
              data-testid="login-email"
            />
          </Form.Item>
          <Form.Item
            label={t('auth.password')}
            name="password"
            rules={[{ required: true, message: t('auth.passwordRequired') }]}
          >
            <Input.Password
              prefix={<LockOutlined />}
              autoComplete="current-password"
              data-testid="login-password"
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            block
            loading={login.isPending}
            data-testid="login-submit"
          >
            {t('auth.submit')}
          </Button>
        </Form>
      </Card>
    </Flex>
  );
}
