import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format';
import type { LeadSla, SlaState } from './routingApi';
import { useServerNow } from './serverClock';
import { countdown, type SlaTone } from './sla';

const TEXT_TYPE: Record<SlaTone, 'success' | 'warning' | 'danger'> = {
  ok: 'success',
  warn: 'warning',
  overdue: 'danger',
};

const STATE_COLOR: Record<SlaState, string> = {
  running: 'processing',
  responded: 'green',
  queued: 'gold',
  escalated: 'red',
  cancelled: 'default',
};

/** A running first-response clock: mm:ss under an hour, else the deadline's time; coloured. */
export function SlaCountdown({
  deadlineAt,
  slaMinutes,
  testId = 'sla-countdown',
}: {
  deadlineAt: number;
  slaMinutes: number;
  testId?: string;
}) {
  const { t, i18n } = useTranslation();
  const now = useServerNow();
  const c = countdown(deadlineAt, slaMinutes, now, i18n.language);
  const label =
    c.mode === 'left'
      ? c.text
      : c.mode === 'until'
        ? t('routing.sla.until', { time: c.text })
        : t('routing.sla.overdue', { time: c.text });
  return (
    <Tooltip
      title={t('routing.sla.deadline', {
        time: formatDateTime(deadlineAt, i18n.language),
        minutes: slaMinutes,
      })}
    >
      <Typography.Text
        type={TEXT_TYPE[c.tone]}
        strong
        data-testid={testId}
        data-tone={c.tone}
        data-mode={c.mode}
        style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      >
        {label}
      </Typography.Text>
    </Tooltip>
  );
}

/** The SLA cell of a lead: the countdown while the clock runs, else a tag with its state. */
export function SlaStatus({ sla }: { sla: LeadSla | null | undefined }) {
  const { t } = useTranslation();
  if (!sla || sla.state === 'cancelled')
    return (
      <Tooltip title={sla ? t('routing.state.cancelled') : t('routing.sla.none')}>
        <Typography.Text type="secondary" data-testid="lead-sla" data-state={sla?.state ?? 'none'}>
          —
        </Typography.Text>
      </Tooltip>
    );
  if (sla.state === 'running' && sla.deadline_at != null)
    return (
      <span data-testid="lead-sla" data-state="running">
        <SlaCountdown deadlineAt={sla.deadline_at} slaMinutes={sla.sla_minutes} />
      </span>
    );
  return <SlaStateTag state={sla.state} testId="lead-sla" />;
}

/** The state of a clock as a coloured tag ("Отвечено", "В очереди", "Эскалирован"). */
export function SlaStateTag({ state, testId }: { state: SlaState; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOR[state]} data-testid={testId} data-state={state}>
      {t(`routing.state.${state}`)}
    </Tag>
  );
}
