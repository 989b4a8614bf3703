import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Flex,
  List,
  Radio,
  Segmented,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { clientKeys, clientsApi, useClientsMutation, type DuplicateGroup } from './clientsApi';
import { differs, MERGE_FIELDS, mergeValue, suggestSurvivor, type Mergeable } from './merge';

function MergeGroup({
  entity,
  group,
  onDone,
}: {
  entity: 'company' | 'contact';
  group: DuplicateGroup;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { modal, message } = App.useApp();
  const plural = entity === 'company' ? 'companies' : 'contacts';
  const records = useQueries({
    queries: group.ids.map((id) => ({
      queryKey: clientKeys.card(plural, id),
      queryFn: () => (entity === 'company' ? clientsApi.company(id) : clientsApi.contact(id)),
    })),
  });
  const loaded = records.map((r) => r.data).filter((r): r is Mergeable => r !== undefined);
  const fields = MERGE_FIELDS[entity];
  const [survivor, setSurvivor] = useState<number | null>(null);
  const chosen = survivor ?? (loaded.length ? suggestSurvivor(loaded, fields) : null);

  const merge = useClientsMutation(
    async (survivorId: number) => {
      for (const r of loaded)
        if (r.id !== survivorId) await clientsApi.merge(plural, survivorId, r.id);
    },
    {
      onSuccess: () => {
        void message.success(t('clients.merge.done'));
        onDone();
      },
      onError: (error) => void message.error(errorMessage(error, t)),
    },
  );

  const failed = records.find((r) => r.isError);
  if (failed) return <Alert type="error" showIcon message={errorMessage(failed.error, t)} />;

  const value = (r: Mergeable, f: string) =>
    f === 'created' ? formatDateTime(r.created_at, i18n.language) : mergeValue(r, f);

  return (
    <Flex vertical gap={12} data-testid="merge-group">
      <Table
        size="small"
        rowKey="field"
        pagination={false}
        loading={records.some((r) => r.isPending)}
        scroll={{ x: 'max-content' }}
        dataSource={fields.map((f) => ({ field: f }))}
        rowClassName={({ field }) => (differs(loaded, field) ? 'ant-table-row-selected' : '')}
        columns={[
          {
            key: 'field',
            title: '',
            render: (_, { field }) => <strong>{t(`clients.merge.field.${field}`)}</strong>,
          },
          ...loaded.map((r) => ({
            key: String(r.id),
            title: (
              <Radio
                checked={chosen === r.id}
                onChange={() => setSurvivor(r.id)}
                data-testid="merge-survivor"
              >
                <Link to={`/clients/${plural}/${r.id}`} target="_blank">
                  #{r.id}
                </Link>
              </Radio>
            ),
            render: (_: unknown, { field }: { field: string }) => value(r, field),
          })),
        ]}
      />
      <Typography.Text type="secondary">{t('clients.merge.explain')}</Typography.Text>
      <div>
        <Button
          type="primary"
          danger
          data-testid="merge-confirm"
          disabled={chosen === null || loaded.length < 2}
          loading={merge.isPending}
          onClick={() =>
            modal.confirm({
              title: t('clients.merge.confirmTitle'),
              content: t('clients.merge.confirmText', { count: loaded.length - 1 }),
              okText: t('clients.merge.go'),
              cancelText: t('common.cancel'),
              onOk: () => merge.mutate(chosen!),
            })
          }
        >
          {t('clients.merge.go')}
        </Button>
      </div>
    </Flex>
  );
}

/** Groups of records sharing a phone, e-mail or INN, and the side-by-side merge of one group. */
export function DuplicatesTab() {
  const { t } = useTranslation();
  const [entity, setEntity] = useState<'company' | 'contact'>('company');
  const [open, setOpen] = useState<string | null>(null);
  const groups = useQuery<DuplicateGroup[], ApiError>({
    queryKey: clientKeys.duplicates(entity),
    queryFn: async () => (await clientsApi.duplicates(entity)).groups,
  });
  const key = (g: DuplicateGroup) => `${g.match}:${g.value}`;
  const current = groups.data?.find((g) => key(g) === open);

  return (
    <Flex vertical gap={12}>
      <Segmented
        value={entity}
        onChange={(v) => {
          setEntity(v as 'company' | 'contact');
          setOpen(null);
        }}
        options={[
          { value: 'company', label: t('clients.tab.companies') },
          { value: 'contact', label: t('clients.tab.contacts') },
        ]}
      />
      {groups.isError && <Alert type="error" showIcon message={errorMessage(groups.error, t)} />}
      <Flex gap={16} wrap align="flex-start">
        <Card size="small" style={{ width: 320 }} title={t('clients.merge.groups')}>
          <List
            loading={groups.isPending}
            dataSource={groups.data ?? []}
            locale={{ emptyText: <Empty description={t('clients.merge.none')} /> }}
            renderItem={(g) => (
              <List.Item
                data-testid="duplicate-group"
                style={{ cursor: 'pointer', fontWeight: key(g) === open ? 600 : undefined }}
                onClick={() => setOpen(key(g))}
              >
                <span>
                  <Tag>{t(`duplicates.field.${g.match}`, g.match)}</Tag>
                  {g.value}
                </span>
                <Typography.Text type="secondary">×{g.ids.length}</Typography.Text>
              </List.Item>
            )}
          />
        </Card>
        <div style={{ flex: 1, minWidth: 300 }}>
          {current ? (
            <MergeGroup
              key={key(current)}
              entity={entity}
              group={current}
              onDone={() => setOpen(null)}
            />
          ) : (
            <Empty description={t('clients.merge.pick')} />
          )}
        </div>
      </Flex>
    </Flex>
  );
}
