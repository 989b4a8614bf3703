import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  everythingLeft,
  nextProductionStatus,
  nextStatuses,
  remainingText,
} from './shipments';
import type { ShipmentLine } from './shipmentsApi';

const line = (id: number, sold: number, shipped: number): ShipmentLine => ({
  deal_line_id: id,
  product_id: null,
  name: `Позиция ${id}`,
  sku: '',
  unit: 'шт',
  quantity_milli: sold,
  shipped_milli: shipped,
  remaining_milli: Math.max(0, sold - shipped),
  made_to_order: false,
});

describe('shipment rules on the screen', () => {
  it('moves only as the server allows', () => {
    expect(nextStatuses('preparing')).toEqual(['shipped']);
    expect(nextStatuses('shipped')).toEqual(['delivered', 'returned']);
    expect(nextStatuses('delivered')).toEqual(['returned']);
    expect(nextStatuses('returned')).toEqual([]);
    expect(nextProductionStatus('requested')).toBe('in_production');
    expect(nextProductionStatus('in_production')).toBe('ready');
    expect(nextProductionStatus('ready')).toBeNull();
  });

  it('checks a draft against what is left of each line', () => {
    const lines = [line(1, 2500, 1000), line(2, 3000, 0), line(3, 1000, 1000)];
    expect(remainingText(lines[0])).toBe('1.5 / 2.5 шт');
    const ok = checkDraft(lines, { 1: '1,5', 2: '' });
    expect(ok.items).toEqual([{ deal_line_id: 1, quantity_milli: 1500 }]);
    expect(ok.problems).toEqual({});
    const bad = checkDraft(lines, { 1: '1.6', 2: 'два', 3: '0' });
    expect(bad.items).toEqual([]);
    expect(bad.problems).toEqual({ 1: 'over', 2: 'bad', 3: 'bad' });
    expect(everythingLeft(lines)).toEqual({ 1: '1.5', 2: '3' });
  });
});
