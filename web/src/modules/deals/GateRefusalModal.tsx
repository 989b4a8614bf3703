import { Button, List, Modal, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Stage } from './dealsApi';
import type { GateRefusal } from './gate';

/** The gate's refusal: the stage and every missing field or unticked item, as the server worded them. */
export function GateRefusalModal({
  refusal,
  stage,
  onClose,
  onOpenDeal,
}: {
  refusal: GateRefusal;
  stage: Stage;
  onClose: () => void;
  onOpenDeal?: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Modal
      open
      title={t('deals.gate.title', { stage: stage.name })}
      onCancel={onClose}
      data-testid="gate-refusal"
      footer={[
        onOpenDeal && (
          <Button key="open" data-testid="gate-open-deal" onClick={onOpenDeal}>
            {t('deals.gate.openDeal')}
          </Button>
        ),
        <Button key="ok" type="primary" data-testid="gate-refusal-close" onClick={onClose}>
          {t('deals.gate.understood')}
        </Button>,
      ]}
    >
      {refusal.detail && (
        <Typography.Paragraph type="secondary">{refusal.detail}</Typography.Paragraph>
      )}
      <List
        size="small"
        bordered
        dataSource={refusal.items}
        renderItem={(item) => (
          <List.Item data-testid="gate-missing" data-field={item.field}>
            {item.message}
          </List.Item>
        )}
      />
    </Modal>
  );
}
