import { useState } from 'react';
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Flex,
  Input,
  Progress,
  Result,
  Segmented,
  Select,
  Space,
  Statistic,
  Steps,
  Table,
  Typography,
  Upload,
} from 'antd';
import { DownloadOutlined, InboxOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { CLIENTS_KEY } from '../clients/clientsApi';
import { LEADS_KEY } from '../leads/leadsApi';
import {
  applyMapping,
  compactMapping,
  DEFAULT_TARGETS,
  duplicateTargets,
  IMPORT_ENTITIES,
  IMPORTS_KEY,
  importsApi,
  isFinished,
  progressPercent,
  type ColumnMapping,
  type ImportEntity,
  type ImportMapping,
  type ImportRun,
  type TargetField,
  type Upload as Uploaded,
} from './importsApi';

/** How often the progress bar asks the server while an import runs. */
const POLL_MS = 500;

function Counters({ run }: { run: ImportRun }) {
  const { t } = useTranslation();
  return (
    <Space size={32} wrap data-testid="import-counters">
      <Statistic title={t('imports.processed')} value={run.processed_rows} />
      <Statistic title={t('imports.createdRows')} value={run.created_rows} />
      <Statistic title={t('imports.mergedRows')} value={run.merged_rows} />
      <Statistic
        title={t('imports.rejectedRows')}
        value={run.rejected_rows}
        valueStyle={run.rejected_rows ? { color: '#cf1322' } : undefined}
      />
    </Space>
  );
}

/** Upload → map columns → dry run or real run → progress → result with the error report. */
export function ImportWizard({ initialEntity }: { initialEntity: ImportEntity }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [entity, setEntity] = useState<ImportEntity>(initialEntity);
  const [uploaded, setUploaded] = useState<Uploaded | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping>({});
  // Which saved mapping was laid over the columns (the columns themselves are always sent).
  const [mappingId, setMappingId] = useState<number | undefined>();
  const [saveAs, setSaveAs] = useState('');
  const [saveMapping, setSaveMapping] = useState(false);
  const [runId, setRunId] = useState<number | null>(null);
  // The chosen file stays here: a dry run uses up its upload, so the real run uploads it again.
  const [file, setFile] = useState<File | null>(null);
  const step = runId !== null ? 2 : uploaded ? 1 : 0;

  const upload = useMutation<Uploaded, ApiError, File>({
    mutationFn: (chosen) => importsApi.upload(entity, chosen),
    onSuccess: (u, chosen) => {
      setFile(chosen);
      setUploaded(u);
      setMapping(applyMapping(u.headers, u.suggested_mapping?.columns ?? {}));
    },
  });
  const mappings = useQuery<{ items: ImportMapping[]; target_fields: TargetField[] }, ApiError>({
    queryKey: [...IMPORTS_KEY, 'mappings', entity],
    queryFn: () => importsApi.mappings(entity),
    enabled: uploaded !== null,
  });
  const start = useMutation<ImportRun, ApiError, { dryRun: boolean; reupload?: boolean }>({
    mutationFn: async ({ dryRun, reupload }) => {
      let target = uploaded!;
      if (reupload && file) {
        target = await importsApi.upload(entity, file);
        setUploaded(target);
      }
      return importsApi.start(target.id, {
        mapping: { columns: compactMapping(mapping) },
        dry_run: dryRun,
        ...(saveMapping && saveAs.trim() && !dryRun ? { save_mapping_as: saveAs.trim() } : {}),
      });
    },
    onSuccess: (run) => {
      setRunId(run.id);
      queryClient.setQueryData([...IMPORTS_KEY, 'run', run.id], run);
    },
  });
  const run = useQuery<ImportRun, ApiError>({
    queryKey: [...IMPORTS_KEY, 'run', runId],
    queryFn: () => importsApi.run(runId!),
    enabled: runId !== null,
    refetchInterval: (query) => {
      const data = query.state.data;
      if (data && isFinished(data.status)) {
        if (!data.dry_run) {
          void queryClient.invalidateQueries({ queryKey: CLIENTS_KEY });
          void queryClient.invalidateQueries({ queryKey: LEADS_KEY });
        }
        void queryClient.invalidateQueries({ queryKey: [...IMPORTS_KEY, 'list'] });
        return false;
      }
      return POLL_MS;
    },
  });

  const reset = () => {
    setFile(null);
    setUploaded(null);
    setMapping({});
    setMappingId(undefined);
    setRunId(null);
    setSaveAs('');
    setSaveMapping(false);
    upload.reset();
    start.reset();
  };

  const fields: TargetField[] =
    uploaded?.target_fields ??
    mappings.data?.target_fields ??
    DEFAULT_TARGETS[entity].map((code) => ({ code, label_ru: '', label_en: '', repeated: false }));
  const repeated = new Set(fields.filter((f) => f.repeated).map((f) => f.code));
  const doubled = duplicateTargets(mapping, repeated);
  const fieldName = (code: string) => {
    const f = fields.find((x) => x.code === code);
    const label = f && (i18n.language === 'en' ? f.label_en : f.label_ru);
    return label || t(`imports.target.${code}`, code);
  };
  const mappedCount = Object.values(mapping).filter(Boolean).length;
  const current = run.data;

  return (
    <Card data-testid="import-wizard">
      <Steps
        current={step === 2 && current && isFinished(current.status) ? 3 : step}
        style={{ marginBottom: 24 }}
        items={[
          { title: t('imports.step.upload') },
          { title: t('imports.step.mapping') },
          { title: t('imports.step.run') },
          { title: t('imports.step.result') },
        ]}
      />
      {step === 0 && (
        <Flex vertical gap={16}>
          <Segmented
            value={entity}
            onChange={(v) => setEntity(v as ImportEntity)}
            data-testid="import-entity"
            options={IMPORT_ENTITIES.map((e) => ({ value: e, label: t(`imports.entity.${e}`) }))}
          />
          <Upload.Dragger
            accept=".csv,.xlsx,text/csv"
            multiple={false}
            showUploadList={false}
            disabled={upload.isPending}
            beforeUpload={(file) => {
              upload.mutate(file);
              return false;
            }}
            data-testid="import-upload"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('imports.drop')}</p>
            <p className="ant-upload-hint">{t('imports.dropHint')}</p>
          </Upload.Dragger>
          {upload.isPending && <Progress percent={100} status="active" showInfo={false} />}
          {upload.isError && (
            <Alert
              type="error"
              showIcon
              message={
                <span data-testid="import-upload-error">{errorMessage(upload.error, t)}</span>
              }
            />
          )}
        </Flex>
      )}
      {step === 1 && uploaded && (
        <Flex vertical gap={16}>
          <Typography.Text type="secondary" data-testid="import-file-info">
            {t('imports.fileInfo', {
              name: uploaded.file_name,
              encoding: uploaded.encoding || '—',
              delimiter: uploaded.delimiter === '\t' ? 'TAB' : uploaded.delimiter || '—',
            })}
          </Typography.Text>
          <Flex gap={8} wrap align="center">
            <Typography.Text>{t('imports.readyMapping')}</Typography.Text>
            <Select<number>
              allowClear
              style={{ minWidth: 260 }}
              data-testid="import-mapping-select"
              loading={mappings.isPending}
              value={mappingId}
              placeholder={t('imports.pickMapping')}
              onChange={(id) => {
                setMappingId(id);
                const m = mappings.data?.items.find((x) => x.id === id);
                if (m) setMapping(applyMapping(uploaded.headers, m.columns));
              }}
              options={(mappings.data?.items ?? []).map((m) => ({
                value: m.id,
                label: m.builtin ? `${m.name} · ${t('imports.builtin')}` : m.name,
              }))}
            />
          </Flex>
          <Table<Record<string, string>>
            size="small"
            bordered
            pagination={false}
            scroll={{ x: 'max-content' }}
            data-testid="import-preview"
            rowKey="__row"
            dataSource={uploaded.preview.map((p) => ({
              __row: String(p.row),
              ...Object.fromEntries(uploaded.headers.map((h, j) => [h, p.cells[j] ?? ''])),
            }))}
            columns={uploaded.headers.map((h) => ({
              key: h,
              dataIndex: h,
              title: (
                <Flex vertical gap={4}>
                  <span>{h}</span>
                  <Select
                    size="small"
                    style={{ minWidth: 150 }}
                    data-testid="import-column-target"
                    data-header={h}
                    showSearch
                    optionFilterProp="label"
                    value={mapping[h] ?? ''}
                    status={doubled.includes(mapping[h] ?? '') ? 'error' : undefined}
                    onChange={(f: string) => setMapping((old) => ({ ...old, [h]: f }))}
                    options={[
                      { value: '', label: t('imports.skip') },
                      ...fields.map((f) => ({ value: f.code, label: fieldName(f.code) })),
                    ]}
                  />
                </Flex>
              ),
            }))}
          />
          {doubled.length > 0 && (
            <Alert
              type="warning"
              showIcon
              message={t('imports.doubled', {
                fields: doubled.map(fieldName).join(', '),
              })}
            />
          )}
          <Flex gap={8} align="center" wrap>
            <Checkbox checked={saveMapping} onChange={(e) => setSaveMapping(e.target.checked)}>
              {t('imports.saveMapping')}
            </Checkbox>
            {saveMapping && (
              <Input
                style={{ width: 240 }}
                value={saveAs}
                maxLength={100}
                placeholder={t('imports.mappingName')}
                onChange={(e) => setSaveAs(e.target.value)}
              />
            )}
          </Flex>
          {start.isError && (
            <Alert
              type="error"
              showIcon
              message={errorMessage(start.error, t)}
              data-testid="import-start-error"
            />
          )}
          <Space wrap>
            <Button onClick={reset}>{t('imports.otherFile')}</Button>
            <Button
              data-testid="import-dry-run"
              disabled={mappedCount === 0 || doubled.length > 0}
              loading={start.isPending && start.variables?.dryRun === true}
              onClick={() => start.mutate({ dryRun: true })}
            >
              {t('imports.dryRun')}
            </Button>
            <Button
              type="primary"
              data-testid="import-run"
              disabled={mappedCount === 0 || doubled.length > 0}
              loading={start.isPending && start.variables?.dryRun === false}
              onClick={() => start.mutate({ dryRun: false })}
            >
              {t('imports.run')}
            </Button>
          </Space>
        </Flex>
      )}
      {step === 2 && current && (
        <Flex vertical gap={16} data-testid="import-progress" data-status={current.status}>
          <Progress
            percent={progressPercent(current)}
            status={
              current.status === 'failed'
                ? 'exception'
                : current.status === 'done'
                  ? 'success'
                  : 'active'
            }
          />
          {isFinished(current.status) ? (
            <Result
              status={
                current.status === 'done'
                  ? current.rejected_rows
                    ? 'warning'
                    : 'success'
                  : 'error'
              }
              title={
                <span data-testid="import-result-title">
                  {current.status === 'done'
                    ? t(current.dry_run ? 'imports.dryDone' : 'imports.done')
                    : t('imports.failed', { error: current.error })}
                </span>
              }
              subTitle={<Counters run={current} />}
              extra={
                <Space wrap>
                  {current.rejected_rows > 0 && (
                    <a
                      href={importsApi.errorsUrl(current.id)}
                      download
                      data-testid="import-errors-link"
                    >
                      <Button icon={<DownloadOutlined />}>{t('imports.errorsFile')}</Button>
                    </a>
                  )}
                  {current.dry_run && current.status === 'done' && (
                    <Button
                      type="primary"
                      data-testid="import-run-after-dry"
                      loading={start.isPending}
                      onClick={() => {
                        start.mutate({ dryRun: false, reupload: true });
                      }}
                    >
                      {t('imports.runForReal')}
                    </Button>
                  )}
                  <Button onClick={reset}>{t('imports.another')}</Button>
                </Space>
              }
            />
          ) : (
            <Counters run={current} />
          )}
        </Flex>
      )}
    </Card>
  );
}
