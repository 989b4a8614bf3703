import { useMemo, useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Grid,
  Input,
  Modal,
  Select,
  Skeleton,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import {
  routingApi,
  routingKeys,
  useRoutingMutation,
  type HandoffHost,
  type HandoffSlots,
} from './routingApi';
import { useServerOffset } from './serverClock';

const DURATIONS = [60, 90, 120];
const DAYS = 7;

/** Slots of one host grouped by calendar day, in order. */
function byDay(host: HandoffHost, language: string) {
  const fmt = new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  });
  const groups = new Map<string, HandoffHost['slots']>();
  for (const s of host.slots) {
    const key = fmt.format(new Date(s.starts_at));
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.entries()];
}

const timeOf = (ms: number, language: string) =>
  new Intl.DateTimeFormat(language === 'en' ? 'en-GB' : 'ru-RU', {
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(ms));

/**
 * Two-tier selling: the lead manager books a designer-manager's free slot for the client. Slots
 * come from the hosts' calendars; a slot taken meanwhile answers 409 and the list reloads.
 */
export function HandoffModal({ leadId, onClose }: { leadId: number; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const isPhone = !Grid.useBreakpoint().md;
  const offset = useServerOffset();
  const [minutes, setMinutes] = useState(90);
  const [day, setDay] = useState<Dayjs | null>(null);
  const [picked, setPicked] = useState<{ host: HandoffHost; starts_at: number } | null>(null);
  const [form] = Form.useForm<{ place?: string; note?: string }>();

  // From the chosen day's start, or from the server's "now" when none is chosen.
  const from = useMemo(() => {
    const now = Date.now() + offset;
    if (!day) return undefined;
    return Math.max(day.startOf('day').valueOf(), now);
  }, [day, offset]);

  const slots = useQuery<HandoffSlots, ApiError>({
    queryKey: routingKeys.slots(leadId, minutes, from ?? 0),
    queryFn: () => routingApi.slots(leadId, { from, days: DAYS, minutes }),
  });

  const book = useRoutingMutation(
    (v: { place?: string; note?: string }) =>
      routingApi.book(leadId, {
        host_user_id: picked!.host.user_id,
        starts_at: picked!.starts_at,
        minutes,
        place: v.place?.trim() || undefined,
        note: v.note?.trim() || undefined,
      }),
    {
      onSuccess: (meeting) => {
        const booked = t('routing.handoff.booked', {
          time: formatDateTime(meeting.starts_at, i18n.language),
          name: picked?.host.name ?? '',
        });
        const dealId = meeting.deal_id;
        // The hand-off opens the designer's deal: offer the way to it.
        void message.success(
          dealId
            ? {
                duration: 8,
                content: (
                  <span>
                    {booked}{' '}
                    <Typography.Link
                      data-testid="handoff-deal-link"
                      onClick={() => navigate(`/deals/${dealId}`)}
                    >
                      {t('routing.handoff.openDeal')}
                    </Typography.Link>
                  </span>
                ),
              }
            : booked,
        );
        onClose();
      },
      onError: (error) => {
        // Someone else took it, or it fell outside the host's hours: offer fresh slots.
        if (error.status === 409) {
          setPicked(null);
          void slots.refetch();
        }
      },
    },
  );

  const hosts = slots.data?.items ?? [];
  const anySlots = hosts.some((h) => h.slots.length > 0);

  return (
    <Modal
      open
      title={t('routing.handoff.title')}
      onCancel={onClose}
      width={isPhone ? '100%' : 720}
      okText={t('routing.handoff.book')}
      cancelText={t('common.cancel')}
      onOk={() => form.submit()}
      okButtonProps={{ disabled: !picked, 'data-testid': 'handoff-book' } as never}
      confirmLoading={book.isPending}
      destroyOnHidden
      data-testid="handoff-modal"
    >
      <Typography.Paragraph type="secondary">{t('routing.handoff.help')}</Typography.Paragraph>
      <Flex gap={12} wrap style={{ marginBottom: 12 }}>
        <Select
          value={minutes}
          style={{ width: 140 }}
          onChange={(m) => {
            setMinutes(m);
            setPicked(null);
          }}
          data-testid="handoff-minutes"
          options={DURATIONS.map((m) => ({
            value: m,
            label: t('routing.handoff.minutes', { count: m }),
          }))}
        />
        <DatePicker
          value={day}
          allowClear
          placeholder={t('routing.handoff.fromToday')}
          disabledDate={(d) => d.isBefore(dayjs(Date.now() + offset), 'day')}
          onChange={(d) => {
            setDay(d);
            setPicked(null);
          }}
          data-testid="handoff-day"
        />
      </Flex>
      {book.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="handoff-error"
          message={errorMessage(book.error, t)}
          description={book.error.errors.map((e) => e.message).join(' ') || undefined}
        />
      )}
      {slots.isPending ? (
        <Skeleton active />
      ) : slots.isError ? (
        <Alert type="error" showIcon message={errorMessage(slots.error, t)} />
      ) : !anySlots ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('routing.handoff.noSlots', { days: DAYS })}
        />
      ) : (
        <Flex
          vertical
          gap={12}
          style={{ maxHeight: 320, overflow: 'auto', marginBottom: 12 }}
          data-testid="handoff-hosts"
        >
          {hosts
            .filter((h) => h.slots.length > 0)
            .map((host) => (
              <div key={host.user_id} data-testid="handoff-host" data-host-id={host.user_id}>
                <Typography.Text strong>{host.name}</Typography.Text>
                {byDay(host, i18n.language).map(([label, list]) => (
                  <Flex key={label} gap={4} wrap align="center" style={{ marginTop: 4 }}>
                    <Typography.Text type="secondary" style={{ width: 96 }}>
                      {label}
                    </Typography.Text>
                    {list.map((s) => {
                      const active =
                        picked?.host.user_id === host.user_id && picked.starts_at === s.starts_at;
                      return (
                        <Button
                          key={s.starts_at}
                          size="small"
                          type={active ? 'primary' : 'default'}
                          data-testid="handoff-slot"
                          data-starts-at={s.starts_at}
                          onClick={() => setPicked({ host, starts_at: s.starts_at })}
                        >
                          {timeOf(s.starts_at, i18n.language)}
                        </Button>
                      );
                    })}
                  </Flex>
                ))}
              </div>
            ))}
        </Flex>
      )}
      {picked && (
        <Alert
          type="info"
          style={{ marginBottom: 12 }}
          data-testid="handoff-picked"
          message={t('routing.handoff.picked', {
            name: picked.host.name,
            time: formatDateTime(picked.starts_at, i18n.language),
          })}
        />
      )}
      <Form form={form} layout="vertical" onFinish={(v) => picked && book.mutate(v)}>
        <Form.Item name="place" label={t('routing.handoff.place')}>
          <Input
            maxLength={500}
            placeholder={t('routing.handoff.placeHint')}
            data-testid="handoff-place"
          />
        </Form.Item>
        <Form.Item name="note" label={t('routing.handoff.note')} style={{ marginBottom: 0 }}>
          <Input.TextArea rows={2} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
