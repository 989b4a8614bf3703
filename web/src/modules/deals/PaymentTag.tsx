import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format';
import type { Deal } from './dealsApi';

/**
 * The 72-hour payment window (DEAL-6): red once it passed unpaid, gold while it runs; nothing before the
 * client's decision or after the deal is won or lost.
 */
export function PaymentTag({ deal }: { deal: Pick<Deal, 'payment_due_at' | 'payment_overdue'> }) {
  const { t, i18n } = useTranslation();
  if (deal.payment_overdue)
    return (
      <Tag color="red" data-testid="deal-payment-overdue" style={{ marginInlineEnd: 0 }}>
        {t('deals.paymentOverdue')}
      </Tag>
    );
  if (deal.payment_due_at === null) return null;
  return (
    <Tag color="gold" data-testid="deal-payment-due" style={{ marginInlineEnd: 0 }}>
      {t('deals.paymentDue', { at: formatDateTime(deal.payment_due_at, i18n.language) })}
    </Tag>
  );
}
