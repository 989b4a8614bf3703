import { useMemo, useState } from 'react';
import { Alert, Form, Modal, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { childrenIndex, subtreeIds } from './tree';
import { orgApi, useOrgMutation } from './orgApi';
import type { FlatDepartment } from './useOrgData';
import { useNotice } from './useRefusal';

const ROOT = 0;

interface SelectNode {
  value: number;
  title: string;
  disabled?: boolean;
  children?: SelectNode[];
}

/** Moves a department under another parent: the keyboard and phone way to do what dragging does. Mounted when it opens. */
export function MoveModal({
  department,
  departments,
  onClose,
}: {
  department: FlatDepartment | null;
  departments: readonly FlatDepartment[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const notice = useNotice();
  const [target, setTarget] = useState<number>(department?.parent_id ?? ROOT);

  const treeData = useMemo<SelectNode[]>(() => {
    if (!department) return [];
    const active = departments.filter((d) => !d.archived);
    const index = childrenIndex(active, i18n.language);
    // Offering the department itself or its subtree would only earn a refusal.
    const blocked = subtreeIds(active, department.id);
    const build = (parent: number | null): SelectNode[] =>
      (index.get(parent) ?? []).map((d) => ({
        value: d.id,
        title: d.name,
        disabled: blocked.has(d.id),
        children: build(d.id),
      }));
    return [{ value: ROOT, title: t('org.dept.topLevel'), children: build(null) }];
  }, [department, departments, i18n.language, t]);

  const move = useOrgMutation(
    ({ id, parent }: { id: number; parent: number | null }) => orgApi.moveDepartment(id, parent),
    {
      onSuccess: (moved) => {
        notice(t('org.tree.moved', { name: moved.name }));
        onClose();
      },
    },
  );

  return (
    <Modal
      open={department !== null}
      title={department ? t('org.dept.moveTitle', { name: department.name }) : ''}
      onCancel={onClose}
      okText={t('org.dept.move')}
      cancelText={t('common.cancel')}
      confirmLoading={move.isPending}
      okButtonProps={{ 'data-testid': 'dept-move-save' } as never}
      onOk={() =>
        department && move.mutate({ id: department.id, parent: target === ROOT ? null : target })
      }
      destroyOnHidden
    >
      {move.error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={<span data-testid="dept-move-error">{errorMessage(move.error, t)}</span>}
        />
      )}
      <Form layout="vertical">
        <Form.Item label={t('org.dept.moveTo')}>
          <TreeSelect<number>
            data-testid="dept-move-target"
            value={target}
            onChange={setTarget}
            treeData={treeData}
            treeDefaultExpandAll
            showSearch
            treeNodeFilterProp="title"
            style={{ width: '100%' }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
