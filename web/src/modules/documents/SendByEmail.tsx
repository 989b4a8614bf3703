import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Empty,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Select,
  Tag,
  Typography,
} from 'antd';
import { MailOutlined, PaperClipOutlined, RedoOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { fieldErrors } from '../deals/gate';
import {
  documentEmailApi,
  documentEmailKeys,
  useDocumentEmails,
  type DocumentEmail,
  type DocumentEmailDraft,
  type MailDocKind,
} from './documentEmailApi';

const STATUS_COLOR: Record<DocumentEmail['status'], string> = {
  queued: 'blue',
  sent: 'green',
  failed: 'red',
};

interface FormValues {
  to: string[];
  cc: string[];
  subject: string;
  body: string;
}

/** Field errors of the server ("to/1" → the To field) for the form. */
function formErrors(error: unknown) {
  const merged = new Map<string, string[]>();
  for (const f of fieldErrors(error)) {
    const name = f.name.split('/')[0];
    merged.set(name, [...(merged.get(name) ?? []), ...f.errors]);
  }
  return [...merged].map(([name, errors]) => ({ name, errors }));
}

/** The history of a document's sends: when, to whom, with which file; a failed one with its reason and a retry. */
export function DocumentEmailHistory({
  kind,
  id,
  canSend,
}: {
  kind: MailDocKind;
  id: number;
  canSend: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const history = useDocumentEmails(kind, id);
  const retry = useMutation<DocumentEmail, ApiError, number>({
    mutationFn: documentEmailApi.retry,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: documentEmailKeys.all });
      void message.success(t('documentEmail.queued'));
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  if (history.isError)
    return <Alert type="error" showIcon message={errorMessage(history.error, t)} />;
  return (
    <List<DocumentEmail>
      data-testid="document-email-history"
      size="small"
      loading={history.isPending}
      dataSource={history.data ?? []}
      locale={{ emptyText: <Empty description={t('documentEmail.none')} /> }}
      renderItem={(e) => (
        <List.Item
          data-testid="document-email-row"
          actions={
            e.status === 'failed' && canSend
              ? [
                  <Button
                    key="retry"
                    size="small"
                    icon={<RedoOutlined />}
                    data-testid="document-email-retry"
                    loading={retry.isPending}
                    onClick={() => retry.mutate(e.id)}
                  >
                    {t('documentEmail.retry')}
                  </Button>,
                ]
              : []
          }
        >
          <Flex vertical gap={2}>
            <Flex gap={8} wrap align="center">
              <Tag color={STATUS_COLOR[e.status]} data-testid="document-email-status">
                {t(`documentEmail.statuses.${e.status}`)}
              </Tag>
              <Typography.Text data-testid="document-email-summary">
                {e.status === 'sent' && e.sent_at
                  ? t('documentEmail.sentAt', {
                      at: formatDateTime(e.sent_at, i18n.language),
                      to: [...e.to, ...e.cc].join(', '),
                    })
                  : t('documentEmail.queuedAt', {
                      at: formatDateTime(e.created_at, i18n.language),
                      to: [...e.to, ...e.cc].join(', '),
                    })}
              </Typography.Text>
            </Flex>
            <Typography.Text type="secondary">
              <PaperClipOutlined /> {e.file_name}
              {e.created_by_name && ` · ${e.created_by_name}`}
            </Typography.Text>
            {e.last_error_text && (
              <Typography.Text
                type={e.status === 'failed' ? 'danger' : 'warning'}
                data-testid="document-email-error"
              >
                {e.status === 'failed'
                  ? t('documentEmail.failedReason', { reason: e.last_error_text })
                  : t('documentEmail.retrying', {
                      reason: e.last_error_text,
                      attempts: e.attempts,
                    })}
              </Typography.Text>
            )}
          </Flex>
        </List.Item>
      )}
    />
  );
}

/** "Send by e-mail": recipients prefilled from the deal's contact and company, texts from the workspace's template,
 *  the PDF attached; below, what was sent before. */
export function SendByEmailButton({
  kind,
  id,
  canSend,
  disabledReason,
}: {
  kind: MailDocKind;
  id: number;
  canSend: boolean;
  /** When set, the button is disabled with this hint (a draft invoice, say). */
  disabledReason?: string;
}) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [lang, setLang] = useState<'ru' | 'en'>(i18n.language === 'en' ? 'en' : 'ru');
  const [form] = Form.useForm<FormValues>();
  const draft = useQuery<DocumentEmailDraft, ApiError>({
    queryKey: documentEmailKeys.draft(kind, id, lang),
    queryFn: () => documentEmailApi.draft(kind, id, lang),
    enabled: open,
  });
  const send = useMutation<DocumentEmail, ApiError, FormValues>({
    mutationFn: (v) =>
      documentEmailApi.send(kind, id, {
        to: v.to,
        cc: v.cc ?? [],
        subject: v.subject,
        body: v.body,
        lang,
      }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: documentEmailKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['documents'] });
      void queryClient.invalidateQueries({ queryKey: ['activities'] });
      void message.success(t('documentEmail.queued'));
      setOpen(false);
    },
    onError: (error) => {
      const fields = formErrors(error);
      if (fields.length) form.setFields(fields as never);
      else void message.error(errorMessage(error, t));
    },
  });

  // A fresh draft (opening, another language) fills the texts; typed recipients stay when only the language changes.
  useEffect(() => {
    if (!draft.data) return;
    const current = form.getFieldsValue();
    form.setFieldsValue({
      to: current.to?.length ? current.to : draft.data.to,
      cc: current.cc?.length ? current.cc : draft.data.cc,
      subject: draft.data.subject,
      body: draft.data.body,
    });
  }, [draft.data, form]);

  return (
    <>
      <Button
        size="small"
        icon={<MailOutlined />}
        data-testid={`${kind}-send-email`}
        disabled={!!disabledReason}
        title={disabledReason}
        onClick={() => {
          form.resetFields();
          setOpen(true);
        }}
      >
        {t('documentEmail.button')}
      </Button>
      <Modal
        open={open}
        width={680}
        destroyOnClose
        title={t(kind === 'invoice' ? 'documentEmail.titleInvoice' : 'documentEmail.titleProposal')}
        onCancel={() => setOpen(false)}
        okText={t('documentEmail.send')}
        okButtonProps={
          {
            'data-testid': 'document-email-send',
            disabled: !canSend || !draft.data?.from_address,
          } as never
        }
        confirmLoading={send.isPending}
        onOk={() => form.submit()}
      >
        <Flex vertical gap={12} data-testid="document-email-dialog">
          {draft.isError && <Alert type="error" showIcon message={errorMessage(draft.error, t)} />}
          {draft.data && !draft.data.from_address && (
            <Alert
              type="warning"
              showIcon
              message={t('documentEmail.noAccount')}
              data-testid="document-email-no-account"
            />
          )}
          {draft.data?.from_address && (
            <Typography.Text type="secondary">
              {t('documentEmail.from', { from: draft.data.from_address })}
            </Typography.Text>
          )}
          <Form<FormValues>
            form={form}
            layout="vertical"
            onFinish={(v) => send.mutate(v)}
            disabled={!canSend}
          >
            <Form.Item
              name="to"
              label={t('documentEmail.to')}
              rules={[{ required: true, message: t('documentEmail.toRequired') }]}
            >
              <Select
                mode="tags"
                open={false}
                tokenSeparators={[',', ';', ' ']}
                data-testid="document-email-to"
                placeholder="client@example.ru"
              />
            </Form.Item>
            <Form.Item name="cc" label={t('documentEmail.cc')}>
              <Select
                mode="tags"
                open={false}
                tokenSeparators={[',', ';', ' ']}
                data-testid="document-email-cc"
              />
            </Form.Item>
            <Form.Item label={t('documentEmail.lang')}>
              <Select<'ru' | 'en'>
                data-testid="document-email-lang"
                style={{ width: 160 }}
                value={lang}
                onChange={setLang}
                options={[
                  { value: 'ru', label: t('documents.lang.ru') },
                  { value: 'en', label: t('documents.lang.en') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="subject"
              label={t('documentEmail.subject')}
              rules={[{ required: true, message: t('documentEmail.subjectRequired') }]}
            >
              <Input data-testid="document-email-subject" maxLength={300} />
            </Form.Item>
            <Form.Item name="body" label={t('documentEmail.body')}>
              <Input.TextArea
                data-testid="document-email-body"
                autoSize={{ minRows: 5, maxRows: 14 }}
              />
            </Form.Item>
          </Form>
          {draft.data && (
            <Typography.Text data-testid="document-email-attachment">
              <PaperClipOutlined /> {draft.data.file_name}
            </Typography.Text>
          )}
          <Typography.Title level={5} style={{ margin: 0 }}>
            {t('documentEmail.history')}
          </Typography.Title>
          <DocumentEmailHistory kind={kind} id={id} canSend={canSend} />
        </Flex>
      </Modal>
    </>
  );
}
