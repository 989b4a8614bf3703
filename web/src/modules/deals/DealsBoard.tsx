import { useState } from 'react';
import { Alert, Button, Empty, Flex, Grid, Skeleton, Tag, Typography, theme } from 'antd';
import {
  DndContext,
  DragOverlay,
  KeyboardSensor,
  PointerSensor,
  TouchSensor,
  useDraggable,
  useDroppable,
  useSensor,
  useSensors,
  type DragEndEvent,
  type DragStartEvent,
} from '@dnd-kit/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { appendColumnPage, findDeal, moveOnBoard, stageOf } from './board';
import { DealCard } from './DealCard';
import {
  COLUMN_PAGE,
  dealKeys,
  dealsApi,
  type BoardColumn,
  type Deal,
  type DealBoard,
  type Stage,
} from './dealsApi';
import { formatTotals } from './money';
import { useStageMove } from './useStageMove';

const KIND_COLOR: Record<Stage['kind'], string> = { open: 'blue', won: 'green', lost: 'red' };

function DraggableDeal({ deal, onOpen }: { deal: Deal; onOpen: (id: number) => void }) {
  const { attributes, listeners, setNodeRef, isDragging } = useDraggable({
    id: `deal-${deal.id}`,
    data: { dealId: deal.id },
  });
  return (
    <div
      ref={setNodeRef}
      {...attributes}
      {...listeners}
      style={{ opacity: isDragging ? 0.4 : 1, touchAction: 'manipulation' }}
      onClick={() => onOpen(deal.id)}
    >
      <DealCard deal={deal} />
    </div>
  );
}

function Column({
  column,
  stage,
  onOpen,
  onMore,
  loadingMore,
  width,
}: {
  column: BoardColumn;
  stage: Stage;
  onOpen: (id: number) => void;
  onMore: () => void;
  loadingMore: boolean;
  width: number | string;
}) {
  const { t, i18n } = useTranslation();
  const { token } = theme.useToken();
  const { setNodeRef, isOver } = useDroppable({
    id: `stage-${stage.id}`,
    data: { stageId: stage.id },
  });
  const totals = formatTotals(column.totals, i18n.language);
  return (
    <div
      ref={setNodeRef}
      data-testid="board-column"
      data-stage-id={stage.id}
      data-stage-name={stage.name}
      data-stage-kind={stage.kind}
      style={{
        flex: `0 0 ${typeof width === 'number' ? `${width}px` : width}`,
        background: isOver ? token.colorPrimaryBg : token.colorFillQuaternary,
        border: `1px solid ${isOver ? token.colorPrimaryBorder : token.colorBorderSecondary}`,
        borderRadius: token.borderRadiusLG,
        padding: 8,
        display: 'flex',
        flexDirection: 'column',
        gap: 8,
        minHeight: 200,
      }}
    >
      <div data-testid="board-column-header">
        <Flex justify="space-between" align="center" gap={4}>
          <Typography.Text strong ellipsis={{ tooltip: stage.name }}>
            {stage.name}
          </Typography.Text>
          <Tag color={KIND_COLOR[stage.kind]} style={{ marginInlineEnd: 0 }}>
            {stage.probability}%
          </Tag>
        </Flex>
        <Flex justify="space-between" gap={4}>
          <Typography.Text type="secondary" data-testid="board-column-count">
            {t('deals.board.count', { count: column.count })}
          </Typography.Text>
          <Typography.Text type="secondary" data-testid="board-column-total">
            {totals}
          </Typography.Text>
        </Flex>
      </div>
      <Flex vertical gap={8} data-testid="board-column-cards">
        {column.items.map((deal) => (
          <DraggableDeal key={deal.id} deal={deal} onOpen={onOpen} />
        ))}
      </Flex>
      {column.next_cursor && (
        <Button
          size="small"
          type="link"
          data-testid="board-column-more"
          loading={loadingMore}
          onClick={onMore}
        >
          {t('common.loadMore')}
        </Button>
      )}
    </div>
  );
}

