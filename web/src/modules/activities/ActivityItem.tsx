import { App, Button, Checkbox, Flex, Popconfirm, Space, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { activitiesApi, useActivityMutation, type Activity } from './activitiesApi';
import { formatDuration } from './activityForm';

const KIND_COLOR: Record<string, string> = {
  call: 'blue',
  meeting: 'purple',
  task: 'gold',
  email: 'cyan',
  sms: 'geekblue',
  note: 'default',
};

/** The in-browser player of a call's recording, or a link when only its URL is known. */
export function RecordingPlayer({ activity }: { activity: Activity }) {
  const { t } = useTranslation();
  const has = activity.call?.has_recording || activity.meeting?.has_recording;
  if (has)
    return (
      <audio
        controls
        preload="none"
        src={activitiesApi.recordingUrl(activity.id)}
        data-testid="recording-player"
        style={{ width: '100%', maxWidth: 360 }}
      />
    );
  if (activity.call?.recording_url)
    return (
      <Typography.Link href={activity.call.recording_url} target="_blank" rel="noreferrer">
        {t('activities.recordingLink')}
      </Typography.Link>
    );
  return null;
}

/** One activity on a timeline or in a task list, with what can be done to it right there. */
export function ActivityItem({ activity: a, now }: { activity: Activity; now: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lang = i18n.language;
  const onError = (e: unknown) => void message.error(errorMessage(e, t));
  const tick = useActivityMutation((v: { item: number; done: boolean }) =>
    activitiesApi.tick(a.id, v.item, v.done),
  );
  const complete = useActivityMutation((done: boolean) => activitiesApi.update(a.id, { done }));
  const remove = useActivityMutation(() => activitiesApi.remove(a.id));
  const upload = useActivityMutation((file: File) => activitiesApi.uploadRecording(a.id, file));
  const overdue = a.kind === 'task' && !a.done && a.due_at != null && a.due_at < now;

  const title =
    a.subject ||
    (a.kind === 'call'
      ? t(`activities.direction.${a.call?.direction ?? 'out'}Call`)
      : t(`activities.kind.${a.kind}`));

  return (
    <Flex vertical gap={4} data-testid="activity" data-kind={a.kind} data-id={a.id}>
      <Flex gap={6} align="center" wrap>
        <Tag color={KIND_COLOR[a.kind]}>{t(`activities.kind.${a.kind}`)}</Tag>
        {a.kind === 'task' ? (
          <Checkbox
            checked={a.done}
            data-testid="task-done"
            onChange={(e) => complete.mutate(e.target.checked, { onError })}
          >
            <Typography.Text strong delete={a.done}>
              {title}
            </Typography.Text>
          </Checkbox>
        ) : (
          <Typography.Text strong>{title}</Typography.Text>
        )}
        {a.kind === 'call' && a.call?.outcome && (
          <Tag color={a.call.outcome === 'answered' ? 'green' : 'orange'}>
            {t(`activities.outcome.${a.call.outcome}`)}
          </Tag>
        )}
        {a.kind === 'task' && a.task?.priority && a.task.priority !== 'normal' && (
          <Tag
            color={
              a.task.priority === 'urgent'
                ? 'red'
                : a.task.priority === 'high'
                  ? 'volcano'
                  : 'default'
            }
          >
            {t(`activities.priority.${a.task.priority}`)}
          </Tag>
        )}
        {overdue && (
          <Tag color="red" data-testid="overdue">
            {t('activities.overdue')}
          </Tag>
        )}
        {a.task?.escalated_at && <Tag color="magenta">{t('activities.escalated')}</Tag>}
        {a.email?.status && (
          <Tag color={a.email.status === 'failed' ? 'red' : 'default'} data-testid="email-status">
            {t(`activities.emailStatus.${a.email.status}`)}
          </Tag>
        )}
        {a.sms?.status && (
          <Tag color={a.sms.status === 'failed' ? 'red' : 'default'}>
            {t(`activities.smsStatus.${a.sms.status}`)}
          </Tag>
        )}
      </Flex>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {a.kind === 'meeting' && a.starts_at != null
          ? `${formatDateTime(a.starts_at, lang)} — ${formatDateTime(a.ends_at, lang)}`
          : a.kind === 'task'
            ? a.due_at != null
              ? t('activities.dueAt', { at: formatDateTime(a.due_at, lang) })
              : t('activities.noDue')
            : formatDateTime(a.at, lang)}
        {a.owner_name ? ` · ${a.owner_name}` : ''}
        {a.kind === 'call' && a.call?.duration_s ? ` · ${formatDuration(a.call.duration_s)}` : ''}
        {a.kind === 'call' && a.call?.phone ? ` · ${a.call.phone}` : ''}
        {a.kind === 'sms' && a.sms?.phone ? ` · ${a.sms.phone}` : ''}
      </Typography.Text>
      {a.kind === 'meeting' && a.meeting && (
        <Space size={4} wrap>
          {a.meeting.place && <Typography.Text>{a.meeting.place}</Typography.Text>}
          {a.meeting.video_url && (
            <Typography.Link href={a.meeting.video_url} target="_blank" rel="noreferrer">
              {t('activities.videoLink')}
            </Typography.Link>
          )}
          {a.meeting.participants.length > 0 && (
            <Typography.Text type="secondary">
              {t('activities.participants', { count: a.meeting.participants.length })}
            </Typography.Text>
          )}
        </Space>
      )}
      {a.kind === 'email' && a.email && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {a.email.direction === 'in'
            ? t('activities.emailFrom', { from: a.email.from ?? '' })
            : t('activities.emailTo', { to: a.email.to.join(', ') })}
        </Typography.Text>
      )}
      {a.body && (
        <Typography.Paragraph
          style={{ marginBottom: 0, whiteSpace: 'pre-wrap' }}
          ellipsis={{ rows: 4, expandable: true }}
        >
          {a.body}
        </Typography.Paragraph>
      )}
      {a.meeting?.result && (
        <Typography.Paragraph style={{ marginBottom: 0 }}>
          <Typography.Text type="secondary">{t('activities.field.result')}: </Typography.Text>
          {a.meeting.result}
        </Typography.Paragraph>
      )}
      {a.kind === 'task' && a.task && a.task.checklist.length > 0 && (
        <Flex vertical gap={2} style={{ paddingLeft: 24 }} data-testid="checklist">
          {a.task.checklist.map((item) => (
            <Checkbox
              key={item.id}
              checked={item.done}
              data-testid="checklist-item"
              onChange={(e) => tick.mutate({ item: item.id, done: e.target.checked }, { onError })}
            >
              {item.text}
            </Checkbox>
          ))}
        </Flex>
      )}
      {(a.kind === 'call' || a.kind === 'meeting') && (
        <Flex gap={8} align="center" wrap>
          <RecordingPlayer activity={a} />
          {!(a.call?.has_recording || a.meeting?.has_recording) && (
            <Upload
              accept="audio/*"
              showUploadList={false}
              customRequest={({ file, onSuccess, onError: fail }) =>
                upload.mutate(file as File, {
                  onSuccess: () => onSuccess?.(null),
                  onError: (e) => {
                    onError(e);
                    fail?.(e);
                  },
                })
              }
            >
              <Button
                size="small"
                icon={<UploadOutlined />}
                loading={upload.isPending}
                data-testid="upload-recording"
              >
                {t('activities.uploadRecording')}
              </Button>
            </Upload>
          )}
        </Flex>
      )}
      {a.source === 'manual' && (
        <div>
          <Popconfirm
            title={t('activities.deleteConfirm')}
            onConfirm={() => remove.mutate(undefined, { onError })}
          >
            <Button
              size="small"
              type="text"
              icon={<DeleteOutlined />}
              aria-label={t('activities.delete')}
            />
          </Popconfirm>
        </div>
      )}
    </Flex>
  );
}
