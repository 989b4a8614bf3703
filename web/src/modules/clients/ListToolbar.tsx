import { useState } from 'react';
import { App, Button, Checkbox, Form, Input, Modal, Popover, Select, Space, Tooltip } from 'antd';
import { DeleteOutlined, SaveOutlined, SettingOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import {
  clientKeys,
  clientsApi,
  useClientsMutation,
  type SavedView,
  type ViewDefinition,
  type ViewEntity,
} from './clientsApi';
import { matchesView } from './listTools';

/** Saved views of a list: pick one to apply it, save the current filters and columns, delete one. */
export function SavedViews({
  entity,
  current,
  onApply,
}: {
  entity: ViewEntity;
  current: ViewDefinition;
  onApply: (definition: ViewDefinition) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [saving, setSaving] = useState(false);
  const [form] = Form.useForm<{ name: string }>();
  const views = useQuery<SavedView[], ApiError>({
    queryKey: clientKeys.views(entity),
    queryFn: async () => (await clientsApi.views(entity)).items,
  });
  const active = views.data?.find((v) =>
    matchesView(v.definition, current.filters, current.columns),
  );
  const create = useClientsMutation(
    (name: string) => clientsApi.createView({ entity, name, definition: current as never }),
    {
      onSuccess: (view) => {
        setSaving(false);
        form.resetFields();
        void message.success(t('lists.viewSaved', { name: view.name }));
      },
      onError: (error) => form.setFields([{ name: 'name', errors: [errorMessage(error, t)] }]),
    },
  );
  const remove = useClientsMutation((id: number) => clientsApi.deleteView(id), {
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  return (
    <Space.Compact>
      <Select<number>
        data-testid="saved-views"
        style={{ minWidth: 180 }}
        placeholder={t('lists.views')}
        loading={views.isPending}
        value={active?.id}
        allowClear
        onClear={() => onApply({ filters: {}, columns: [] })}
        onChange={(id) => {
          const view = views.data?.find((v) => v.id === id);
          if (view) onApply(view.definition);
        }}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: v.name }))}
        notFoundContent={views.isError ? errorMessage(views.error, t) : t('lists.noViews')}
      />
      <Tooltip title={t('lists.saveView')}>
        <Button
          icon={<SaveOutlined />}
          aria-label={t('lists.saveView')}
          data-testid="save-view"
          onClick={() => setSaving(true)}
        />
      </Tooltip>
      {active && (
        <Tooltip title={t('lists.deleteView', { name: active.name })}>
          <Button
            icon={<DeleteOutlined />}
            aria-label={t('lists.deleteView', { name: active.name })}
            loading={remove.isPending}
            onClick={() => remove.mutate(active.id)}
          />
        </Tooltip>
      )}
      <Modal
        open={saving}
        title={t('lists.saveView')}
        onCancel={() => setSaving(false)}
        onOk={() => form.submit()}
        okText={t('common.save')}
        cancelText={t('common.cancel')}
        confirmLoading={create.isPending}
        destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={(v) => create.mutate(v.name.trim())}>
          <Form.Item
            name="name"
            label={t('lists.viewName')}
            rules={[{ required: true, whitespace: true, message: t('lists.viewNameRequired') }]}
          >
            <Input data-testid="view-name" maxLength={100} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </Space.Compact>
  );
}

/** A popover with a checkbox per optional column. */
export function ColumnChooser({
  options,
  value,
  onChange,
}: {
  options: { value: string; label: string }[];
  value: string[];
  onChange: (columns: string[]) => void;
}) {
  const { t } = useTranslation();
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('lists.columns')}
      content={
        <Checkbox.Group
          data-testid="column-chooser"
          style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
          options={options}
          value={value}
          onChange={(checked) => onChange(checked as string[])}
        />
      }
    >
      <Tooltip title={t('lists.columns')}>
        <Button icon={<SettingOutlined />} aria-label={t('lists.columns')} data-testid="columns" />
      </Tooltip>
    </Popover>
  );
}