/** A pipeline's kanban: one column per stage; drag a card to move the deal (through the gate). */
export function DealsBoard({
  pipelineId,
  filters,
  onOpen,
}: {
  pipelineId: number;
  filters: Record<string, string>;
  onOpen: (id: number) => void;
}) {
  const { t } = useTranslation();
  const isPhone = !Grid.useBreakpoint().md;
  const queryClient = useQueryClient();
  const key = dealKeys.board(pipelineId, filters);
  const board = useQuery<DealBoard, ApiError>({
    queryKey: key,
    queryFn: () => dealsApi.board(pipelineId, filters),
  });
  const [active, setActive] = useState<Deal | null>(null);
  const [loadingMore, setLoadingMore] = useState<number | null>(null);
  const stageMove = useStageMove({ onOpenDeal: onOpen });
  const sensors = useSensors(
    useSensor(PointerSensor, { activationConstraint: { distance: 6 } }),
    useSensor(TouchSensor, { activationConstraint: { delay: 250, tolerance: 8 } }),
    useSensor(KeyboardSensor),
  );

  const data = board.data;
  const onDragStart = (event: DragStartEvent) => {
    const id = event.active.data.current?.dealId as number | undefined;
    setActive((data && id !== undefined && findDeal(data, id)?.deal) || null);
  };
  const onDragEnd = (event: DragEndEvent) => {
    setActive(null);
    const dealId = event.active.data.current?.dealId as number | undefined;
    const stageId = event.over?.data.current?.stageId as number | undefined;
    if (!data || dealId === undefined || stageId === undefined) return;
    const found = findDeal(data, dealId);
    const stage = stageOf(data.pipeline, stageId);
    if (!found || !stage || found.deal.stage_id === stageId) return;
    const snapshot = data;
    // The card moves at once; a refusal puts it back where it was.
    if (stage.kind !== 'lost') queryClient.setQueryData(key, moveOnBoard(data, dealId, stageId));
    stageMove.move(found.deal, stage, {
      onFailed: () => queryClient.setQueryData(key, snapshot),
    });
  };

  const loadMore = async (column: BoardColumn, stage: Stage) => {
    if (!column.next_cursor) return;
    setLoadingMore(stage.id);
    try {
      const page = await dealsApi.list(
        { ...filters, stage_id: stage.id, status: stage.kind },
        column.next_cursor,
        COLUMN_PAGE,
      );
      queryClient.setQueryData<DealBoard>(key, (old) =>
        old ? appendColumnPage(old, stage.id, page) : old,
      );
    } finally {
      setLoadingMore(null);
    }
  };

  if (board.isPending) return <Skeleton active />;
  if (board.isError)
    return (
      <Alert
        type="error"
        showIcon
        data-testid="deals-error"
        message={errorMessage(board.error, t)}
      />
    );
  if (!data || data.columns.length === 0) return <Empty description={t('deals.board.noStages')} />;

  return (
    <DndContext
      sensors={sensors}
      onDragStart={onDragStart}
      onDragEnd={onDragEnd}
      onDragCancel={() => setActive(null)}
    >
      <div
        data-testid="deals-board"
        style={{
          display: 'flex',
          gap: 12,
          overflowX: 'auto',
          paddingBottom: 8,
          alignItems: 'flex-start',
          scrollSnapType: isPhone ? 'x mandatory' : undefined,
        }}
      >
        {data.columns.map((column) => {
          const stage = stageOf(data.pipeline, column.stage_id);
          if (!stage) return null;
          return (
            <div key={column.stage_id} style={{ scrollSnapAlign: 'start', display: 'flex' }}>
              <Column
                column={column}
                stage={stage}
                onOpen={onOpen}
                onMore={() => void loadMore(column, stage)}
                loadingMore={loadingMore === stage.id}
                width={isPhone ? '82vw' : 272}
              />
            </div>
          );
        })}
      </div>
      <DragOverlay>{active ? <DealCard deal={active} dragging /> : null}</DragOverlay>
      {stageMove.element}
    </DndContext>
  );
}
