import { List, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Priority } from './leadsApi';
import { priorityColor, reasonLine, sortedReasons } from './priority';

/** Why a lead has its score: one line per reason with its points. */
export function PriorityReasons({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  if (priority.reasons.length === 0)
    return <Typography.Text type="secondary">{t('leads.priority.noReasons')}</Typography.Text>;
  return (
    <List
      size="small"
      data-testid="priority-reasons"
      dataSource={sortedReasons(priority.reasons)}
      renderItem={(r) => (
        <List.Item style={{ padding: '2px 0' }}>
          <Typography.Text type={r.points < 0 ? 'danger' : undefined}>
            {reasonLine(r)}
          </Typography.Text>
        </List.Item>
      )}
    />
  );
}

/** The score as a coloured tag; hovering lists the reasons. */
export function PriorityTag({ priority }: { priority: Priority }) {
  const { t } = useTranslation();
  return (
    <Tooltip
      title={
        <div style={{ minWidth: 220 }}>
          <div style={{ fontWeight: 600, marginBottom: 4 }}>
            {t('leads.priority.title', { score: priority.score })}
          </div>
          {sortedReasons(priority.reasons).map((r) => (
            <div key={r.code}>{reasonLine(r)}</div>
          ))}
          {priority.reasons.length === 0 && t('leads.priority.noReasons')}
        </div>
      }
    >
      <Tag color={priorityColor(priority.score)} data-testid="lead-score">
        {priority.score}
      </Tag>
    </Tooltip>
  );
}
