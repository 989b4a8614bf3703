import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import i18n from '../../i18n';
import { PaymentTag } from './PaymentTag';

describe('PaymentTag', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('ru');
  });
  it('shows nothing before the decision', () => {
    const { container } = render(
      <PaymentTag deal={{ payment_due_at: null, payment_overdue: false }} />,
    );
    expect(container.textContent).toBe('');
  });
  it('shows the end of a running window', () => {
    render(
      <PaymentTag deal={{ payment_due_at: Date.UTC(2026, 11, 6, 9, 0), payment_overdue: false }} />,
    );
    expect(screen.getByTestId('deal-payment-due').textContent).toMatch(/^Оплата до .*2026/);
  });
  it('flags a window that passed unpaid', () => {
    render(<PaymentTag deal={{ payment_due_at: 1, payment_overdue: true }} />);
    expect(screen.getByTestId('deal-payment-overdue').textContent).toBe('Оплата просрочена');
  });
  it('speaks English too', async () => {
    await i18n.changeLanguage('en');
    render(<PaymentTag deal={{ payment_due_at: 1, payment_overdue: true }} />);
    expect(screen.getByTestId('deal-payment-overdue').textContent).toBe('Payment overdue');
  });
});
