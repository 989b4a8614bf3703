import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Lead } from './leadsApi';

const COLORS: Record<string, string> = {
  new: 'blue',
  in_work: 'processing',
  qualified: 'cyan',
  converted: 'green',
  junk: 'default',
};

export function StatusTag({ lead }: { lead: Pick<Lead, 'status' | 'junk_reason'> }) {
  const { t } = useTranslation();
  const tag = (
    <Tag color={COLORS[lead.status]} data-testid="lead-status" data-status={lead.status}>
      {t(`leads.status.${lead.status}`)}
    </Tag>
  );
  if (lead.status === 'junk' && lead.junk_reason)
    return <Tooltip title={t(`leads.junkReason.${lead.junk_reason}`)}>{tag}</Tooltip>;
  return tag;
}
