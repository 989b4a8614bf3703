import { Flex, Progress, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatBp, percentOf } from './format';
import type { PeriodKind } from './plansApi';

export interface PaceBarProps {
  /** fact / plan, basis points */
  shareBp: number | null | undefined;
  /** projected fact / plan at this pace, basis points */
  projectedBp: number | null | undefined;
  period?: PeriodKind;
  finished?: boolean;
  testId?: string;
}

/** Fact against plan (the solid part) and where the period ends at this pace (the lighter part). */
export default function PaceBar({
  shareBp,
  projectedBp,
  period = 'month',
  finished,
  testId,
}: PaceBarProps) {
  const { t, i18n } = useTranslation();
  if (shareBp == null)
    return <Typography.Text type="secondary">{t('plans.noPlan')}</Typography.Text>;
  const fact = Math.min(100, percentOf(shareBp));
  const projected = Math.min(100, percentOf(projectedBp ?? shareBp));
  const behind = (projectedBp ?? shareBp) < 9500;
  return (
    <Flex vertical gap={0} data-testid={testId} style={{ minWidth: 160 }}>
      <Tooltip title={t('plans.paceTooltip')}>
        <Progress
          percent={Math.max(projected, fact)}
          success={{ percent: fact }}
          strokeColor={behind ? '#faad14' : '#91caff'}
          showInfo={false}
          size="small"
        />
      </Tooltip>
      <Typography.Text style={{ fontSize: 12 }}>
        {formatBp(shareBp, i18n.language)}
        {!finished && projectedBp != null && (
          <Typography.Text type={behind ? 'warning' : 'secondary'} style={{ fontSize: 12 }}>
            {' · '}
            {t(`plans.pace.${period}`, { percent: formatBp(projectedBp, i18n.language) })}
          </Typography.Text>
        )}
      </Typography.Text>
    </Flex>
  );
}
