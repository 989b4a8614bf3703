import { useState } from 'react';
import {
  Alert,
  Button,
  DatePicker,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Segmented,
  Select,
  Space,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { usePeople } from '../clients/people';
import {
  activitiesApi,
  CALL_OUTCOMES,
  KINDS,
  PRIORITIES,
  useActivityMutation,
  useTemplates,
  type ActivityKind,
  type RecordRef,
} from './activitiesApi';
import { composerField, toCreateBody, type ComposerValues } from './activityForm';

interface FormValues extends Omit<ComposerValues, 'startsAt' | 'endsAt' | 'dueAt'> {
  startsAt?: Dayjs;
  endsAt?: Dayjs;
  dueAt?: Dayjs;
}

const ms = (d: Dayjs | undefined) => (d ? d.valueOf() : undefined);

/** Logs a call, meeting or note, sets a task, sends an e-mail or an SMS on one record. */
export function ActivityComposer({ record }: { record: RecordRef }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<ActivityKind>('call');
  const [form] = Form.useForm<FormValues>();
  const [problem, setProblem] = useState<string | null>(null);
  const people = usePeople();
  const templates = useTemplates();
  const create = useActivityMutation((values: FormValues) =>
    activitiesApi.create(
      toCreateBody(kind, record, {
        ...values,
        startsAt: ms(values.startsAt),
        endsAt: ms(values.endsAt),
        dueAt: ms(values.dueAt),
      }),
    ),
  );
  const peopleOptions = (people.data ?? []).map((p) => ({ value: p.user_id, label: p.full_name }));
  const channel = kind === 'sms' ? 'sms' : 'email';
  const templateOptions = (templates.data?.items ?? [])
    .filter((tpl) => tpl.channel === channel)
    .map((tpl) => ({ value: tpl.id, label: tpl.name }));

  const submit = (values: FormValues) => {
    setProblem(null);
    create.mutate(values, {
      onSuccess: () => form.resetFields(),
      onError: (error) => {
        if (!isApiError(error)) return setProblem(errorMessage(error, t));
        const fields: { name: keyof FormValues; errors: string[] }[] = [];
        const rest: string[] = [];
        for (const e of error.errors) {
          const name = composerField(e.field);
          if (name) fields.push({ name: name as keyof FormValues, errors: [e.message] });
          else rest.push(e.message);
        }
        form.setFields(fields);
        if (rest.length || !fields.length) setProblem(rest.join(' ') || errorMessage(error, t));
      },
    });
  };

  const applyTemplate = async (id: number | undefined) => {
    if (!id) return;
    const filled = await activitiesApi.preview(id, record);
    form.setFieldsValue({ subject: filled.subject, body: filled.body });
  };

  return (
    <Flex vertical gap={8} data-testid="activity-composer">
      <Segmented
        data-testid="composer-kind"
        value={kind}
        onChange={(v) => {
          setKind(v as ActivityKind);
          setProblem(null);
        }}
        options={KINDS.map((k) => ({ value: k, label: t(`activities.kind.${k}`) }))}
      />
      <Form form={form} layout="vertical" size="small" onFinish={submit} requiredMark={false}>
        {kind === 'call' && (
          <Space wrap align="start">
            <Form.Item name="direction" label={t('activities.field.direction')} initialValue="out">
              <Radio.Group
                options={['out', 'in'].map((d) => ({
                  value: d,
                  label: t(`activities.direction.${d}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="outcome" label={t('activities.field.outcome')} initialValue="answered">
              <Select
                style={{ width: 170 }}
                data-testid="call-outcome"
                options={CALL_OUTCOMES.map((o) => ({
                  value: o,
                  label: t(`activities.outcome.${o}`),
                }))}
              />
            </Form.Item>
            <Form.Item name="durationMin" label={t('activities.field.durationMin')}>
              <InputNumber min={0} max={1440} step={0.5} style={{ width: 110 }} />
            </Form.Item>
            <Form.Item name="phone" label={t('activities.field.phone')}>
              <Input style={{ width: 170 }} />
            </Form.Item>
          </Space>
        )}
        {kind === 'meeting' && (
          <>
            <Form.Item name="subject" label={t('activities.field.subject')}>
              <Input />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item
                name="startsAt"
                label={t('activities.field.startsAt')}
                rules={[{ required: true }]}
              >
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="DD.MM.YYYY HH:mm"
                  data-testid="meeting-start"
                />
              </Form.Item>
              <Form.Item
                name="endsAt"
                label={t('activities.field.endsAt')}
                rules={[{ required: true }]}
              >
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="DD.MM.YYYY HH:mm"
                  data-testid="meeting-end"
                />
              </Form.Item>
            </Space>
            <Space wrap align="start">
              <Form.Item name="place" label={t('activities.field.place')}>
                <Input style={{ width: 240 }} />
              </Form.Item>
              <Form.Item name="videoUrl" label={t('activities.field.videoUrl')}>
                <Input style={{ width: 240 }} placeholder="https://" />
              </Form.Item>
            </Space>
            <Form.Item name="participants" label={t('activities.field.participants')}>
              <Select
                mode="multiple"
                allowClear
                optionFilterProp="label"
                options={peopleOptions}
                data-testid="meeting-participants"
              />
            </Form.Item>
            <Form.Item name="result" label={t('activities.field.result')}>
              <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} data-testid="meeting-result" />
            </Form.Item>
          </>
        )}
        {kind === 'task' && (
          <>
            <Form.Item
              name="subject"
              label={t('activities.field.subject')}
              rules={[{ required: true }]}
            >
              <Input data-testid="task-subject" />
            </Form.Item>
            <Space wrap align="start">
              <Form.Item name="dueAt" label={t('activities.field.dueAt')}>
                <DatePicker showTime={{ format: 'HH:mm' }} format="DD.MM.YYYY HH:mm" />
              </Form.Item>
              <Form.Item
                name="priority"
                label={t('activities.field.priority')}
                initialValue="normal"
              >
                <Select
                  style={{ width: 130 }}
                  options={PRIORITIES.map((p) => ({
                    value: p,
                    label: t(`activities.priority.${p}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="assignee" label={t('activities.field.assignee')}>
                <Select
                  allowClear
                  showSearch
                  optionFilterProp="label"
                  style={{ width: 220 }}
                  placeholder={t('activities.assigneeSelf')}
                  options={peopleOptions}
                  data-testid="task-assignee"
                />
              </Form.Item>
            </Space>
            <Form.Item
              name="checklist"
              label={t('activities.field.checklist')}
              extra={t('activities.checklistHint')}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} />
            </Form.Item>
          </>
        )}
        {(kind === 'email' || kind === 'sms') && (
          <Space wrap align="start">
            {kind === 'email' ? (
              <>
                <Form.Item name="to" label={t('activities.field.to')} rules={[{ required: true }]}>
                  <Input style={{ width: 260 }} data-testid="email-to" />
                </Form.Item>
                <Form.Item name="cc" label={t('activities.field.cc')}>
                  <Input style={{ width: 200 }} />
                </Form.Item>
              </>
            ) : (
              <Form.Item
                name="phone"
                label={t('activities.field.phone')}
                rules={[{ required: true }]}
              >
                <Input style={{ width: 200 }} />
              </Form.Item>
            )}
            <Form.Item name="templateId" label={t('activities.field.template')}>
              <Select
                allowClear
                style={{ width: 220 }}
                options={templateOptions}
                onChange={(id?: number) => void applyTemplate(id)}
              />
            </Form.Item>
          </Space>
        )}
        {kind === 'email' && (
          <Form.Item
            name="subject"
            label={t('activities.field.subject')}
            rules={[{ required: true }]}
          >
            <Input />
          </Form.Item>
        )}
        <Form.Item
          name="body"
          label={t(kind === 'meeting' ? 'activities.field.agenda' : 'activities.field.body')}
          rules={kind === 'note' || kind === 'sms' ? [{ required: true }] : []}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 10 }} data-testid="composer-body" />
        </Form.Item>
        {kind === 'note' && (
          <Form.Item name="mentions" label={t('activities.field.mentions')}>
            <Select mode="multiple" allowClear optionFilterProp="label" options={peopleOptions} />
          </Form.Item>
        )}
        {problem && <Alert type="error" showIcon message={problem} style={{ marginBottom: 8 }} />}
        <Button
          type="primary"
          htmlType="submit"
          loading={create.isPending}
          data-testid="composer-submit"
        >
          {t(`activities.submit.${kind}`)}
        </Button>
      </Form>
    </Flex>
  );
}
