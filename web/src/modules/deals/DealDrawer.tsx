import {
  Alert,
  App,
  Button,
  Checkbox,
  DatePicker,
  Descriptions,
  Divider,
  Drawer,
  Flex,
  Form,
  Grid,
  Input,
  Popconfirm,
  Select,
  Skeleton,
  Space,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { DealInvoices } from '../billing/DealInvoices';
import { DealDocuments } from '../documents/DealDocuments';
import DealLines from '../catalog/DealLines';
import DealShipments from '../shipments/DealShipments';
import { usePeople } from '../clients/people';
import { stageOf } from './board';
import { ClientPicker, MoneyInput } from './DealInputs';
import {
  FORECAST_CATEGORIES,
  dealsApi,
  useDeal,
  useDealHistory,
  useDealsMutation,
  useLossReasons,
  usePipelines,
  type Deal,
  type Pipeline,
} from './dealsApi';
import { fieldErrors, gateRefusal } from './gate';
import { dealChanges, formValues, type Values } from './dealForm';
import { formatMoney, minorToInput, parseMoney } from './money';
import { PaymentTag } from './PaymentTag';
import { useStageMove } from './useStageMove';
import { ActivityTimeline } from '../activities/ActivityTimeline';

const CURRENCIES = ['RUB', 'USD', 'EUR', 'CNY', 'KZT', 'BYN'];
const STATUS_COLOR: Record<Deal['status'], string> = { open: 'blue', won: 'green', lost: 'red' };

/** The checklists of the deal's stage and the stages after it: ticking ahead opens their gates. */
function Checklists({ deal, pipeline }: { deal: Deal; pipeline: Pipeline }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const current = stageOf(pipeline, deal.stage_id);
  const stages = pipeline.stages.filter(
    (s) => s.checklist.length > 0 && (!current || s.position >= current.position),
  );
  const tick = useDealsMutation(
    (items: Record<string, boolean>) => dealsApi.checklist(deal.id, items),
    { onError: (error) => void message.error(errorMessage(error, t)) },
  );
  if (stages.length === 0) return null;
  return (
    <div data-testid="deal-checklists">
      <Typography.Title level={5}>{t('deals.checklist.title')}</Typography.Title>
      <Flex vertical gap={8}>
        {stages.map((stage) => (
          <div key={stage.id} data-testid="deal-checklist" data-stage-id={stage.id}>
            <Typography.Text type="secondary">
              {stage.id === deal.stage_id
                ? t('deals.checklist.current', { stage: stage.name })
                : t('deals.checklist.ahead', { stage: stage.name })}
            </Typography.Text>
            <Flex vertical gap={2} style={{ marginTop: 4 }}>
              {stage.checklist.map((item) => (
                <Checkbox
                  key={item.code}
                  data-testid="deal-checklist-item"
                  data-code={item.code}
                  checked={deal.checklist[item.code] === true}
                  disabled={tick.isPending || deal.deleted_at !== null}
                  onChange={(e) => tick.mutate({ [item.code]: e.target.checked })}
                >
                  {item.label}
                </Checkbox>
              ))}
            </Flex>
          </div>
        ))}
      </Flex>
    </div>
  );
}

/** A deal opened from the kanban or the list (/deals/:id): its fields, stage, checklist and history. */
export function DealDrawer({ id, onClose }: { id: number | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const isPhone = !Grid.useBreakpoint().md;
  const deal = useDeal(id);
  const pipelines = usePipelines(true);
  const history = useDealHistory(id);
  const reasons = useLossReasons();
  const people = usePeople();
  const stageMove = useStageMove();
  const [form] = Form.useForm<Values>();

  const data = deal.data;
  const pipeline = pipelines.data?.find((p) => p.id === data?.pipeline_id);
  // The amount is the sum of the deal's lines when it has them (the server sets it): a refetch after the lines
  // change brings another amount, and the «Сумма» field follows it (the form's initial values are read only once).
  const amountMinor = data?.amount_minor;
  useEffect(() => {
    if (amountMinor === undefined) return;
    form.setFieldsValue({ amount: amountMinor > 0 ? minorToInput(amountMinor) : null });
  }, [amountMinor, form]);
  const stageName = (stageId: number | null) =>
    stageId === null ? '' : (stageOf(pipeline, stageId)?.name ?? `#${stageId}`);

  const save = useDealsMutation((v: Values) => dealsApi.update(id!, dealChanges(data!, v)), {
    onSuccess: (saved) => {
      form.setFieldsValue(formValues(saved));
      void message.success(t('deals.saved'));
    },
    onError: (error) => {
      const fields = fieldErrors(error).map((f) => ({
        ...f,
        name: f.name === 'amount_minor' ? 'amount' : f.name,
      }));
      if (fields.length) form.setFields(fields as never);
      // Clearing a field the current stage's gate requires is refused like a move.
      const refusal = gateRefusal(error);
      if (refusal) void message.error(refusal.items.map((i) => i.message).join(' '));
      else if (!fields.length) void message.error(errorMessage(error, t));
    },
  });
  const remove = useDealsMutation(() => dealsApi.remove(id!), {
    onSuccess: () => void message.success(t('deals.deleted')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const restore = useDealsMutation(() => dealsApi.restore(id!), {
    onSuccess: () => void message.success(t('deals.restored')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  const lossReason = data?.loss_reason_id
    ? reasons.data?.find((r) => r.id === data.loss_reason_id)?.name
    : undefined;

  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      width={isPhone ? '100%' : 640}
      title={<span data-testid="deal-drawer-title">{data ? data.title : t('common.loading')}</span>}
      data-testid="deal-drawer"
      destroyOnHidden
      extra={
        data &&
        (data.deleted_at === null ? (
          <Popconfirm
            title={t('deals.deleteConfirm')}
            okText={t('deals.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, 'data-testid': 'deal-delete-confirm' } as never}
            onConfirm={() => remove.mutate(undefined)}
          >
            <Button danger data-testid="deal-delete" loading={remove.isPending}>
              {t('deals.delete')}
            </Button>
          </Popconfirm>
        ) : (
          <Button
            data-testid="deal-restore"
            loading={restore.isPending}
            onClick={() => restore.mutate(undefined)}
          >
            {t('deals.restore')}
          </Button>
        ))
      }
    >
      {deal.isPending && id !== null && <Skeleton active />}
      {deal.isError && <Alert type="error" showIcon message={errorMessage(deal.error, t)} />}
      {data && (
        <Flex vertical gap={16}>
          {data.deleted_at !== null && (
            <Alert type="warning" showIcon message={t('deals.inBin')} data-testid="deal-in-bin" />
          )}
          <Flex wrap gap={8} align="center">
            <Tag color={STATUS_COLOR[data.status]} data-testid="deal-status">
              {t(`deals.status.${data.status}`)}
            </Tag>
            {data.idle && <Tag color="orange">{t('deals.idle')}</Tag>}
            <PaymentTag deal={data} />
            <Typography.Text strong>
              {formatMoney(data.amount_minor, data.currency, i18n.language)}
            </Typography.Text>
            <div style={{ flex: 1 }} />
            <Space>
              <Typography.Text type="secondary">{t('deals.field.stage')}</Typography.Text>
              <Select<number>
                data-testid="deal-stage-select"
                style={{ minWidth: 200 }}
                value={data.stage_id}
                loading={stageMove.pending}
                disabled={data.deleted_at !== null}
                onChange={(stageId) => {
                  const stage = stageOf(pipeline, stageId);
                  if (stage) stageMove.move(data, stage);
                }}
                options={(pipeline?.stages ?? []).map((s) => ({
                  value: s.id,
                  label: (
                    <span data-testid="deal-stage-option" data-stage-name={s.name}>
                      {s.name} · {s.probability}%
                    </span>
                  ),
                }))}
              />
            </Space>
          </Flex>
          {data.status === 'lost' && (
            <Alert
              type="error"
              data-testid="deal-loss"
              message={t('deals.loss.shown', { reason: lossReason ?? '—' })}
              description={data.loss_comment || undefined}
            />
          )}
          <Form
            key={data.id}
            form={form}
            layout="vertical"
            initialValues={formValues(data)}
            onFinish={(v) => save.mutate(v)}
            disabled={data.deleted_at !== null}
          >
            <Form.Item
              name="title"
              label={t('deals.field.title')}
              rules={[{ required: true, whitespace: true, message: t('deals.titleRequired') }]}
            >
              <Input data-testid="deal-title-input" maxLength={300} />
            </Form.Item>
            <Flex gap={12} wrap>
              <Form.Item
                name="amount"
                label={t('deals.field.amount')}
                style={{ flex: '1 1 200px' }}
                rules={[
                  {
                    validator: (_, v: string | null | undefined) =>
                      v === null || v === undefined || v === '' || parseMoney(v) !== null
                        ? Promise.resolve()
                        : Promise.reject(new Error(t('deals.amountInvalid'))),
                  },
                ]}
              >
                <MoneyInput testId="deal-amount" currency={data.currency} />
              </Form.Item>
              <Form.Item
                name="currency"
                label={t('deals.field.currency')}
                style={{ flex: '0 0 110px' }}
              >
                <Select
                  data-testid="deal-currency"
                  options={[...new Set([data.currency, ...CURRENCIES])].map((c) => ({
                    value: c,
                    label: c,
                  }))}
                />
              </Form.Item>
            </Flex>
            <Flex gap={12} wrap>
              <Form.Item
                name="expected_close_date"
                label={t('deals.field.expected_close_date')}
                style={{ flex: '1 1 200px' }}
              >
                <DatePicker
                  data-testid="deal-close-date"
                  style={{ width: '100%' }}
                  format="DD.MM.YYYY"
                />
              </Form.Item>
              <Form.Item
                name="forecast_category"
                label={t('deals.field.forecast_category')}
                style={{ flex: '1 1 200px' }}
              >
                <Select
                  data-testid="deal-forecast"
                  options={FORECAST_CATEGORIES.map((c) => ({
                    value: c,
                    label: t(`deals.forecast.${c}`),
                  }))}
                />
              </Form.Item>
            </Flex>
            <Form.Item name="company_id" label={t('deals.field.company')}>
              <ClientPicker
                entity="companies"
                testId="deal-company"
                currentLabel={data.company_name}
              />
            </Form.Item>
            <Form.Item name="contact_id" label={t('deals.field.contact')}>
              <ClientPicker
                entity="contacts"
                testId="deal-contact"
                currentLabel={data.contact_name}
              />
            </Form.Item>
            <Form.Item name="owner_user_id" label={t('deals.field.owner')}>
              <Select
                allowClear
                showSearch
                optionFilterProp="label"
                data-testid="deal-owner"
                options={[
                  ...(data.owner_user_id &&
                  !(people.data ?? []).some((p) => p.user_id === data.owner_user_id)
                    ? [{ value: data.owner_user_id, label: data.owner_name }]
                    : []),
                  ...(people.data ?? []).map((p) => ({ value: p.user_id, label: p.full_name })),
                ]}
              />
            </Form.Item>
            <Button
              type="primary"
              htmlType="submit"
              data-testid="deal-save"
              loading={save.isPending}
            >
              {t('common.save')}
            </Button>
          </Form>
          <DealLines dealId={data.id} />
          {pipeline && <Checklists deal={data} pipeline={pipeline} />}
          <DealDocuments deal={data} />
          <DealInvoices deal={data} />
          <DealShipments dealId={data.id} />
          <Descriptions size="small" column={1} bordered>
            {data.company_id && (
              <Descriptions.Item label={t('deals.field.company')}>
                <Link data-testid="deal-company-link" to={`/clients/companies/${data.company_id}`}>
                  {data.company_name || t('deals.openClient')}
                </Link>
              </Descriptions.Item>
            )}
            {data.contact_id && (
              <Descriptions.Item label={t('deals.field.contact')}>
                <Link to={`/clients/contacts/${data.contact_id}`}>
                  {data.contact_name || t('deals.openClient')}
                </Link>
              </Descriptions.Item>
            )}
            {data.source_lead_id && (
              <Descriptions.Item label={t('deals.field.source_lead')}>
                <Link data-testid="deal-lead-link" to={`/leads?lead=${data.source_lead_id}`}>
                  {t('deals.openLead', { id: data.source_lead_id })}
                </Link>
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('deals.field.stage_entered_at')}>
              {formatDateTime(data.stage_entered_at, i18n.language)}
            </Descriptions.Item>
            <Descriptions.Item label={t('deals.field.created_at')}>
              {formatDateTime(data.created_at, i18n.language)}
            </Descriptions.Item>
            {data.closed_at && (
              <Descriptions.Item label={t('deals.field.closed_at')}>
                {formatDateTime(data.closed_at, i18n.language)}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Divider style={{ margin: 0 }} />
          <ActivityTimeline record={{ type: 'deal', id: data.id }} />
          <div>
            <Typography.Title level={5}>{t('deals.history.title')}</Typography.Title>
            {history.isError && (
              <Alert type="error" showIcon message={errorMessage(history.error, t)} />
            )}
            <Timeline
              data-testid="deal-history"
              style={{ marginTop: 8, marginBottom: -16 }}
              items={(history.data ?? [])
                .slice()
                .reverse()
                .map((move) => ({
                  key: move.id,
                  children: (
                    <div data-testid="deal-history-item">
                      <div>
                        {move.from_stage_id === null
                          ? t('deals.history.opened', { stage: stageName(move.to_stage_id) })
                          : t('deals.history.moved', {
                              from: stageName(move.from_stage_id),
                              to: stageName(move.to_stage_id),
                            })}
                      </div>
                      <Typography.Text type="secondary">
                        {formatDateTime(move.at, i18n.language)}
                        {move.by_name && ` · ${move.by_name}`}
                      </Typography.Text>
                    </div>
                  ),
                }))}
            />
          </div>
        </Flex>
      )}
      {stageMove.element}
    </Drawer>
  );
}
