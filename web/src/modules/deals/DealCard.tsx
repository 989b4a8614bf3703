import { Card, Flex, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Deal } from './dealsApi';
import { formatDate } from './dates';
import { formatMoney } from './money';
import { PaymentTag } from './PaymentTag';

/** A deal on the kanban: title, client, amount, owner, expected close, the idle and payment flags. */
export function DealCard({ deal, dragging }: { deal: Deal; dragging?: boolean }) {
  const { t, i18n } = useTranslation();
  const client = deal.company_name || deal.contact_name;
  return (
    <Card
      size="small"
      hoverable
      data-testid="deal-card"
      data-deal-id={deal.id}
      style={{
        cursor: 'grab',
        boxShadow: dragging ? '0 6px 16px rgba(0,0,0,0.18)' : undefined,
      }}
      styles={{ body: { padding: 10 } }}
    >
      <Flex vertical gap={2}>
        <Typography.Text strong ellipsis={{ tooltip: deal.title }} data-testid="deal-card-title">
          {deal.title}
        </Typography.Text>
        {client && (
          <Typography.Text type="secondary" ellipsis>
            {client}
          </Typography.Text>
        )}
        <Flex justify="space-between" align="center" gap={4} wrap>
          <Typography.Text data-testid="deal-card-amount">
            {deal.amount_minor > 0
              ? formatMoney(deal.amount_minor, deal.currency, i18n.language)
              : '—'}
          </Typography.Text>
          {deal.idle && (
            <Tag color="orange" data-testid="deal-idle" style={{ marginInlineEnd: 0 }}>
              {t('deals.idle')}
            </Tag>
          )}
          <PaymentTag deal={deal} />
        </Flex>
        <Flex justify="space-between" gap={4}>
          <Typography.Text type="secondary" ellipsis style={{ fontSize: 12 }}>
            {deal.owner_name || t('deals.noOwner')}
          </Typography.Text>
          {deal.expected_close_date && (
            <Typography.Text type="secondary" style={{ fontSize: 12, whiteSpace: 'nowrap' }}>
              {formatDate(deal.expected_close_date, i18n.language)}
            </Typography.Text>
          )}
        </Flex>
      </Flex>
    </Card>
  );
}
