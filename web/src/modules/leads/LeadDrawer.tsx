import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Descriptions,
  Divider,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Skeleton,
  Space,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { usePeople } from '../clients/people';
import { CardTimeline } from '../clients/Timeline';
import { ActivityTimeline } from '../activities/ActivityTimeline';
import { LeadRoutingSection } from '../routing/LeadRoutingSection';
import { ChannelTag } from './ChannelTag';
import { ConvertModal } from './ConvertModal';
import {
  JUNK_REASONS,
  leadPoints,
  leadsApi,
  useLead,
  useLeadsMutation,
  type LeadStatus,
  type StatusChange,
} from './leadsApi';
import { PriorityReasons, PriorityTag } from './PriorityTag';
import { canConvert, nextStatuses } from './priority';
import { StatusTag } from './StatusTag';

/** A lead opened from the inbox: what was asked, who asked, why its priority, status and history. */
export function LeadDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const lead = useLead(id);
  const [junking, setJunking] = useState(false);
  const [converting, setConverting] = useState(false);
  const [junkForm] = Form.useForm<{ junk_reason: StatusChange['junk_reason']; comment?: string }>();
  const people = usePeople();

  const setStatus = useLeadsMutation((body: StatusChange) => leadsApi.setStatus(id!, body), {
    onSuccess: (updated) => {
      setJunking(false);
      void message.success(
        t('leads.statusChanged', { status: t(`leads.status.${updated.status}`) }),
      );
    },
    onError: (error) => {
      if (junking && error.errors.length)
        junkForm.setFields(
          error.errors
            .filter((e) => e.field === 'junk_reason' || e.field === 'comment')
            .map((e) => ({ name: e.field as never, errors: [e.message] })),
        );
      else void message.error(errorMessage(error, t));
    },
  });

  const data = lead.data;
  const ownerName = data?.owner_user_id
    ? (people.data?.find((p) => p.user_id === data.owner_user_id)?.full_name ??
      `#${data.owner_user_id}`)
    : '';
  const moveTo = (status: LeadStatus) => {
    if (status === 'junk') setJunking(true);
    else setStatus.mutate({ status });
  };

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={isPhone ? '100%' : 640}
      title={
        <span data-testid="lead-drawer-title">
          {data ? data.title || t('leads.untitled') : t('common.loading')}
        </span>
      }
      data-testid="lead-drawer"
      destroyOnHidden
    >
      {lead.isPending && id !== null && <Skeleton active />}
      {lead.isError && <Alert type="error" showIcon message={errorMessage(lead.error, t)} />}
      {data && (
        <Flex vertical gap={16}>
          <Flex wrap gap={8} align="center">
            <PriorityTag priority={data.priority} />
            <StatusTag lead={data} />
            <ChannelTag channel={data.channel} />
            <div style={{ flex: 1 }} />
            <Space wrap>
              {nextStatuses(data.status).length > 0 && (
                <Select<LeadStatus>
                  data-testid="lead-status-select"
                  placeholder={t('leads.changeStatus')}
                  style={{ width: 180 }}
                  value={null as unknown as LeadStatus}
                  loading={setStatus.isPending}
                  onChange={moveTo}
                  options={nextStatuses(data.status).map((s) => ({
                    value: s,
                    label: t(`leads.status.${s}`),
                  }))}
                />
              )}
              {canConvert(data) && (
                <Button
                  type="primary"
                  data-testid="lead-convert"
                  onClick={() => setConverting(true)}
                >
                  {t('leads.convert')}
                </Button>
              )}
            </Space>
          </Flex>
          {data.request_text && (
            <Typography.Paragraph
              data-testid="lead-request"
              style={{ whiteSpace: 'pre-wrap', margin: 0 }}
            >
              {data.request_text}
            </Typography.Paragraph>
          )}
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('leads.field.contact_name')}>
              <span data-testid="lead-contact-name">{data.contact_name}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.field.company_name')}>
              {data.company_name}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.field.phones')}>
              {leadPoints(data, 'phone')
                .map((p) => p.raw || p.value)
                .join(', ')}
            </Descriptions.Item>
            <Descriptions.Item label={t('leads.field.emails')}>
              {leadPoints(data, 'email')
                .map((p) => p.raw || p.value)
                .join(', ')}
            </Descriptions.Item>
            {data.inn && (
              <Descriptions.Item label={t('leads.field.inn')}>{data.inn}</Descriptions.Item>
            )}
            {data.campaign && (
              <Descriptions.Item label={t('leads.col.campaign')}>{data.campaign}</Descriptions.Item>
            )}
            {(data.utm.source || data.utm.campaign) && (
              <Descriptions.Item label="UTM">
                {[data.utm.source, data.utm.medium, data.utm.campaign].filter(Boolean).join(' / ')}
              </Descriptions.Item>
            )}
            {data.product && (
              <Descriptions.Item label={t('leads.field.product')}>{data.product}</Descriptions.Item>
            )}
            {ownerName && (
              <Descriptions.Item label={t('leads.col.owner')}>{ownerName}</Descriptions.Item>
            )}
            <Descriptions.Item label={t('leads.col.created')}>
              {formatDateTime(data.created_at, i18n.language)}
            </Descriptions.Item>
            {(data.converted_company_id ?? data.company_id) && (
              <Descriptions.Item label={t('leads.field.company')}>
                <Link
                  data-testid="lead-company-link"
                  to={`/clients/companies/${data.converted_company_id ?? data.company_id}`}
                >
                  {t('leads.openCompany')}
                </Link>
              </Descriptions.Item>
            )}
            {(data.converted_contact_id ?? data.contact_id) && (
              <Descriptions.Item label={t('leads.field.contact')}>
                <Link to={`/clients/contacts/${data.converted_contact_id ?? data.contact_id}`}>
                  {t('leads.openContact')}
                </Link>
              </Descriptions.Item>
            )}
          </Descriptions>
          <LeadRoutingSection leadId={data.id} open={canConvert(data)} />
          <Divider style={{ margin: 0 }} />
          <div>
            <Typography.Title level={5}>
              {t('leads.priority.title', { score: data.priority.score })}
            </Typography.Title>
            <PriorityReasons priority={data.priority} />
          </div>
          <Divider style={{ margin: 0 }} />
          <ActivityTimeline record={{ type: 'lead', id: data.id }} />
          <div>
            <Typography.Title level={5}>{t('timeline.title')}</Typography.Title>
            <CardTimeline entity="leads" id={data.id} />
          </div>
          <Modal
            open={junking}
            title={t('leads.junkTitle')}
            onCancel={() => setJunking(false)}
            onOk={() => junkForm.submit()}
            okText={t('leads.toJunk')}
            okButtonProps={{ danger: true, 'data-testid': 'junk-confirm' } as never}
            cancelText={t('common.cancel')}
            confirmLoading={setStatus.isPending}
            destroyOnHidden
          >
            <Form
              form={junkForm}
              layout="vertical"
              onFinish={(v) =>
                setStatus.mutate({
                  status: 'junk',
                  junk_reason: v.junk_reason,
                  comment: v.comment?.trim() || undefined,
                })
              }
            >
              <Form.Item
                name="junk_reason"
                label={t('leads.junkReasonLabel')}
                rules={[{ required: true, message: t('leads.junkReasonRequired') }]}
              >
                <Select
                  data-testid="junk-reason"
                  options={JUNK_REASONS.map((r) => ({
                    value: r,
                    label: t(`leads.junkReason.${r}`),
                  }))}
                />
              </Form.Item>
              <Form.Item name="comment" label={t('leads.junkComment')}>
                <Input.TextArea rows={2} maxLength={1000} />
              </Form.Item>
            </Form>
          </Modal>
          {converting && <ConvertModal lead={data} onClose={() => setConverting(false)} />}
        </Flex>
      )}
    </Drawer>
  );
}
