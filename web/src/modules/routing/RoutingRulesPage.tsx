import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Flex,
  Popconfirm,
  Result,
  Skeleton,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  EditOutlined,
  HolderOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { useOrgData } from '../org/useOrgData';
import { conditionParts, moveId } from './rules';
import { ResponseSettingsCard } from './ResponseSettingsCard';
import { RuleDrawer } from './RuleDrawer';
import {
  routingApi,
  routingKeys,
  useRoutingAccess,
  useRoutingMutation,
  useRoutingRules,
  type RoutingRule,
} from './routingApi';
import { SimulatorPanel } from './SimulatorPanel';

/** Routing rules in the order they are tried, with a simulator; heads and admins edit them. */
export default function RoutingRulesPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const access = useRoutingAccess();
  const rules = useRoutingRules(access.canView || access.loading);
  const org = useOrgData(false);
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const [dragged, setDragged] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const canManage = access.canManage;

  const departmentName = (id: number | null) =>
    id === null ? '' : (org.departments.find((d) => d.id === id)?.name ?? `#${id}`);
  const personName = (id: number) => org.members.get(id)?.full_name ?? `#${id}`;

  const reorder = useRoutingMutation((ids: number[]) => routingApi.reorder(ids), {
    onSuccess: () => void message.success(t('routing.rules.reordered')),
    onError: (error) => {
      void queryClient.invalidateQueries({ queryKey: routingKeys.rules() });
      void message.error(errorMessage(error, t));
    },
  });
  const remove = useRoutingMutation((id: number) => routingApi.deleteRule(id), {
    onSuccess: () => void message.success(t('routing.rules.deleted')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const list = rules.data ?? [];
  const move = (from: number, to: number) => {
    if (from === to || to < 0 || to >= list.length) return;
    const ids = moveId(
      list.map((r) => r.id),
      from,
      to,
    );
    // Show the new order at once; the server's answer (or a refetch on failure) settles it.
    queryClient.setQueryData<RoutingRule[]>(
      routingKeys.rules(),
      ids.map((id, i) => ({ ...list.find((r) => r.id === id)!, position: i + 1 })),
    );
    reorder.mutate(ids);
  };

  if (!access.loading && !access.canView)
    return (
      <Result
        status="403"
        title={t('routing.rules.forbidden')}
        subTitle={t('routing.rules.forbiddenText')}
      />
    );

  const columns: ColumnsType<RoutingRule> = [
    {
      key: 'position',
      title: t('routing.rules.col.position'),
      width: 64,
      render: (_, rule) => (
        <Space size={4}>
          {canManage && (
            <Tooltip title={t('routing.rules.drag')}>
              <HolderOutlined style={{ cursor: 'grab', color: '#999' }} />
            </Tooltip>
          )}
          <span data-testid="rule-position">{rule.position}</span>
        </Space>
      ),
    },
    {
      key: 'name',
      title: t('routing.rules.col.name'),
      render: (_, rule) => (
        <Flex vertical>
          <Typography.Text strong data-testid="rule-title" delete={!rule.active}>
            {rule.name}
          </Typography.Text>
          {!rule.active && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('routing.rules.off')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'when',
      title: t('routing.rules.col.when'),
      render: (_, rule) => {
        const parts = conditionParts(rule.when);
        if (parts.length === 0)
          return <Typography.Text type="secondary">{t('routing.rules.any')}</Typography.Text>;
        return (
          <Flex vertical gap={2}>
            {parts.map((p) => (
              <div key={p.key}>
                <Typography.Text type="secondary">{t(`routing.when.${p.key}`)}: </Typography.Text>
                {p.key === 'channels'
                  ? p.values.map((c) => <Tag key={c}>{t(`channels.${c}`)}</Tag>)
                  : p.key === 'client_type'
                    ? t(`routing.clientType.${p.values[0]}`)
                    : p.values.join(', ')}
              </div>
            ))}
          </Flex>
        );
      },
    },
    {
      key: 'pool',
      title: t('routing.rules.col.pool'),
      render: (_, rule) =>
        rule.members.length > 0 ? (
          <Tooltip
            title={rule.members
              .map((m) =>
                rule.strategy === 'weighted'
                  ? `${personName(m.user_id)} × ${m.weight ?? 1}`
                  : personName(m.user_id),
              )
              .join(', ')}
          >
            <span>{t('routing.rules.people', { count: rule.members.length })}</span>
          </Tooltip>
        ) : (
          <span>
            {departmentName(rule.department_id)}
            {rule.include_subdepartments && (
              <Typography.Text type="secondary"> {t('routing.rules.withSub')}</Typography.Text>
            )}
          </span>
        ),
    },
    {
      key: 'strategy',
      title: t('routing.rules.col.strategy'),
      render: (_, rule) => t(`routing.strategy.${rule.strategy}`),
    },
    {
      key: 'sla',
      title: t('routing.rules.col.sla'),
      render: (_, rule) => (
        <Flex vertical>
          <span data-testid="rule-sla">
            {t('routing.rules.minutes', { count: rule.sla_minutes })}
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('routing.rules.escalateAfter', { count: rule.escalate_after })}
          </Typography.Text>
        </Flex>
      ),
    },
  ];
  if (canManage)
    columns.push({
      key: 'actions',
      width: 170,
      render: (_, rule, index) => (
        <Space size={0}>
          <Button
            type="text"
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={index === 0 || reorder.isPending}
            aria-label={t('routing.rules.moveUp')}
            title={t('routing.rules.moveUp')}
            data-testid="rule-up"
            onClick={() => move(index, index - 1)}
          />
          <Button
            type="text"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={index === list.length - 1 || reorder.isPending}
            aria-label={t('routing.rules.moveDown')}
            title={t('routing.rules.moveDown')}
            data-testid="rule-down"
            onClick={() => move(index, index + 1)}
          />
          <Button
            type="text"
            size="small"
            icon={<EditOutlined />}
            aria-label={t('routing.rules.edit')}
            title={t('routing.rules.edit')}
            data-testid="rule-edit"
            onClick={() => setEditing(rule)}
          />
          <Popconfirm
            title={t('routing.rules.deleteConfirm', { name: rule.name })}
            okText={t('routing.rules.delete')}
            okButtonProps={{ danger: true, 'data-testid': 'rule-delete-confirm' } as never}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutate(rule.id)}
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('routing.rules.delete')}
              title={t('routing.rules.delete')}
              data-testid="rule-delete"
            />
          </Popconfirm>
        </Space>
      ),
    });

  return (
    <Flex vertical gap={16} data-testid="routing-rules">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <div>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {t('routing.rules.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('routing.rules.help')}</Typography.Text>
        </div>
        {canManage && (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="rule-new"
            onClick={() => setEditing('new')}
          >
            {t('routing.rules.new')}
          </Button>
        )}
      </Flex>
      {!canManage && !access.loading && (
        <Alert type="info" showIcon message={t('routing.rules.readOnly')} />
      )}
      {rules.isError && <Alert type="error" showIcon message={errorMessage(rules.error, t)} />}
      {rules.isPending && access.canView ? (
        <Skeleton active />
      ) : (
        <Table<RoutingRule>
          data-testid="routing-rules-table"
          rowKey="id"
          size="middle"
          dataSource={list}
          columns={columns}
          pagination={false}
          scroll={{ x: 960 }}
          locale={{ emptyText: t('routing.rules.empty') }}
          onRow={(rule, index) =>
            ({
              'data-testid': 'routing-rule',
              'data-rule-id': rule.id,
              draggable: canManage && !reorder.isPending,
              style:
                over === index && dragged !== null && dragged !== index
                  ? { outline: '2px dashed #1677ff', outlineOffset: -2 }
                  : undefined,
              onDragStart: (e: React.DragEvent) => {
                e.dataTransfer.effectAllowed = 'move';
                setDragged(index ?? null);
              },
              onDragOver: (e: React.DragEvent) => {
                if (dragged === null) return;
                e.preventDefault();
                setOver(index ?? null);
              },
              onDragEnd: () => {
                setDragged(null);
                setOver(null);
              },
              onDrop: (e: React.DragEvent) => {
                e.preventDefault();
                if (dragged !== null && index !== undefined) move(dragged, index);
                setDragged(null);
                setOver(null);
              },
            }) as React.HTMLAttributes<HTMLElement>
          }
        />
      )}
      {canManage && <ResponseSettingsCard />}
      <SimulatorPanel />
      {editing && (
        <RuleDrawer
          rule={editing === 'new' ? null : editing}
          departments={org.departments}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}
