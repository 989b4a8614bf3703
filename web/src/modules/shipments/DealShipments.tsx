import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { DeleteOutlined, PlusOutlined, ToolOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { milliToQuantity } from '../catalog/units';
import { formatDate } from '../deals/dates';
import {
  PRODUCTION_COLOR,
  STATUS_COLOR,
  checkDraft,
  everythingLeft,
  nextStatuses,
  remainingText,
} from './shipments';
import {
  shipmentsApi,
  useDealShipments,
  useShipmentsMutation,
  type Shipment,
  type ShipmentLine,
  type ShipmentStatus,
} from './shipmentsApi';

interface PlanValues {
  planned_date: Dayjs;
  address?: string;
  carrier?: string;
  tracking?: string;
  note?: string;
}

/** The server's refusal as lines a person can act on: its summary, then one line per field error. */
function Refusal({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const items = isApiError(error) ? error.errors.map((e) => e.message) : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="shipment-refusal"
      message={errorMessage(error, t)}
      description={
        items.length > 0 && (
          <ul style={{ margin: 0, paddingInlineStart: 18 }}>
            {items.map((m, i) => (
              <li key={i}>{m}</li>
            ))}
          </ul>
        )
      }
    />
  );
}

/** A new shipment: the planned day, where it goes, and how much of each line (what is left is the limit). */
function PlanModal({
  dealId,
  lines,
  today,
  onClose,
}: {
  dealId: number;
  lines: ShipmentLine[];
  today: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PlanValues>();
  const [draft, setDraft] = useState<Record<number, string>>({});
  const check = checkDraft(lines, draft);
  const create = useShipmentsMutation(
    (v: PlanValues) =>
      shipmentsApi.create(dealId, {
        planned_date: v.planned_date.format('YYYY-MM-DD'),
        address: v.address ?? '',
        carrier: v.carrier ?? '',
        tracking: v.tracking ?? '',
        note: v.note ?? '',
        items: check.items,
      }),
    {
      onSuccess: () => {
        void message.success(t('shipments.planned'));
        onClose();
      },
    },
  );
  const blocked = check.items.length === 0 || Object.keys(check.problems).length > 0;
  return (
    <Modal
      open
      width={720}
      title={t('shipments.new')}
      okText={t('shipments.plan')}
      okButtonProps={{ disabled: blocked, id: 'shipment-plan-submit' }}
      confirmLoading={create.isPending}
      onCancel={onClose}
      onOk={() => void form.validateFields().then((v) => create.mutate(v))}
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={{ planned_date: dayjs(today) }}
        data-testid="shipment-plan-form"
      >
        <Flex gap={8} wrap>
          <Form.Item
            name="planned_date"
            label={t('shipments.field.planned')}
            rules={[{ required: true }]}
            style={{ flex: '1 1 160px' }}
          >
            <DatePicker style={{ width: '100%' }} data-testid="shipment-planned" />
          </Form.Item>
          <Form.Item
            name="carrier"
            label={t('shipments.field.carrier')}
            style={{ flex: '1 1 160px' }}
          >
            <Input maxLength={200} data-testid="shipment-carrier" />
          </Form.Item>
          <Form.Item
            name="tracking"
            label={t('shipments.field.tracking')}
            style={{ flex: '1 1 160px' }}
          >
            <Input maxLength={200} data-testid="shipment-tracking" />
          </Form.Item>
        </Flex>
        <Form.Item name="address" label={t('shipments.field.address')}>
          <Input maxLength={500} data-testid="shipment-address" />
        </Form.Item>
        <Form.Item name="note" label={t('shipments.field.note')}>
          <Input.TextArea maxLength={2000} autoSize={{ minRows: 1, maxRows: 4 }} />
        </Form.Item>
      </Form>
      <Flex justify="space-between" align="center" style={{ marginBottom: 8 }}>
        <Typography.Text strong>{t('shipments.items')}</Typography.Text>
        <Button
          size="small"
          data-testid="shipment-all-left"
          onClick={() => setDraft(everythingLeft(lines))}
        >
          {t('shipments.allLeft')}
        </Button>
      </Flex>
      <Flex vertical gap={6}>
        {lines.map((l) => {
          const problem = check.problems[l.deal_line_id];
          return (
            <Flex key={l.deal_line_id} gap={8} align="center" wrap>
              <span style={{ flex: '3 1 220px' }}>
                {l.name} {l.made_to_order && <Tag color="purple">{t('shipments.madeToOrder')}</Tag>}
              </span>
              <Typography.Text type="secondary" style={{ flex: '1 1 100px' }}>
                {t('shipments.left', { text: remainingText(l) })}
              </Typography.Text>
              <Input
                style={{ flex: '0 0 110px' }}
                status={problem ? 'error' : undefined}
                data-testid={`shipment-qty-${l.deal_line_id}`}
                disabled={l.remaining_milli === 0}
                placeholder="0"
                value={draft[l.deal_line_id] ?? ''}
                onChange={(e) => setDraft({ ...draft, [l.deal_line_id]: e.target.value })}
              />
              {problem && (
                <Typography.Text type="danger">{t(`shipments.problem.${problem}`)}</Typography.Text>
              )}
            </Flex>
          );
        })}
      </Flex>
      <div style={{ marginTop: 12 }}>
        <Refusal error={create.error} />
      </div>
    </Modal>
  );
}

/** One shipment's actions: the next statuses (on a chosen day, today by default), production, deletion. */
function Actions({ shipment, canEdit }: { shipment: Shipment; canEdit: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [day, setDay] = useState<Dayjs | null>(null);
  const onError = (error: unknown) => {
    const details = isApiError(error) ? error.errors.map((e) => e.message).join(' ') : '';
    void message.error(`${errorMessage(error, t)} ${details}`.trim());
  };
  const move = useShipmentsMutation(
    (to: ShipmentStatus) => shipmentsApi.setStatus(shipment.id, to, day?.format('YYYY-MM-DD')),
    { onSuccess: () => setDay(null), onError },
  );
  const handOff = useShipmentsMutation((note: string) => shipmentsApi.handOff(shipment.id, note), {
    onSuccess: () => void message.success(t('shipments.handedOff')),
    onError,
  });
  const remove = useShipmentsMutation(() => shipmentsApi.remove(shipment.id), { onError });
  if (!canEdit) return null;
  const next = nextStatuses(shipment.status);
  const needsProduction = shipment.items.some((i) => i.made_to_order) && !shipment.production;
  return (
    <Space wrap size={4}>
      {next.length > 0 && (
        <DatePicker
          size="small"
          value={day}
          onChange={setDay}
          placeholder={t('shipments.today')}
          data-testid={`shipment-day-${shipment.id}`}
        />
      )}
      {next.map((to) => (
        <Button
          key={to}
          size="small"
          data-testid={`shipment-${to}-${shipment.id}`}
          loading={move.isPending && move.variables === to}
          onClick={() => move.mutate(to)}
        >
          {t(`shipments.action.${to}`)}
        </Button>
      ))}
      {needsProduction && shipment.status === 'preparing' && (
        <Button
          size="small"
          icon={<ToolOutlined />}
          data-testid={`shipment-production-${shipment.id}`}
          loading={handOff.isPending}
          onClick={() => handOff.mutate('')}
        >
          {t('shipments.handOff')}
        </Button>
      )}
      {shipment.status === 'preparing' && !shipment.production && (
        <Popconfirm title={t('shipments.deleteConfirm')} onConfirm={() => remove.mutate(undefined)}>
          <Button size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
        </Popconfirm>
      )}
    </Space>
  );
}

/** The deal card's shipments (DEAL-8): what is sold, shipped and left per line, and each shipment with its status. */
export default function DealShipments({ dealId }: { dealId: number }) {
  const { t, i18n } = useTranslation();
  const { data, isLoading, error } = useDealShipments(dealId);
  const [planning, setPlanning] = useState(false);
  if (isLoading) return null;
  if (error || !data) return null;
  const anythingLeft = data.lines.some((l) => l.remaining_milli > 0);
  const columns: ColumnsType<Shipment> = [
    {
      title: t('shipments.field.planned'),
      key: 'planned',
      render: (_, s) => (
        <Flex vertical>
          <Typography.Text
            type={s.overdue ? 'danger' : undefined}
            data-testid={`shipment-planned-${s.id}`}
          >
            {formatDate(s.planned_date, i18n.language)}
          </Typography.Text>
          {s.overdue && <Tag color="red">{t('shipments.overdue')}</Tag>}
        </Flex>
      ),
    },
    {
      title: t('shipments.field.status'),
      key: 'status',
      render: (_, s) => (
        <Flex vertical gap={2}>
          <Tag color={STATUS_COLOR[s.status]} data-testid={`shipment-status-${s.id}`}>
            {t(`shipments.status.${s.status}`)}
          </Tag>
          {s.actual_date && (
            <Typography.Text type="secondary">
              {t('shipments.shippedOn', { date: formatDate(s.actual_date, i18n.language) })}
            </Typography.Text>
          )}
          {s.delivered_date && (
            <Typography.Text type="secondary">
              {t('shipments.deliveredOn', { date: formatDate(s.delivered_date, i18n.language) })}
            </Typography.Text>
          )}
          {s.returned_date && (
            <Typography.Text type="secondary">
              {t('shipments.returnedOn', { date: formatDate(s.returned_date, i18n.language) })}
            </Typography.Text>
          )}
          {s.production && (
            <Tag
              color={PRODUCTION_COLOR[s.production.status]}
              data-testid={`shipment-prod-${s.id}`}
            >
              {t(`shipments.production.${s.production.status}`)}
            </Tag>
          )}
        </Flex>
      ),
    },
    {
      title: t('shipments.items'),
      key: 'items',
      render: (_, s) => (
        <Flex vertical>
          {s.items.map((i) => (
            <span key={i.id}>
              {i.name} — {milliToQuantity(i.quantity_milli)} {i.unit}
            </span>
          ))}
          {(s.address || s.carrier || s.tracking) && (
            <Typography.Text type="secondary">
              {[s.address, s.carrier, s.tracking].filter(Boolean).join(' · ')}
            </Typography.Text>
          )}
        </Flex>
      ),
    },
    {
      key: 'actions',
      render: (_, s) => <Actions shipment={s} canEdit={data.can_edit} />,
    },
  ];
  return (
    <Flex vertical gap={8} data-testid="deal-shipments" style={{ marginBlock: 16 }}>
      <Flex justify="space-between" align="center">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('shipments.title')}
        </Typography.Title>
        {data.can_edit && data.lines.length > 0 && (
          <Button
            size="small"
            icon={<PlusOutlined />}
            data-testid="shipment-new"
            disabled={!anythingLeft}
            onClick={() => setPlanning(true)}
          >
            {t('shipments.new')}
          </Button>
        )}
      </Flex>
      {data.lines.length === 0 ? (
        <Typography.Text type="secondary">{t('shipments.noLines')}</Typography.Text>
      ) : (
        <Flex vertical gap={2} data-testid="shipment-lines">
          {data.lines.map((l) => (
            <Flex key={l.deal_line_id} justify="space-between" gap={8}>
              <span>
                {l.name} {l.made_to_order && <Tag color="purple">{t('shipments.madeToOrder')}</Tag>}
              </span>
              <Typography.Text type={l.remaining_milli === 0 ? 'success' : 'secondary'}>
                {t('shipments.left', { text: remainingText(l) })}
              </Typography.Text>
            </Flex>
          ))}
        </Flex>
      )}
      {data.items.length === 0 ? (
        data.lines.length > 0 && (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('shipments.none')} />
        )
      ) : (
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          columns={columns}
          dataSource={data.items}
          scroll={{ x: true }}
          data-testid="shipment-table"
        />
      )}
      {planning && (
        <PlanModal
          dealId={dealId}
          lines={data.lines}
          today={data.today}
          onClose={() => setPlanning(false)}
        />
      )}
    </Flex>
  );
}
