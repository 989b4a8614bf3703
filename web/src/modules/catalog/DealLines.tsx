import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Flex,
  Input,
  InputNumber,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { DeleteOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { formatMoney } from '../deals/money';
import {
  catalogApi,
  useCatalogMutation,
  useDealLines,
  useProducts,
  type DealLine,
  type DealLineWrite,
  type DealLines as Lines,
} from './catalogApi';
import { bpToPercent, milliToQuantity, percentToBp, quantityToMilli } from './units';

const APPROVAL_COLOR = {
  pending: 'gold',
  approved: 'green',
  rejected: 'red',
  withdrawn: 'default',
};

/** The approval state of the deal's discount: waiting, approved or rejected, with the comments and a new request. */
function ApprovalBox({ lines, dealId }: { lines: Lines; dealId: number }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const request = useCatalogMutation(() => catalogApi.requestApproval(dealId, comment), {
    onSuccess: () => {
      setComment('');
      void message.success(t('catalog.approval.requested'));
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const a = lines.approval;
  return (
    <Flex vertical gap={8} data-testid="deal-approval">
      {a && (
        <Alert
          type={a.status === 'approved' ? 'success' : a.status === 'pending' ? 'warning' : 'error'}
          showIcon
          message={
            <Space wrap>
              <Tag color={APPROVAL_COLOR[a.status]} data-testid="deal-approval-status">
                {t(`catalog.approval.status.${a.status}`)}
              </Tag>
              {t('catalog.approval.discount', { percent: bpToPercent(a.discount_bp) })}
            </Space>
          }
          description={
            <Flex vertical gap={2}>
              {a.status === 'pending' && <span>{t('catalog.approval.blocks')}</span>}
              {a.status === 'rejected' && <span>{t('catalog.approval.rejectedHint')}</span>}
              {a.request_comment && (
                <span>{t('catalog.approval.requestComment', { text: a.request_comment })}</span>
              )}
              {a.decision_comment && (
                <span data-testid="deal-approval-comment">
                  {t('catalog.approval.decisionComment', {
                    name: a.decided_by_name,
                    text: a.decision_comment,
                  })}
                </span>
              )}
            </Flex>
          }
        />
      )}
      {lines.can_request && (
        <Space.Compact style={{ width: '100%' }}>
          <Input
            data-testid="deal-approval-comment-input"
            placeholder={t('catalog.approval.commentPlaceholder')}
            value={comment}
            maxLength={2000}
            onChange={(e) => setComment(e.target.value)}
          />
          <Button
            data-testid="deal-approval-request"
            loading={request.isPending}
            onClick={() => request.mutate(undefined)}
          >
            {t('catalog.approval.request')}
          </Button>
        </Space.Compact>
      )}
    </Flex>
  );
}

/** The form that adds a line: a product (its price and the suggested discount come from the server) or free text. */
function AddLine({ dealId, currency }: { dealId: number; currency: string }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const products = useProducts(search);
  const [productId, setProductId] = useState<number | null>(null);
  const [quantity, setQuantity] = useState('1');
  const [discount, setDiscount] = useState('');
  const [name, setName] = useState('');
  const [price, setPrice] = useState<number | null>(null);
  const milli = quantityToMilli(quantity);
  const [hint, setHint] = useState<string>('');
  const add = useCatalogMutation((body: DealLineWrite) => catalogApi.addLine(dealId, body), {
    onSuccess: () => {
      setProductId(null);
      setQuantity('1');
      setDiscount('');
      setName('');
      setPrice(null);
      setHint('');
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const quote = async (id: number | null, q: number | null) => {
    if (!id || !q) return setHint('');
    try {
      const r = await catalogApi.quote(dealId, id, q);
      const priceText =
        r.unit_price_minor === null
          ? t('catalog.lines.noPrice')
          : formatMoney(r.unit_price_minor, currency, i18n.language);
      setHint(
        [priceText, r.suggestion.explanation || t('catalog.lines.noScheme')]
          .filter(Boolean)
          .join(' · '),
      );
    } catch {
      setHint('');
    }
  };
  const submit = () => {
    if (!milli) return void message.error(t('catalog.lines.badQuantity'));
    const bp = discount.trim() === '' ? undefined : percentToBp(discount);
    if (bp === null) return void message.error(t('catalog.lines.badDiscount'));
    const body: DealLineWrite = { quantity_milli: milli };
    if (bp !== undefined) body.discount_bp = bp;
    if (productId) body.product_id = productId;
    else {
      body.name = name;
      body.unit_price_minor = price === null ? undefined : Math.round(price * 100);
    }
    add.mutate(body);
  };
  return (
    <Flex vertical gap={4} data-testid="deal-line-add">
      <Flex wrap gap={8}>
        <Select
          showSearch
          allowClear
          filterOption={false}
          style={{ flex: '2 1 220px' }}
          data-testid="deal-line-product"
          placeholder={t('catalog.lines.product')}
          value={productId ?? undefined}
          onSearch={setSearch}
          onChange={(v: number | undefined) => {
            setProductId(v ?? null);
            void quote(v ?? null, milli);
          }}
          options={(products.data?.items ?? []).map((p) => ({
            value: p.id,
            label: `${p.name} · ${p.sku}`,
          }))}
        />
        {!productId && (
          <>
            <Input
              style={{ flex: '2 1 160px' }}
              data-testid="deal-line-name"
              placeholder={t('catalog.lines.freeName')}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
            <InputNumber<number>
              style={{ flex: '1 1 100px' }}
              data-testid="deal-line-price"
              min={0}
              placeholder={t('catalog.lines.price')}
              value={price}
              onChange={(v) => setPrice(v)}
            />
          </>
        )}
        <Input
          style={{ flex: '0 1 90px' }}
          data-testid="deal-line-quantity"
          addonBefore="×"
          value={quantity}
          onChange={(e) => setQuantity(e.target.value)}
          onBlur={() => void quote(productId, milli)}
        />
        <Input
          style={{ flex: '0 1 110px' }}
          data-testid="deal-line-discount"
          placeholder={t('catalog.lines.discountAuto')}
          suffix="%"
          value={discount}
          onChange={(e) => setDiscount(e.target.value)}
        />
        <Button
          type="primary"
          data-testid="deal-line-submit"
          loading={add.isPending}
          onClick={submit}
        >
          {t('catalog.lines.add')}
        </Button>
      </Flex>
      {hint && (
        <Typography.Text type="secondary" data-testid="deal-line-hint">
          {hint}
        </Typography.Text>
      )}
    </Flex>
  );
}

/** The deal's lines in its card: quantity, price, discount with the schemes' suggestion, amount; the approval. */
export default function DealLines({ dealId }: { dealId: number }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const lines = useDealLines(dealId);
  const onError = (error: unknown) => void message.error(errorMessage(error, t));
  const update = useCatalogMutation(
    (v: { id: number; body: DealLineWrite }) => catalogApi.updateLine(dealId, v.id, v.body),
    { onError },
  );
  const remove = useCatalogMutation((id: number) => catalogApi.deleteLine(dealId, id), {
    onError,
  });
  if (lines.isError) return <Alert type="error" showIcon message={errorMessage(lines.error, t)} />;
  if (!lines.data) return null;
  const data = lines.data;
  const money = (minor: number) => formatMoney(minor, data.currency, i18n.language);
  return (
    <Flex vertical gap={8} data-testid="deal-lines">
      <Flex justify="space-between" align="baseline" wrap>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('catalog.lines.title')}
        </Typography.Title>
        <Typography.Text type="secondary">
          {data.price_list
            ? t('catalog.lines.priceList', { name: data.price_list.name })
            : t('catalog.lines.noPriceList')}
          {' · '}
          {data.my_limit_bp === null
            ? t('catalog.lines.noLimit')
            : t('catalog.lines.myLimit', { percent: bpToPercent(data.my_limit_bp) })}
        </Typography.Text>
      </Flex>
      <Table<DealLine>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={data.lines}
        locale={{ emptyText: t('catalog.lines.empty') }}
        scroll={{ x: true }}
        onRow={(l) => ({ 'data-testid': 'deal-line', 'data-line-id': l.id }) as object}
        columns={[
          {
            key: 'name',
            title: t('catalog.lines.name'),
            render: (_, l) => (
              <Flex vertical>
                <span>{l.name}</span>
                {l.sku && <Typography.Text type="secondary">{l.sku}</Typography.Text>}
              </Flex>
            ),
          },
          {
            key: 'qty',
            title: t('catalog.lines.quantity'),
            render: (_, l) => `${milliToQuantity(l.quantity_milli)} ${l.unit}`,
          },
          {
            key: 'price',
            title: t('catalog.lines.price'),
            render: (_, l) => money(l.unit_price_minor),
          },
          {
            key: 'discount',
            title: t('catalog.lines.discount'),
            render: (_, l) => (
              <Flex vertical gap={2}>
                <Space size={4}>
                  <span data-testid="deal-line-discount-value">{bpToPercent(l.discount_bp)} %</span>
                  {l.over_limit && (
                    <Tooltip title={t('catalog.lines.overLimitHint')}>
                      <Tag color="gold" data-testid="deal-line-over-limit">
                        {t('catalog.lines.overLimit')}
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
                {l.suggestion.discount_bp > 0 && (
                  <Space size={4} wrap>
                    <Typography.Text type="secondary" data-testid="deal-line-suggestion">
                      {l.suggestion.explanation}
                    </Typography.Text>
                    {data.can_edit && l.suggestion.discount_bp !== l.discount_bp && (
                      <Button
                        size="small"
                        type="link"
                        icon={<ThunderboltOutlined />}
                        data-testid="deal-line-apply-suggestion"
                        onClick={() =>
                          update.mutate({
                            id: l.id,
                            body: { discount_bp: l.suggestion.discount_bp },
                          })
                        }
                      >
                        {t('catalog.lines.apply')}
                      </Button>
                    )}
                  </Space>
                )}
              </Flex>
            ),
          },
          {
            key: 'amount',
            title: t('catalog.lines.amount'),
            align: 'right',
            render: (_, l) => <span data-testid="deal-line-amount">{money(l.amount_minor)}</span>,
          },
          {
            key: 'actions',
            render: (_, l) =>
              data.can_edit && (
                <Popconfirm
                  title={t('catalog.lines.removeConfirm')}
                  onConfirm={() => remove.mutate(l.id)}
                >
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    aria-label={t('catalog.lines.remove')}
                    data-testid="deal-line-remove"
                  />
                </Popconfirm>
              ),
          },
        ]}
        summary={() =>
          data.lines.length > 0 && (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={4}>
                {t('catalog.lines.total', { vat: money(data.vat_minor) })}
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <strong data-testid="deal-lines-total">{money(data.amount_minor)}</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} />
            </Table.Summary.Row>
          )
        }
      />
      {data.can_edit && <AddLine dealId={dealId} currency={data.currency} />}
      <ApprovalBox lines={data} dealId={dealId} />
    </Flex>
  );
}
