import { useEffect } from 'react';
import { Alert, App, Button, Card, Flex, Form, Input, Space, Tag, Typography } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type ApiError, type Schemas } from '../../api';
import { errorMessage } from '../../api/errors';
import { fieldErrors } from '../deals/gate';

type MailTemplate = Schemas['DocumentMailTemplate'];
const KEY = ['document-mail-templates'] as const;

function TemplateCard({ tpl }: { tpl: MailTemplate }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ subject: string; body: string }>();
  useEffect(() => form.setFieldsValue({ subject: tpl.subject, body: tpl.body }), [tpl, form]);
  const save = useMutation<
    MailTemplate,
    ApiError,
    { subject?: string; body?: string; reset?: boolean }
  >({
    mutationFn: (body) =>
      api.request<MailTemplate>(`/api/v1/document-mail-templates/${tpl.kind}/${tpl.lang}`, {
        method: 'PUT',
        body,
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      void message.success(t('documentEmail.templates.saved'));
    },
    onError: (error) => {
      const fields = fieldErrors(error);
      if (fields.length) form.setFields(fields as never);
      else void message.error(errorMessage(error, t));
    },
  });
  return (
    <Card
      size="small"
      data-testid={`mail-template-${tpl.kind}-${tpl.lang}`}
      title={
        <Space>
          {t(`documentEmail.templates.${tpl.kind}`)}
          <Tag>{t(`documents.lang.${tpl.lang}`)}</Tag>
          {!tpl.custom && <Tag color="default">{t('documentEmail.templates.builtin')}</Tag>}
        </Space>
      }
    >
      <Form form={form} layout="vertical" onFinish={(v) => save.mutate(v)}>
        <Form.Item name="subject" label={t('documentEmail.subject')} rules={[{ required: true }]}>
          <Input maxLength={300} />
        </Form.Item>
        <Form.Item name="body" label={t('documentEmail.body')}>
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} />
        </Form.Item>
        <Space>
          <Button type="primary" htmlType="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          {tpl.custom && (
            <Button onClick={() => save.mutate({ reset: true })} disabled={save.isPending}>
              {t('documentEmail.templates.reset')}
            </Button>
          )}
        </Space>
      </Form>
    </Card>
  );
}

/** The e-mail templates proposals and invoices are sent with, in Russian and English. */
export function MailTemplatesTab() {
  const { t } = useTranslation();
  const list = useQuery<{ items: MailTemplate[]; placeholders: string[] }, ApiError>({
    queryKey: KEY,
    queryFn: () => api.request('/api/v1/document-mail-templates'),
  });
  if (list.isError) return <Alert type="error" showIcon message={errorMessage(list.error, t)} />;
  return (
    <Flex vertical gap={12} data-testid="mail-templates">
      <Typography.Text type="secondary">
        {t('documentEmail.templates.placeholders')}{' '}
        {(list.data?.placeholders ?? []).map((p) => (
          <Typography.Text code key={p}>{`{{${p}}}`}</Typography.Text>
        ))}
      </Typography.Text>
      {(list.data?.items ?? []).map((tpl) => (
        <TemplateCard key={`${tpl.kind}-${tpl.lang}`} tpl={tpl} />
      ))}
    </Flex>
  );
}
