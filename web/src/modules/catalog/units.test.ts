import { describe, expect, it } from 'vitest';
import { bpToPercent, milliToQuantity, percentToBp, quantityToMilli } from './units';

describe('catalog units', () => {
  it('reads and writes percents as basis points without floating point', () => {
    expect(bpToPercent(1250)).toBe('12.5');
    expect(bpToPercent(1005)).toBe('10.05');
    expect(bpToPercent(500)).toBe('5');
    expect(percentToBp('12,5')).toBe(1250);
    expect(percentToBp('10.05 %')).toBe(1005);
    expect(percentToBp('0.1')).toBe(10);
    expect(percentToBp('-5')).toBeNull();
    expect(percentToBp('1.234')).toBeNull();
    expect(percentToBp('')).toBeNull();
  });

  it('reads and writes quantities as thousandths', () => {
    expect(milliToQuantity(1500)).toBe('1.5');
    expect(milliToQuantity(2005)).toBe('2.005');
    expect(milliToQuantity(10000)).toBe('10');
    expect(quantityToMilli('3,4')).toBe(3400);
    expect(quantityToMilli('0.001')).toBe(1);
    expect(quantityToMilli('-1')).toBeNull();
    expect(quantityToMilli('1.0005')).toBeNull();
  });
});
