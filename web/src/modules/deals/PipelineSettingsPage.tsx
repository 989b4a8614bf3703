import { createContext, useContext, useState, type HTMLAttributes } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { ArrowLeftOutlined, HolderOutlined, PlusOutlined } from '@ant-design/icons';
import { DndContext, PointerSensor, useSensor, useSensors, type DragEndEvent } from '@dnd-kit/core';
import {
  SortableContext,
  arrayMove,
  useSortable,
  verticalListSortingStrategy,
} from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import {
  dealsApi,
  useDealFields,
  useDealsAccess,
  useDealsMutation,
  useLossReasons,
  usePipelines,
  type LossReason,
  type Pipeline,
  type Stage,
  type StageWrite,
} from './dealsApi';
import { fieldErrors } from './gate';
import type { StageValues } from './stageForm';
import { StageModal } from './StageModal';

const KIND_COLOR: Record<Stage['kind'], string> = { open: 'blue', won: 'green', lost: 'red' };

// The drag handle of a sortable row gets the row's listeners through this context.
const HandleContext = createContext<Partial<ReturnType<typeof useSortable>>>({});

function SortableRow(props: HTMLAttributes<HTMLTableRowElement> & { 'data-row-key': string }) {
  const sortable = useSortable({ id: props['data-row-key'] });
  const style = {
    ...props.style,
    transform: CSS.Translate.toString(sortable.transform),
    transition: sortable.transition,
    ...(sortable.isDragging ? { position: 'relative' as const, zIndex: 9 } : {}),
  };
  return (
    <HandleContext.Provider value={sortable}>
      <tr {...props} ref={sortable.setNodeRef} style={style} {...sortable.attributes} />
    </HandleContext.Provider>
  );
}

function DragHandle({ disabled }: { disabled: boolean }) {
  const { t } = useTranslation();
  const { setActivatorNodeRef, listeners } = useContext(HandleContext);
  return (
    <Button
      type="text"
      size="small"
      icon={<HolderOutlined />}
      disabled={disabled}
      aria-label={t('deals.stage.drag')}
      style={{ cursor: disabled ? 'default' : 'move' }}
      ref={setActivatorNodeRef}
      {...(disabled ? {} : listeners)}
    />
  );
}

