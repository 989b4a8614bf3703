import { Flex, Table, Tag, Typography } from 'antd';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import type { ApiError, Page } from '../../api';
import { formatDateTime } from '../../i18n/format';
import { ImportWizard } from './ImportWizard';
import {
  IMPORT_ENTITIES,
  IMPORTS_KEY,
  importsApi,
  type ImportEntity,
  type ImportRun,
} from './importsApi';

const STATUS_COLOR: Record<string, string> = {
  done: 'green',
  failed: 'red',
  running: 'processing',
  queued: 'blue',
  cancelled: 'default',
  uploaded: 'default',
};

/** Imports: the wizard and the imports run so far. */
export default function ImportsPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const wanted = params.get('entity') as ImportEntity | null;
  const entity = wanted && IMPORT_ENTITIES.includes(wanted) ? wanted : 'company';
  const list = useQuery<Page<ImportRun>, ApiError>({
    queryKey: [...IMPORTS_KEY, 'list'],
    queryFn: () => importsApi.list(),
  });
  return (
    <Flex vertical gap={16}>
      <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
        {t('imports.title')}
      </Typography.Title>
      <ImportWizard initialEntity={entity} />
      <Typography.Title level={4} style={{ margin: 0 }}>
        {t('imports.history')}
      </Typography.Title>
      <Table<ImportRun>
        rowKey="id"
        size="small"
        loading={list.isPending}
        dataSource={list.data?.items ?? []}
        pagination={false}
        scroll={{ x: 'max-content' }}
        data-testid="imports-table"
        locale={{ emptyText: t('imports.none') }}
        columns={[
          {
            key: 'at',
            title: t('imports.when'),
            render: (_, r) => formatDateTime(r.created_at, i18n.language),
          },
          { key: 'file', title: t('imports.file'), dataIndex: 'file_name' },
          {
            key: 'entity',
            title: t('imports.what'),
            render: (_, r) => t(`imports.entity.${r.entity}`),
          },
          {
            key: 'status',
            title: t('imports.status'),
            render: (_, r) => (
              <>
                <Tag color={STATUS_COLOR[r.status]}>{t(`imports.statusName.${r.status}`)}</Tag>
                {r.dry_run && <Tag>{t('imports.dryRunTag')}</Tag>}
              </>
            ),
          },
          {
            key: 'counts',
            title: t('imports.counts'),
            render: (_, r) =>
              t('imports.countsText', {
                created: r.created_rows,
                merged: r.merged_rows,
                rejected: r.rejected_rows,
              }),
          },
          {
            key: 'errors',
            title: '',
            render: (_, r) =>
              r.rejected_rows > 0 ? (
                <a href={importsApi.errorsUrl(r.id)} download>
                  {t('imports.errorsFile')}
                </a>
              ) : null,
          },
        ]}
      />
    </Flex>
  );
}
