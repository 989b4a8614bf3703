import { Card, Descriptions, Empty, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ContactPoint, CustomField } from './clientsApi';
import { customValueText, fieldLabel } from './options';

/** Phones or e-mails with their labels, each a tel:/mailto: link. */
export function Points({
  points,
  kind,
}: {
  points: readonly ContactPoint[];
  kind: 'phones' | 'emails';
}) {
  const { t } = useTranslation();
  if (points.length === 0) return null;
  return (
    <Space direction="vertical" size={0}>
      {points.map((p, i) => (
        <span key={`${p.value}-${i}`} data-testid={`card-${kind}`}>
          <a href={kind === 'phones' ? `tel:${p.value}` : `mailto:${p.value}`}>
            {p.raw ?? p.value}
          </a>
          {p.label && (
            <Tag style={{ marginLeft: 6 }} bordered={false}>
              {t(`clients.pointLabel.${p.label}`, p.label)}
            </Tag>
          )}
        </span>
      ))}
    </Space>
  );
}

/** A titled group of card fields; rows without a value are left out. */
export function Group({
  title,
  rows,
  testId,
}: {
  title: string;
  rows: [string, React.ReactNode][];
  testId?: string;
}) {
  const filled = rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false);
  return (
    <Card size="small" title={title} data-testid={testId}>
      {filled.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="—" />
      ) : (
        <Descriptions size="small" column={1}>
          {filled.map(([label, value]) => (
            <Descriptions.Item key={label} label={label}>
              {value}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
    </Card>
  );
}

/** The workspace's custom fields of a card with their values. */
export function CustomGroup({
  fields,
  values,
}: {
  fields: readonly CustomField[] | undefined;
  values: Record<string, unknown>;
}) {
  const { t, i18n } = useTranslation();
  if (!fields || fields.length === 0) return null;
  return (
    <Group
      title={t('clients.group.custom')}
      rows={fields.map((f) => [
        fieldLabel(f, i18n.language),
        customValueText(f, values[f.code], i18n.language),
      ])}
    />
  );
}
