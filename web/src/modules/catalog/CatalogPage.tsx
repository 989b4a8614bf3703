import { useState } from 'react';
import {
  App,
  Button,
  Checkbox,
  Flex,
  Form,
  Input,
  InputNumber,
  Modal,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { formatMoney } from '../deals/money';
import {
  SCHEME_KINDS,
  catalogApi,
  useApprovals,
  useCatalogMutation,
  useLimits,
  usePriceLists,
  useProducts,
  useSchemes,
  type DiscountApproval,
  type DiscountScheme,
  type PriceList,
  type Product,
} from './catalogApi';
import { bpToPercent, milliToQuantity, percentToBp, quantityToMilli } from './units';

function useOnError() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  return (error: unknown) => void message.error(errorMessage(error, t));
}

/** Products: a searchable table; the head adds and edits them in a dialog, archives the retired ones. */
function ProductsTab() {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const products = useProducts(q, true);
  const [editing, setEditing] = useState<Product | 'new' | null>(null);
  const [form] = Form.useForm();
  const onError = useOnError();
  const save = useCatalogMutation(
    (v: Record<string, unknown>) =>
      editing === 'new'
        ? catalogApi.createProduct(v)
        : catalogApi.updateProduct((editing as Product).id, v),
    { onSuccess: () => setEditing(null), onError },
  );
  const archive = useCatalogMutation(
    (p: Product) => catalogApi.updateProduct(p.id, { archived: p.archived_at === null }),
    { onError },
  );
  const open = (p: Product | 'new') => {
    setEditing(p);
    form.setFieldsValue(
      p === 'new'
        ? { name: '', sku: '', unit: 'шт', description: '', vat: '20', made_to_order: false }
        : { ...p, vat: bpToPercent(p.vat_rate_bp) },
    );
  };
  return (
    <Flex vertical gap={12}>
      <Flex gap={8} justify="space-between" wrap>
        <Input.Search
          allowClear
          style={{ maxWidth: 320 }}
          placeholder={t('catalog.products.search')}
          onSearch={setQ}
        />
        <Button type="primary" data-testid="product-new" onClick={() => open('new')}>
          {t('catalog.products.new')}
        </Button>
      </Flex>
      <Table<Product>
        size="small"
        rowKey="id"
        loading={products.isLoading}
        dataSource={products.data?.items ?? []}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        onRow={(p) => ({ 'data-testid': 'product-row', 'data-sku': p.sku }) as object}
        columns={[
          { key: 'sku', title: t('catalog.products.sku'), dataIndex: 'sku' },
          {
            key: 'name',
            title: t('catalog.products.name'),
            render: (_, p) => (
              <Space>
                {p.name}
                {p.made_to_order && <Tag color="purple">{t('catalog.products.madeToOrder')}</Tag>}
                {p.archived_at && <Tag>{t('catalog.archived')}</Tag>}
              </Space>
            ),
          },
          { key: 'unit', title: t('catalog.products.unit'), dataIndex: 'unit' },
          {
            key: 'vat',
            title: t('catalog.products.vat'),
            render: (_, p) => `${bpToPercent(p.vat_rate_bp)} %`,
          },
          {
            key: 'actions',
            render: (_, p) => (
              <Space>
                <Button size="small" onClick={() => open(p)}>
                  {t('catalog.products.editShort')}
                </Button>
                <Button size="small" onClick={() => archive.mutate(p)}>
                  {p.archived_at ? t('catalog.restore') : t('catalog.archive')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={editing === 'new' ? t('catalog.products.new') : t('catalog.products.edit')}
        onCancel={() => setEditing(null)}
        okButtonProps={{ loading: save.isPending }}
        onOk={() =>
          void form.validateFields().then((v: Record<string, unknown>) => {
            const vat = percentToBp(v.vat as string);
            save.mutate({
              name: v.name,
              sku: v.sku,
              unit: v.unit,
              description: v.description ?? '',
              made_to_order: v.made_to_order === true,
              ...(vat === null ? {} : { vat_rate_bp: vat }),
            });
          })
        }
      >
        <Form form={form} layout="vertical">
          <Form.Item name="name" label={t('catalog.products.name')} rules={[{ required: true }]}>
            <Input data-testid="product-name" maxLength={300} />
          </Form.Item>
          <Flex gap={8}>
            <Form.Item name="sku" label={t('catalog.products.sku')} rules={[{ required: true }]}>
              <Input data-testid="product-sku" maxLength={64} />
            </Form.Item>
            <Form.Item name="unit" label={t('catalog.products.unit')} rules={[{ required: true }]}>
              <Input maxLength={20} />
            </Form.Item>
            <Form.Item name="vat" label={t('catalog.products.vat')}>
              <Input suffix="%" />
            </Form.Item>
          </Flex>
          <Form.Item name="description" label={t('catalog.products.description')}>
            <Input.TextArea rows={3} maxLength={4000} />
          </Form.Item>
          <Form.Item name="made_to_order" valuePropName="checked">
            <Checkbox>{t('catalog.products.madeToOrderHint')}</Checkbox>
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}

/** Price lists: the lists on the left, the chosen list's prices per product on the right, edited in place. */
function PriceListsTab() {
  const { t, i18n } = useTranslation();
  const lists = usePriceLists();
  const [chosen, setChosen] = useState<number | null>(null);
  const listId = chosen ?? lists.data?.items[0]?.id ?? null;
  const products = useProducts('', false, listId ?? undefined);
  const onError = useOnError();
  const [form] = Form.useForm();
  const [creating, setCreating] = useState(false);
  const create = useCatalogMutation((v: Record<string, unknown>) => catalogApi.createPriceList(v), {
    onSuccess: (l: PriceList) => {
      setCreating(false);
      setChosen(l.id);
    },
    onError,
  });
  const makeDefault = useCatalogMutation(
    (id: number) => catalogApi.updatePriceList(id, { is_default: true }),
    { onError },
  );
  const setPrice = useCatalogMutation(
    (v: { product: number; price: number | null }) =>
      catalogApi.setPrices(listId as number, [{ product_id: v.product, price_minor: v.price }]),
    { onError },
  );
  const current = lists.data?.items.find((l) => l.id === listId);
  return (
    <Flex gap={16} wrap align="start">
      <Flex vertical gap={8} style={{ flex: '1 1 240px' }}>
        {(lists.data?.items ?? []).map((l) => (
          <Button
            key={l.id}
            type={l.id === listId ? 'primary' : 'default'}
            data-testid="price-list"
            onClick={() => setChosen(l.id)}
          >
            <Space>
              {l.name}
              {l.is_default && <Tag color="blue">{t('catalog.priceLists.default')}</Tag>}
              {l.client_segment && <Tag>{l.client_segment}</Tag>}
              <span>{l.currency}</span>
            </Space>
          </Button>
        ))}
        <Button type="dashed" onClick={() => setCreating(true)}>
          {t('catalog.priceLists.new')}
        </Button>
      </Flex>
      <Flex vertical gap={8} style={{ flex: '3 1 480px' }}>
        {current && !current.is_default && (
          <Button style={{ alignSelf: 'start' }} onClick={() => makeDefault.mutate(current.id)}>
            {t('catalog.priceLists.makeDefault')}
          </Button>
        )}
        <Table<Product & { price_minor?: number | null }>
          size="small"
          rowKey="id"
          loading={products.isLoading}
          dataSource={products.data?.items ?? []}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { key: 'sku', title: t('catalog.products.sku'), dataIndex: 'sku' },
            { key: 'name', title: t('catalog.products.name'), dataIndex: 'name' },
            {
              key: 'price',
              title: t('catalog.priceLists.price', { currency: current?.currency ?? '' }),
              render: (_, p) => (
                <InputNumber<number>
                  key={`${listId}-${p.id}-${p.price_minor ?? ''}`}
                  min={0}
                  data-testid="price-input"
                  defaultValue={p.price_minor == null ? undefined : p.price_minor / 100}
                  formatter={(v) => (v === undefined ? '' : String(v))}
                  placeholder={t('catalog.priceLists.noPrice')}
                  onBlur={(e) => {
                    const text = e.target.value.trim().replace(',', '.');
                    const price = text === '' ? null : Math.round(Number(text) * 100);
                    if (price !== null && !Number.isFinite(price)) return;
                    if (price === (p.price_minor ?? null)) return;
                    setPrice.mutate({ product: p.id, price });
                  }}
                />
              ),
            },
            {
              key: 'shown',
              render: (_, p) =>
                p.price_minor != null &&
                formatMoney(p.price_minor, current?.currency ?? 'RUB', i18n.language),
            },
          ]}
        />
      </Flex>
      <Modal
        open={creating}
        title={t('catalog.priceLists.new')}
        onCancel={() => setCreating(false)}
        okButtonProps={{ loading: create.isPending }}
        onOk={() =>
          void form.validateFields().then((v: Record<string, unknown>) => create.mutate(v))
        }
      >
        <Form form={form} layout="vertical" initialValues={{ currency: 'RUB', client_segment: '' }}>
          <Form.Item name="name" label={t('catalog.priceLists.name')} rules={[{ required: true }]}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="currency" label={t('catalog.priceLists.currency')}>
            <Select
              options={['RUB', 'USD', 'EUR', 'CNY', 'KZT', 'BYN'].map((c) => ({ value: c }))}
            />
          </Form.Item>
          <Form.Item
            name="client_segment"
            label={t('catalog.priceLists.segment')}
            extra={t('catalog.priceLists.segmentHint')}
          >
            <Input maxLength={100} />
          </Form.Item>
        </Form>
      </Modal>
    </Flex>
  );
}

/** Discount schemes: what each gives and when; the head adds one of the three kinds and pauses or archives them. */
function SchemesTab() {
  const { t } = useTranslation();
  const schemes = useSchemes();
  const onError = useOnError();
  const [form] = Form.useForm();
  const [creating, setCreating] = useState(false);
  const kind = Form.useWatch('kind', form) as string | undefined;
  const create = useCatalogMutation((v: Record<string, unknown>) => catalogApi.createScheme(v), {
    onSuccess: () => setCreating(false),
    onError,
  });
  const toggle = useCatalogMutation(
    (s: DiscountScheme) => catalogApi.updateScheme(s.id, { active: !s.active }),
    { onError },
  );
  const describe = (s: DiscountScheme) => {
    if (s.kind === 'volume')
      return s.tiers
        .map((tier) =>
          t('catalog.schemes.tier', {
            from: milliToQuantity(tier.min_quantity_milli),
            percent: bpToPercent(tier.discount_bp),
          }),
        )
        .join('; ');
    if (s.kind === 'segment')
      return t('catalog.schemes.segmentText', {
        segment: s.client_segment,
        percent: bpToPercent(s.discount_bp),
      });
    return t('catalog.schemes.promotionText', {
      from: s.valid_from,
      to: s.valid_to,
      percent: bpToPercent(s.discount_bp),
    });
  };
  return (
    <Flex vertical gap={12}>
      <Button type="primary" style={{ alignSelf: 'end' }} onClick={() => setCreating(true)}>
        {t('catalog.schemes.new')}
      </Button>
      <Table<DiscountScheme>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={schemes.data?.items ?? []}
        columns={[
          { key: 'name', title: t('catalog.schemes.name'), dataIndex: 'name' },
          {
            key: 'kind',
            title: t('catalog.schemes.kind'),
            render: (_, s) => <Tag>{t(`catalog.schemes.kinds.${s.kind}`)}</Tag>,
          },
          { key: 'what', title: t('catalog.schemes.what'), render: (_, s) => describe(s) },
          {
            key: 'active',
            render: (_, s) => (
              <Button size="small" onClick={() => toggle.mutate(s)}>
                {s.active ? t('catalog.schemes.pause') : t('catalog.schemes.resume')}
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={creating}
        title={t('catalog.schemes.new')}
        onCancel={() => setCreating(false)}
        okButtonProps={{ loading: create.isPending }}
        onOk={() =>
          void form.validateFields().then((v: Record<string, string>) => {
            const body: Record<string, unknown> = { name: v.name, kind: v.kind };
            if (v.kind === 'volume') {
              body.tiers = (v.tiers ?? '')
                .split(/[;\n]/)
                .map((part) => part.split(':').map((x) => x.trim()))
                .filter((p) => p.length === 2)
                .map(([q, p]) => ({
                  min_quantity_milli: quantityToMilli(q) ?? 0,
                  discount_bp: percentToBp(p) ?? -1,
                }));
            } else {
              body.discount_bp = percentToBp(v.percent) ?? -1;
            }
            if (v.kind === 'segment') body.client_segment = v.client_segment;
            if (v.kind === 'promotion') {
              body.valid_from = v.valid_from;
              body.valid_to = v.valid_to;
            }
            create.mutate(body);
          })
        }
      >
        <Form form={form} layout="vertical" initialValues={{ kind: 'volume' }}>
          <Form.Item name="name" label={t('catalog.schemes.name')} rules={[{ required: true }]}>
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item name="kind" label={t('catalog.schemes.kind')}>
            <Select
              options={SCHEME_KINDS.map((k) => ({
                value: k,
                label: t(`catalog.schemes.kinds.${k}`),
              }))}
            />
          </Form.Item>
          {kind === 'volume' ? (
            <Form.Item
              name="tiers"
              label={t('catalog.schemes.tiers')}
              extra={t('catalog.schemes.tiersHint')}
            >
              <Input.TextArea rows={3} placeholder="10: 3; 25: 5; 50: 8" />
            </Form.Item>
          ) : (
            <Form.Item name="percent" label={t('catalog.schemes.percent')}>
              <Input suffix="%" />
            </Form.Item>
          )}
          {kind === 'segment' && (
            <Form.Item name="client_segment" label={t('catalog.priceLists.segment')}>
              <Input maxLength={100} />
            </Form.Item>
          )}
          {kind === 'promotion' && (
            <Flex gap={8}>
              <Form.Item name="valid_from" label={t('catalog.schemes.from')}>
                <Input type="date" />
              </Form.Item>
              <Form.Item name="valid_to" label={t('catalog.schemes.to')}>
                <Input type="date" />
              </Form.Item>
            </Flex>
          )}
        </Form>
      </Modal>
    </Flex>
  );
}

/** Limits: how much each role gives without asking; blank means no limit, "default" goes back to the built-in. */
function LimitsTab() {
  const { t } = useTranslation();
  const limits = useLimits();
  const onError = useOnError();
  const set = useCatalogMutation(
    (v: { code: string; bp: number | null }) => catalogApi.setLimit(v.code, v.bp),
    { onError },
  );
  const reset = useCatalogMutation((code: string) => catalogApi.resetLimit(code), { onError });
  if (limits.isError)
    return <Typography.Text type="secondary">{errorMessage(limits.error, t)}</Typography.Text>;
  return (
    <Table
      size="small"
      rowKey="role_code"
      pagination={false}
      dataSource={limits.data?.items ?? []}
      columns={[
        { key: 'role', title: t('catalog.limits.role'), dataIndex: 'role_name' },
        {
          key: 'limit',
          title: t('catalog.limits.limit'),
          render: (_, l) => (
            <Space>
              <Input
                key={`${l.role_code}-${l.max_discount_bp ?? 'none'}`}
                style={{ width: 110 }}
                suffix="%"
                data-testid="limit-input"
                defaultValue={l.max_discount_bp === null ? '' : bpToPercent(l.max_discount_bp)}
                placeholder={t('catalog.limits.none')}
                onBlur={(e) => {
                  const text = e.target.value.trim();
                  const bp = text === '' ? null : percentToBp(text);
                  if (text !== '' && bp === null) return;
                  if (bp === l.max_discount_bp) return;
                  set.mutate({ code: l.role_code, bp });
                }}
              />
              {l.custom ? (
                <Button size="small" onClick={() => reset.mutate(l.role_code)}>
                  {t('catalog.limits.reset')}
                </Button>
              ) : (
                <Tag>{t('catalog.limits.default')}</Tag>
              )}
              {l.decides_discounts && <Tag color="blue">{t('catalog.limits.decides')}</Tag>}
            </Space>
          ),
        },
      ]}
    />
  );
}

/** The head's queue: discounts waiting for a decision, approved or rejected with a comment. */
export function ApprovalsTab() {
  const { t, i18n } = useTranslation();
  const [status, setStatus] = useState('pending');
  const approvals = useApprovals(status);
  const onError = useOnError();
  const [deciding, setDeciding] = useState<{ a: DiscountApproval; approve: boolean } | null>(null);
  const [comment, setComment] = useState('');
  const decide = useCatalogMutation(
    (v: { id: number; approve: boolean; comment: string }) =>
      catalogApi.decide(v.id, v.approve, v.comment),
    {
      onSuccess: () => {
        setDeciding(null);
        setComment('');
      },
      onError,
    },
  );
  return (
    <Flex vertical gap={12} data-testid="approvals">
      <Select
        style={{ width: 220 }}
        value={status}
        onChange={setStatus}
        options={['pending', 'approved', 'rejected', ''].map((s) => ({
          value: s,
          label: s ? t(`catalog.approval.status.${s}`) : t('catalog.approval.all'),
        }))}
      />
      <Table<DiscountApproval>
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={approvals.data?.items ?? []}
        locale={{ emptyText: t('catalog.approval.empty') }}
        onRow={(a) => ({ 'data-testid': 'approval-row', 'data-deal-id': a.deal_id }) as object}
        columns={[
          {
            key: 'deal',
            title: t('catalog.approval.deal'),
            render: (_, a) => (
              <Flex vertical>
                <Link to={`/deals/${a.deal_id}`}>{a.deal_title}</Link>
                <Typography.Text type="secondary">
                  {formatMoney(a.deal_amount_minor, a.deal_currency, i18n.language)}
                </Typography.Text>
              </Flex>
            ),
          },
          {
            key: 'discount',
            title: t('catalog.lines.discount'),
            render: (_, a) => (
              <Flex vertical>
                <strong>{bpToPercent(a.discount_bp)} %</strong>
                {a.limit_bp !== null && (
                  <Typography.Text type="secondary">
                    {t('catalog.approval.limitWas', { percent: bpToPercent(a.limit_bp) })}
                  </Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            key: 'who',
            title: t('catalog.approval.requestedBy'),
            render: (_, a) => (
              <Flex vertical>
                <span>{a.requested_by_name}</span>
                <Typography.Text type="secondary">
                  {formatDateTime(a.requested_at, i18n.language)}
                </Typography.Text>
                {a.request_comment && <Typography.Text italic>{a.request_comment}</Typography.Text>}
              </Flex>
            ),
          },
          {
            key: 'status',
            title: t('catalog.approval.state'),
            render: (_, a) =>
              a.can_decide ? (
                <Space>
                  <Button
                    type="primary"
                    size="small"
                    data-testid="approval-approve"
                    onClick={() => setDeciding({ a, approve: true })}
                  >
                    {t('catalog.approval.approve')}
                  </Button>
                  <Button
                    danger
                    size="small"
                    data-testid="approval-reject"
                    onClick={() => setDeciding({ a, approve: false })}
                  >
                    {t('catalog.approval.reject')}
                  </Button>
                </Space>
              ) : (
                <Flex vertical>
                  <Tag>{t(`catalog.approval.status.${a.status}`)}</Tag>
                  {a.decision_comment && (
                    <Typography.Text type="secondary">
                      {a.decided_by_name}: {a.decision_comment}
                    </Typography.Text>
                  )}
                </Flex>
              ),
          },
        ]}
      />
      <Modal
        open={deciding !== null}
        title={
          deciding?.approve ? t('catalog.approval.approveTitle') : t('catalog.approval.rejectTitle')
        }
        onCancel={() => setDeciding(null)}
        okButtonProps={{
          loading: decide.isPending,
          disabled: deciding !== null && !deciding.approve && comment.trim() === '',
        }}
        onOk={() =>
          deciding && decide.mutate({ id: deciding.a.id, approve: deciding.approve, comment })
        }
      >
        <Input.TextArea
          rows={3}
          maxLength={2000}
          data-testid="approval-comment"
          placeholder={
            deciding?.approve
              ? t('catalog.approval.commentOptional')
              : t('catalog.approval.commentRequired')
          }
          value={comment}
          onChange={(e) => setComment(e.target.value)}
        />
      </Modal>
    </Flex>
  );
}

/** /deals/catalog: products, price lists, discount schemes, limits and the approvals queue. */
export default function CatalogPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') ?? 'products';
  return (
    <Flex vertical gap={12}>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('catalog.title')}
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams({ tab: key })}
        items={[
          { key: 'products', label: t('catalog.tabs.products'), children: <ProductsTab /> },
          { key: 'prices', label: t('catalog.tabs.prices'), children: <PriceListsTab /> },
          { key: 'schemes', label: t('catalog.tabs.schemes'), children: <SchemesTab /> },
          { key: 'limits', label: t('catalog.tabs.limits'), children: <LimitsTab /> },
          { key: 'approvals', label: t('catalog.tabs.approvals'), children: <ApprovalsTab /> },
        ]}
      />
    </Flex>
  );
}
