import { useState, type ReactNode } from 'react';
import { App } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { dealsApi, useDealsMutation, type Deal, type Stage } from './dealsApi';
import { gateRefusal, needsLossReason, type GateRefusal } from './gate';
import { GateRefusalModal } from './GateRefusalModal';
import { LossDialog } from './LossDialog';

interface MoveCallbacks {
  /** The server moved the deal. */
  onMoved?: (deal: Deal) => void;
  /** The move did not happen (refused, failed or the loss dialog was cancelled). */
  onFailed?: () => void;
}

interface Pending extends MoveCallbacks {
  deal: Deal;
  stage: Stage;
}

/**
 * Moving a deal to another stage, the same way from the kanban and the deal drawer: a lost stage
 * asks for the loss reason first; a gate refusal is shown listing exactly what the server said is
 * missing. Render `element` once; call `move`.
 */
export function useStageMove({ onOpenDeal }: { onOpenDeal?: (dealId: number) => void } = {}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [refused, setRefused] = useState<{
    refusal: GateRefusal;
    stage: Stage;
    dealId: number;
  } | null>(null);
  const [losing, setLosing] = useState<Pending | null>(null);

  const mutation = useDealsMutation(
    (v: Pending & { loss_reason_id?: number; loss_comment?: string }) =>
      dealsApi.move(v.deal.id, {
        stage_id: v.stage.id,
        loss_reason_id: v.loss_reason_id,
        loss_comment: v.loss_comment,
      }),
    {
      onSuccess: (deal, v) => {
        setLosing(null);
        void message.success(t('deals.moved', { stage: v.stage.name }));
        v.onMoved?.(deal);
      },
      onError: (error, v) => {
        const refusal = gateRefusal(error);
        if (refusal) {
          setLosing(null);
          setRefused({ refusal, stage: v.stage, dealId: v.deal.id });
          v.onFailed?.();
          return;
        }
        if (needsLossReason(error) && !losing) {
          setLosing(v);
          return;
        }
        if (!losing) v.onFailed?.();
        void message.error(errorMessage(error, t));
      },
    },
  );

  const move = (deal: Deal, stage: Stage, callbacks: MoveCallbacks = {}) => {
    if (stage.id === deal.stage_id) return;
    if (stage.kind === 'lost') setLosing({ deal, stage, ...callbacks });
    else mutation.mutate({ deal, stage, ...callbacks });
  };

  const element: ReactNode = (
    <>
      {refused && (
        <GateRefusalModal
          refusal={refused.refusal}
          stage={refused.stage}
          onClose={() => setRefused(null)}
          onOpenDeal={
            onOpenDeal
              ? () => {
                  onOpenDeal(refused.dealId);
                  setRefused(null);
                }
              : undefined
          }
        />
      )}
      {losing && (
        <LossDialog
          deal={losing.deal}
          stage={losing.stage}
          pending={mutation.isPending}
          onCancel={() => {
            losing.onFailed?.();
            setLosing(null);
          }}
          onConfirm={(v) => mutation.mutate({ ...losing, ...v })}
        />
      )}
    </>
  );
  return { move, element, pending: mutation.isPending };
}
