/** Shipments on the screen (DEAL-8): the moves a shipment may make, colours, and a new shipment's draft checked
 *  against what is left of each line — the same rules the server enforces, so the form says it before sending. */

import { milliToQuantity, quantityToMilli } from '../catalog/units';
import type { ProductionStatus, ShipmentLine, ShipmentStatus } from './shipmentsApi';

export const STATUS_COLOR: Record<ShipmentStatus, string> = {
  preparing: 'blue',
  shipped: 'gold',
  delivered: 'green',
  returned: 'default',
};

export const PRODUCTION_COLOR: Record<ProductionStatus, string> = {
  requested: 'orange',
  in_production: 'processing',
  ready: 'green',
};

/** preparing → shipped; shipped → delivered or returned; delivered → returned (as the server's CheckTransition). */
export function nextStatuses(status: ShipmentStatus): ShipmentStatus[] {
  switch (status) {
    case 'preparing':
      return ['shipped'];
    case 'shipped':
      return ['delivered', 'returned'];
    case 'delivered':
      return ['returned'];
    default:
      return [];
  }
}

/** requested → in_production → ready, one step at a time. */
export function nextProductionStatus(status: ProductionStatus): ProductionStatus | null {
  return status === 'requested' ? 'in_production' : status === 'in_production' ? 'ready' : null;
}

/** What a line still has to ship, as people read it: "1.5 of 2.5 шт". */
export function remainingText(line: ShipmentLine): string {
  const unit = line.unit ? ` ${line.unit}` : '';
  return `${milliToQuantity(line.remaining_milli)} / ${milliToQuantity(line.quantity_milli)}${unit}`;
}

export interface DraftCheck {
  items: { deal_line_id: number; quantity_milli: number }[];
  /** Line id → what is wrong with its quantity ('bad' — not a quantity; 'over' — more than is left). */
  problems: Record<number, 'bad' | 'over'>;
}

/** The draft's quantities (line id → text; empty means "not in this shipment") as the request's items. */
export function checkDraft(lines: ShipmentLine[], draft: Record<number, string>): DraftCheck {
  const out: DraftCheck = { items: [], problems: {} };
  for (const line of lines) {
    const text = (draft[line.deal_line_id] ?? '').trim();
    if (text === '') continue;
    const milli = quantityToMilli(text);
    if (milli === null || milli === 0) out.problems[line.deal_line_id] = 'bad';
    else if (milli > line.remaining_milli) out.problems[line.deal_line_id] = 'over';
    else out.items.push({ deal_line_id: line.deal_line_id, quantity_milli: milli });
  }
  return out;
}

/** Every remaining quantity, for "ship everything that is left". */
export function everythingLeft(lines: ShipmentLine[]): Record<number, string> {
  const draft: Record<number, string> = {};
  for (const l of lines)
    if (l.remaining_milli > 0) draft[l.deal_line_id] = milliToQuantity(l.remaining_milli);
  return draft;
}
