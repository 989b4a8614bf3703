/** The kanban's state as plain data: where a deal stands, what a move or a new page changes. */

import type { Page } from '../../api';
import type { BoardColumn, Deal, DealBoard, Pipeline, Stage } from './dealsApi';
import { addToTotals } from './money';

/** The column and the deal with this id, or null. */
export function findDeal(
  board: DealBoard,
  dealId: number,
): { column: BoardColumn; deal: Deal } | null {
  for (const column of board.columns) {
    const deal = column.items.find((d) => d.id === dealId);
    if (deal) return { column, deal };
  }
  return null;
}

export function stageOf(
  pipeline: Pick<Pipeline, 'stages'> | undefined,
  stageId: number,
): Stage | undefined {
  return pipeline?.stages.find((s) => s.id === stageId);
}

/**
 * The board after `dealId` moved to `toStageId`: taken out of its column (count and totals down),
 * put first in the target column (count and totals up). `updated` is the server's answer when
 * known. A deal not on the board, or a move to its own column, leaves the board as it was.
 */
export function moveOnBoard(
  board: DealBoard,
  dealId: number,
  toStageId: number,
  updated?: Deal,
): DealBoard {
  const found = findDeal(board, dealId);
  if (!found || found.column.stage_id === toStageId) return board;
  if (!board.columns.some((c) => c.stage_id === toStageId)) return board;
  const before = found.deal;
  const after: Deal = updated ?? { ...before, stage_id: toStageId };
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.stage_id === found.column.stage_id)
        return {
          ...column,
          count: Math.max(0, column.count - 1),
          totals: addToTotals(column.totals, before.currency, -before.amount_minor),
          items: column.items.filter((d) => d.id !== dealId),
        };
      if (column.stage_id === toStageId)
        return {
          ...column,
          count: column.count + 1,
          totals: addToTotals(column.totals, after.currency, after.amount_minor),
          items: [after, ...column.items.filter((d) => d.id !== dealId)],
        };
      return column;
    }),
  };
}

/** The board with the next page of one column appended (deals already shown are not repeated). */
export function appendColumnPage(board: DealBoard, stageId: number, page: Page<Deal>): DealBoard {
  return {
    ...board,
    columns: board.columns.map((column) => {
      if (column.stage_id !== stageId) return column;
      const shown = new Set(column.items.map((d) => d.id));
      return {
        ...column,
        items: [...column.items, ...page.items.filter((d) => !shown.has(d.id))],
        next_cursor: page.next_cursor,
      };
    }),
  };
}

/** The board with one deal's card replaced by a fresher copy (same column). */
export function replaceOnBoard(board: DealBoard, deal: Deal): DealBoard {
  return {
    ...board,
    columns: board.columns.map((column) => ({
      ...column,
      items: column.items.map((d) => (d.id === deal.id ? deal : d)),
    })),
  };
}
