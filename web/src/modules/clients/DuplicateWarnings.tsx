import { Alert, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { DuplicateMatch } from './clientsApi';
import { matchFields, matchLink, sortMatches } from './duplicates';

/** The records that look like the one being entered, each with a link to its card. */
export function DuplicateWarnings({
  matches,
  extra,
}: {
  matches: readonly DuplicateMatch[] | undefined;
  extra?: (match: DuplicateMatch) => React.ReactNode;
}) {
  const { t } = useTranslation();
  if (!matches || matches.length === 0) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="duplicate-warnings"
      style={{ marginBottom: 12 }}
      message={t('duplicates.found', { count: sortMatches(matches).length })}
      description={
        <List
          size="small"
          dataSource={sortMatches(matches)}
          renderItem={(m) => (
            <List.Item data-testid="duplicate-match" extra={extra?.(m)}>
              <Space wrap size={4}>
                <Tag>{t(`duplicates.type.${m.type}`)}</Tag>
                {matchLink(m) ? (
                  <Link to={matchLink(m)!} target="_blank">
                    {m.title}
                  </Link>
                ) : (
                  <Typography.Text>
                    {t('duplicates.hidden', { owner: m.owner_name || '—' })}
                  </Typography.Text>
                )}
                <Typography.Text type="secondary">
                  {t('duplicates.matchedOn', {
                    fields: matchFields(m)
                      .map((f) => t(`duplicates.field.${f}`, f))
                      .join(', '),
                  })}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      }
    />
  );
}
