import { describe, expect, it } from 'vitest';
import { appendColumnPage, findDeal, moveOnBoard, replaceOnBoard } from './board';
import type { Deal, DealBoard, Stage } from './dealsApi';

function stage(id: number, kind: Stage['kind'] = 'open'): Stage {
  return {
    id,
    pipeline_id: 1,
    name: `Этап ${id}`,
    position: id,
    probability: 10 * id,
    kind,
    required_fields: [],
    checklist: [],
    idle_days: null,
    is_decision: false,
  };
}

function deal(id: number, stageId: number, amount: number, currency = 'RUB'): Deal {
  return {
    id,
    pipeline_id: 1,
    stage_id: stageId,
    title: `Сделка ${id}`,
    company_id: null,
    company_name: '',
    contact_id: null,
    contact_name: '',
    owner_user_id: null,
    owner_name: '',
    amount_minor: amount,
    currency,
    expected_close_date: null,
    source_lead_id: null,
    forecast_category: 'pipeline',
    status: 'open',
    loss_reason_id: null,
    loss_comment: '',
    checklist: {},
    stage_entered_at: 0,
    last_activity_at: 0,
    idle: false,
    closed_at: null,
    payment_due_at: null,
    payment_overdue: false,
    deleted_at: null,
    created_by: null,
    created_at: 0,
    updated_at: 0,
  };
}

const board: DealBoard = {
  pipeline: {
    id: 1,
    name: 'Основная',
    position: 0,
    is_default: true,
    archived_at: null,
    stages: [stage(1), stage(2), stage(3, 'lost')],
  },
  columns: [
    {
      stage_id: 1,
      count: 3,
      totals: [{ currency: 'RUB', amount_minor: 300_00 }],
      items: [deal(11, 1, 100_00), deal(12, 1, 200_00)],
      next_cursor: 'c1',
    },
    {
      stage_id: 2,
      count: 1,
      totals: [{ currency: 'USD', amount_minor: 50_00 }],
      items: [deal(21, 2, 50_00, 'USD')],
      next_cursor: null,
    },
    { stage_id: 3, count: 0, totals: [], items: [], next_cursor: null },
  ],
};

describe('board after a move', () => {
  it('takes the card out of its column and puts it first in the target, with counts and totals', () => {
    const after = moveOnBoard(board, 12, 2);
    const [from, to] = after.columns;
    expect(from.items.map((d) => d.id)).toEqual([11]);
    expect(from.count).toBe(2);
    expect(from.totals).toEqual([{ currency: 'RUB', amount_minor: 100_00 }]);
    expect(to.items.map((d) => d.id)).toEqual([12, 21]);
    expect(to.items[0].stage_id).toBe(2);
    expect(to.count).toBe(2);
    expect(to.totals).toEqual([
      { currency: 'USD', amount_minor: 50_00 },
      { currency: 'RUB', amount_minor: 200_00 },
    ]);
  });

  it('uses the server answer for the moved card when given', () => {
    const updated = { ...deal(12, 3, 200_00), status: 'lost' as const };
    const after = moveOnBoard(board, 12, 3, updated);
    expect(after.columns[2].items[0].status).toBe('lost');
  });

  it('leaves the board as it was for a move to the same column or an unknown deal or stage', () => {
    expect(moveOnBoard(board, 12, 1)).toBe(board);
    expect(moveOnBoard(board, 99, 2)).toBe(board);
    expect(moveOnBoard(board, 12, 42)).toBe(board);
  });

  it('does not change the board it was given (a refusal restores the snapshot)', () => {
    const snapshot = JSON.stringify(board);
    moveOnBoard(board, 11, 2);
    expect(JSON.stringify(board)).toBe(snapshot);
  });

  it('finds a deal and its column', () => {
    expect(findDeal(board, 21)?.column.stage_id).toBe(2);
    expect(findDeal(board, 99)).toBeNull();
  });

  it('appends the next page of one column without repeating cards', () => {
    const after = appendColumnPage(board, 1, {
      items: [deal(12, 1, 200_00), deal(13, 1, 0)],
      next_cursor: null,
    });
    expect(after.columns[0].items.map((d) => d.id)).toEqual([11, 12, 13]);
    expect(after.columns[0].next_cursor).toBeNull();
    expect(after.columns[1]).toBe(board.columns[1]);
  });

  it('replaces a card with a fresher copy in place', () => {
    const after = replaceOnBoard(board, { ...deal(11, 1, 100_00), title: 'Кухня' });
    expect(after.columns[0].items[0].title).toBe('Кухня');
  });
});
