import { Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { TFunction } from 'i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../deals/dates';
import { formatMoney } from '../deals/money';
import { STATUS_COLOR } from './billing';
import type { Invoice } from './billingApi';

/**
 * The columns every invoice table shares — number (a link to the invoice), status, total, what is still owed and
 * by when; `testIds` names the link and the tag for the page's tests. `extra` columns go after the number.
 */
export function invoiceColumns(
  t: TFunction,
  language: string,
  testIds: { link: string; status: string },
  extra: ColumnsType<Invoice> = [],
): ColumnsType<Invoice> {
  return [
    {
      key: 'number',
      title: t('billing.field.number'),
      render: (_, inv) => (
        <Link to={`/billing/invoices/${inv.id}`} data-testid={testIds.link}>
          {inv.number ?? t('billing.draft')}
        </Link>
      ),
    },
    ...extra,
    {
      key: 'status',
      title: t('billing.field.status'),
      render: (_, inv) => (
        <Tag color={STATUS_COLOR[inv.status]} data-testid={testIds.status}>
          {t(`billing.status.${inv.status}`)}
        </Tag>
      ),
    },
    {
      key: 'total',
      title: t('billing.field.total'),
      align: 'right',
      render: (_, inv) => formatMoney(inv.total_minor, inv.currency, language),
    },
    {
      key: 'owed',
      title: t('billing.field.outstanding'),
      align: 'right',
      render: (_, inv) =>
        inv.state === 'issued' ? formatMoney(inv.outstanding_minor, inv.currency, language) : '—',
    },
    {
      key: 'due',
      title: t('billing.field.next_due'),
      render: (_, inv) => (inv.state === 'issued' ? formatDate(inv.next_due_date, language) : ''),
    },
  ];
}