function PipelineNameModal({
  pipeline,
  onClose,
}: {
  pipeline: Pipeline | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ name: string }>();
  const save = useDealsMutation(
    (v: { name: string }) =>
      pipeline
        ? dealsApi.updatePipeline(pipeline.id, { name: v.name.trim() })
        : dealsApi.createPipeline({ name: v.name.trim() }),
    {
      onSuccess: () => {
        void message.success(t('deals.saved'));
        onClose();
      },
      onError: (error) => {
        const fields = fieldErrors(error).filter((f) => f.name === 'name');
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  return (
    <Modal
      open
      title={pipeline ? t('deals.pipelines.renameTitle') : t('deals.pipelines.newTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'pipeline-save' } as never}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ name: pipeline?.name ?? '' }}
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          name="name"
          label={t('deals.pipelines.name')}
          rules={[{ required: true, whitespace: true, message: t('deals.stage.nameRequired') }]}
          style={{ marginBottom: 0 }}
        >
          <Input data-testid="pipeline-name" maxLength={200} autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function StagesCard({ pipeline, canEdit }: { pipeline: Pipeline; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const fields = useDealFields();
  const [editing, setEditing] = useState<Stage | 'new' | null>(null);
  const [order, setOrder] = useState<Stage[] | null>(null);
  const [form] = Form.useForm<StageValues>();
  const stages = order ?? pipeline.stages;
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }));

  const saveStage = useDealsMutation(
    (body: StageWrite) =>
      editing && editing !== 'new'
        ? dealsApi.updateStage(editing.id, body)
        : dealsApi.createStage(pipeline.id, body),
    {
      onSuccess: () => {
        void message.success(t('deals.saved'));
        setEditing(null);
      },
      onError: (error) => {
        const known = [
          'name',
          'probability',
          'kind',
          'idle_days',
          'is_decision',
          'required_fields',
        ];
        const errs = fieldErrors(error).filter((f) => known.includes(f.name.split('/')[0]));
        if (errs.length)
          form.setFields(errs.map((f) => ({ ...f, name: f.name.split('/')[0] })) as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  const removeStage = useDealsMutation((stage: Stage) => dealsApi.deleteStage(stage.id), {
    onSuccess: () => void message.success(t('deals.stage.deleted')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const reorder = useDealsMutation((ids: number[]) => dealsApi.reorderStages(pipeline.id, ids), {
    onSuccess: () => setOrder(null),
    onError: (error) => {
      setOrder(null);
      void message.error(errorMessage(error, t));
    },
  });

  const onDragEnd = ({ active, over }: DragEndEvent) => {
    if (!over || active.id === over.id) return;
    const from = stages.findIndex((s) => String(s.id) === active.id);
    const to = stages.findIndex((s) => String(s.id) === over.id);
    if (from < 0 || to < 0) return;
    const next = arrayMove(stages, from, to);
    setOrder(next);
    reorder.mutate(next.map((s) => s.id));
  };

  const fieldLabel = (code: string) => fields.data?.find((f) => f.code === code)?.label ?? code;

  const columns: ColumnsType<Stage> = [
    {
      key: 'sort',
      width: 40,
      render: () => <DragHandle disabled={!canEdit || reorder.isPending} />,
    },
    {
      key: 'name',
      title: t('deals.stage.name'),
      render: (_, s) => (
        <Space wrap size={4}>
          <span data-testid="stage-row-name">{s.name}</span>
          {s.is_decision && <Tag color="purple">{t('deals.stage.decisionTag')}</Tag>}
        </Space>
      ),
    },
    {
      key: 'probability',
      title: t('deals.stage.probability'),
      render: (_, s) => `${s.probability}%`,
    },
    {
      key: 'kind',
      title: t('deals.stage.kind'),
      render: (_, s) => <Tag color={KIND_COLOR[s.kind]}>{t(`deals.stage.kinds.${s.kind}`)}</Tag>,
    },
    {
      key: 'gate',
      title: t('deals.stage.gate'),
      render: (_, s) =>
        s.required_fields.length + s.checklist.length === 0 ? (
          <Typography.Text type="secondary">—</Typography.Text>
        ) : (
          <Flex vertical gap={2} data-testid="stage-gate">
            {s.required_fields.length > 0 && (
              <span>{s.required_fields.map(fieldLabel).join(', ')}</span>
            )}
            {s.checklist.length > 0 && (
              <Typography.Text type="secondary">
                {t('deals.stage.checklistCount', { count: s.checklist.length })}
              </Typography.Text>
            )}
          </Flex>
        ),
    },
    {
      key: 'idle',
      title: t('deals.stage.idleDays'),
      render: (_, s) => (s.idle_days ? t('deals.stage.days', { count: s.idle_days }) : '—'),
    },
    {
      key: 'actions',
      align: 'right',
      render: (_, s) =>
        canEdit && (
          <Space>
            <Button
              size="small"
              data-testid="stage-edit"
              data-stage-name={s.name}
              onClick={() => setEditing(s)}
            >
              {t('deals.stage.edit')}
            </Button>
            <Popconfirm
              title={t('deals.stage.deleteConfirm', { name: s.name })}
              okText={t('deals.delete')}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={() => removeStage.mutate(s)}
            >
              <Button size="small" danger>
                {t('deals.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('deals.stage.title', { name: pipeline.name })}
      data-testid="stages-card"
      extra={
        canEdit && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            data-testid="stage-new"
            onClick={() => setEditing('new')}
          >
            {t('deals.stage.add')}
          </Button>
        )
      }
    >
      <DndContext sensors={sensors} onDragEnd={onDragEnd}>
        <SortableContext
          items={stages.map((s) => String(s.id))}
          strategy={verticalListSortingStrategy}
        >
          <Table<Stage>
            data-testid="stages-table"
            rowKey={(s) => String(s.id)}
            size="small"
            pagination={false}
            scroll={{ x: 'max-content' }}
            components={{ body: { row: SortableRow } }}
            dataSource={stages}
            columns={columns}
          />
        </SortableContext>
      </DndContext>
      {editing && (
        <StageModal
          stage={editing === 'new' ? null : editing}
          elsewhere={pipeline.stages
            .filter((s) => editing === 'new' || s.id !== editing.id)
            .flatMap((s) => s.checklist.map((c) => c.code))}
          form={form}
          saving={saveStage.isPending}
          onClose={() => setEditing(null)}
          onSave={(body) => saveStage.mutate(body)}
        />
      )}
    </Card>
  );
}

function LossReasonsCard({ canEdit }: { canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const reasons = useLossReasons();
  const [editing, setEditing] = useState<LossReason | 'new' | null>(null);
  const [form] = Form.useForm<{ name_ru: string; name_en: string }>();
  const save = useDealsMutation(
    (v: { name_ru: string; name_en: string }) => {
      const body = { name_ru: v.name_ru.trim(), name_en: v.name_en.trim() };
      return editing && editing !== 'new'
        ? dealsApi.updateLossReason(editing.id, body)
        : dealsApi.createLossReason(body);
    },
    {
      onSuccess: () => {
        void message.success(t('deals.saved'));
        setEditing(null);
      },
      onError: (error) => {
        const fields = fieldErrors(error).filter(
          (f) => f.name === 'name_ru' || f.name === 'name_en',
        );
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  const archive = useDealsMutation(
    (v: { reason: LossReason; archived: boolean }) =>
      dealsApi.updateLossReason(v.reason.id, { archived: v.archived }),
    { onError: (error) => void message.error(errorMessage(error, t)) },
  );

  const columns: ColumnsType<LossReason> = [
    {
      key: 'name_ru',
      title: t('deals.loss.nameRu'),
      render: (_, r) => (
        <Space size={4} wrap>
          <span data-testid="loss-reason-name">{r.name_ru}</span>
          {r.archived_at !== null && <Tag>{t('deals.archived')}</Tag>}
        </Space>
      ),
    },
    { key: 'name_en', title: t('deals.loss.nameEn'), dataIndex: 'name_en' },
    {
      key: 'actions',
      align: 'right',
      render: (_, r) =>
        canEdit && (
          <Space>
            <Button size="small" onClick={() => setEditing(r)}>
              {t('deals.stage.edit')}
            </Button>
            <Button
              size="small"
              onClick={() => archive.mutate({ reason: r, archived: r.archived_at === null })}
            >
              {r.archived_at === null ? t('deals.archive') : t('deals.unarchive')}
            </Button>
          </Space>
        ),
    },
  ];

  return (
    <Card
      size="small"
      title={t('deals.loss.listTitle')}
      data-testid="loss-reasons-card"
      extra={
        canEdit && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            data-testid="loss-reason-new"
            onClick={() => setEditing('new')}
          >
            {t('deals.loss.add')}
          </Button>
        )
      }
    >
      {reasons.isError && <Alert type="error" showIcon message={errorMessage(reasons.error, t)} />}
      <Table<LossReason>
        rowKey="id"
        size="small"
        pagination={false}
        loading={reasons.isPending}
        dataSource={reasons.data ?? []}
        columns={columns}
        locale={{ emptyText: t('deals.loss.empty') }}
      />
      {editing && (
        <Modal
          open
          title={editing === 'new' ? t('deals.loss.newTitle') : t('deals.loss.editTitle')}
          onCancel={() => setEditing(null)}
          onOk={() => form.submit()}
          okText={t('common.save')}
          okButtonProps={{ 'data-testid': 'loss-reason-save' } as never}
          cancelText={t('common.cancel')}
          confirmLoading={save.isPending}
          destroyOnHidden
        >
          <Form
            form={form}
            layout="vertical"
            initialValues={
              editing === 'new'
                ? { name_ru: '', name_en: '' }
                : { name_ru: editing.name_ru, name_en: editing.name_en }
            }
            onFinish={(v) => save.mutate(v)}
          >
            <Form.Item
              name="name_ru"
              label={t('deals.loss.nameRu')}
              rules={[{ required: true, whitespace: true, message: t('deals.stage.nameRequired') }]}
            >
              <Input data-testid="loss-reason-ru" maxLength={200} />
            </Form.Item>
            <Form.Item
              name="name_en"
              label={t('deals.loss.nameEn')}
              rules={[{ required: true, whitespace: true, message: t('deals.stage.nameRequired') }]}
              style={{ marginBottom: 0 }}
            >
              <Input data-testid="loss-reason-en" maxLength={200} />
            </Form.Item>
          </Form>
        </Modal>
      )}
    </Card>
  );
}

/** Pipelines, their stages (order, probability, gates, idle days) and the loss reasons. */
export default function PipelineSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useDealsAccess();
  const pipelines = usePipelines(true);
  const [selected, setSelected] = useState<number | null>(null);
  const [naming, setNaming] = useState<Pipeline | 'new' | null>(null);
  const canEdit = access.canConfigure;

  const list = pipelines.data ?? [];
  const active = list.filter((p) => p.archived_at === null);
  const pipeline =
    list.find((p) => p.id === selected) ?? active.find((p) => p.is_default) ?? active[0] ?? null;

  const makeDefault = useDealsMutation(
    (p: Pipeline) => dealsApi.updatePipeline(p.id, { is_default: true }),
    { onError: (error) => void message.error(errorMessage(error, t)) },
  );
  const archive = useDealsMutation((p: Pipeline) => dealsApi.archivePipeline(p.id), {
    onSuccess: () => {
      setSelected(null);
      void message.success(t('deals.pipelines.archived'));
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  return (
    <Flex vertical gap={16}>
      <Flex justify="space-between" align="center" wrap gap={8}>
        <Space align="center" wrap>
          <Link to="/deals">
            <Button type="text" icon={<ArrowLeftOutlined />} aria-label={t('deals.title')} />
          </Link>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {t('deals.settings.title')}
          </Typography.Title>
        </Space>
      </Flex>
      {!canEdit && !access.loading && (
        <Alert
          type="info"
          showIcon
          message={t('deals.settings.readOnly')}
          data-testid="deals-settings-readonly"
        />
      )}
      {pipelines.isError && (
        <Alert type="error" showIcon message={errorMessage(pipelines.error, t)} />
      )}
      <Card
        size="small"
        title={t('deals.pipelines.title')}
        extra={
          canEdit && (
            <Button
              size="small"
              icon={<PlusOutlined />}
              data-testid="pipeline-new"
              onClick={() => setNaming('new')}
            >
              {t('deals.pipelines.add')}
            </Button>
          )
        }
      >
        <Flex wrap gap={8} align="center">
          <Select
            data-testid="settings-pipeline"
            style={{ minWidth: 240 }}
            loading={pipelines.isPending}
            value={pipeline?.id}
            onChange={(id: number) => setSelected(id)}
            options={list.map((p) => ({
              value: p.id,
              label: [
                p.name,
                p.is_default ? t('deals.pipelines.default') : '',
                p.archived_at !== null ? t('deals.archived') : '',
              ]
                .filter(Boolean)
                .join(' · '),
            }))}
          />
          {pipeline && canEdit && pipeline.archived_at === null && (
            <Space wrap>
              <Button onClick={() => setNaming(pipeline)} data-testid="pipeline-rename">
                {t('deals.pipelines.rename')}
              </Button>
              {!pipeline.is_default && (
                <Button
                  data-testid="pipeline-make-default"
                  loading={makeDefault.isPending}
                  onClick={() => makeDefault.mutate(pipeline)}
                >
                  {t('deals.pipelines.makeDefault')}
                </Button>
              )}
              {!pipeline.is_default && (
                <Popconfirm
                  title={t('deals.pipelines.archiveConfirm', { name: pipeline.name })}
                  okText={t('deals.archive')}
                  cancelText={t('common.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => archive.mutate(pipeline)}
                >
                  <Button danger data-testid="pipeline-archive" loading={archive.isPending}>
                    {t('deals.archive')}
                  </Button>
                </Popconfirm>
              )}
            </Space>
          )}
        </Flex>
      </Card>
      {pipeline && (
        <StagesCard
          key={`${pipeline.id}-${pipeline.stages.map((s) => s.id).join()}`}
          pipeline={pipeline}
          canEdit={canEdit && pipeline.archived_at === null}
        />
      )}
      <LossReasonsCard canEdit={canEdit} />
      {naming && (
        <PipelineNameModal
          pipeline={naming === 'new' ? null : naming}
          onClose={() => setNaming(null)}
        />
      )}
    </Flex>
  );
}
