import { Alert, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { useLossReasons, type Deal, type Stage } from './dealsApi';

/** Losing a deal: a reason from the workspace's list (required) and a comment. */
export function LossDialog({
  deal,
  stage,
  pending,
  onCancel,
  onConfirm,
}: {
  deal: Deal;
  stage: Stage;
  pending: boolean;
  onCancel: () => void;
  onConfirm: (v: { loss_reason_id: number; loss_comment?: string }) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ loss_reason_id: number; loss_comment?: string }>();
  const reasons = useLossReasons();
  const active = (reasons.data ?? []).filter((r) => r.archived_at === null);
  return (
    <Modal
      open
      title={t('deals.loss.title', { title: deal.title, stage: stage.name })}
      onCancel={onCancel}
      onOk={() => form.submit()}
      okText={t('deals.loss.confirm')}
      okButtonProps={{ danger: true, 'data-testid': 'loss-confirm' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={pending}
      data-testid="loss-dialog"
      destroyOnHidden
    >
      {reasons.isError && <Alert type="error" showIcon message={errorMessage(reasons.error, t)} />}
      <Form
        form={form}
        layout="vertical"
        onFinish={(v) =>
          onConfirm({
            loss_reason_id: v.loss_reason_id,
            loss_comment: v.loss_comment?.trim() || undefined,
          })
        }
      >
        <Form.Item
          name="loss_reason_id"
          label={t('deals.loss.reason')}
          rules={[{ required: true, message: t('deals.loss.reasonRequired') }]}
        >
          <Select
            data-testid="loss-reason"
            loading={reasons.isPending}
            options={active.map((r) => ({
              value: r.id,
              label: <span data-testid="loss-reason-option">{r.name}</span>,
              title: r.name,
            }))}
            notFoundContent={t('deals.loss.noReasons')}
          />
        </Form.Item>
        <Form.Item name="loss_comment" label={t('deals.loss.comment')}>
          <Input.TextArea data-testid="loss-comment" rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
