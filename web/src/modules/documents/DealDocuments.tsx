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
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import {
  FilePdfOutlined,
  PaperClipOutlined,
  PlusOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { formatDate } from '../deals/dates';
import { fieldErrors } from '../deals/gate';
import { formatMoney } from '../deals/money';
import {
  contractBody,
  contractValues,
  datesOrdered,
  formatSize,
  nextStatuses,
  type ContractValues,
} from './contractForm';
import {
  CONTRACT_FILE_ACCEPT,
  CONTRACT_KINDS,
  MAX_CONTRACT_FILE_BYTES,
  documentsApi,
  useContracts,
  useDocumentsMutation,
  useProposals,
  useTemplates,
  type Contract,
  type Proposal,
} from './documentsApi';
import { SendByEmailButton } from './SendByEmail';

/** The part of a deal the documents need (the deal card passes its deal). */
export interface DocumentsDeal {
  id: number;
  deleted_at: number | null;
}

const CONTRACT_STATUS_COLOR: Record<Contract['status'], string> = {
  draft: 'default',
  signed: 'green',
  terminated: 'red',
};

/** The deal's proposals: generate the next version, open or download a PDF, record it as sent. */
function Proposals({ deal }: { deal: DocumentsDeal }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const proposals = useProposals(deal.id);
  const templates = useTemplates();
  const [templateId, setTemplateId] = useState<number | null>(null);
  const [lang, setLang] = useState<'ru' | 'en'>('ru');
  const generate = useDocumentsMutation(
    () =>
      documentsApi.createProposal(deal.id, {
        lang,
        ...(templateId !== null ? { template_id: templateId } : {}),
      }),
    {
      onSuccess: (p) =>
        void message.success(t('documents.proposals.generated', { version: p.version })),
      onError: (error) => void message.error(errorMessage(error, t)),
    },
  );
  const setStatus = useDocumentsMutation(
    (v: { id: number; status: Proposal['status'] }) =>
      documentsApi.setProposalStatus(v.id, v.status),
    { onError: (error) => void message.error(errorMessage(error, t)) },
  );

  const columns: ColumnsType<Proposal> = [
    {
      key: 'version',
      title: t('documents.proposals.version'),
      render: (_, p) => (
        <Space direction="vertical" size={0}>
          <Typography.Text strong data-testid="proposal-number">
            № {p.number}
          </Typography.Text>
          <Typography.Text type="secondary">
            {formatDateTime(p.created_at, i18n.language)}
            {p.created_by_name && ` · ${p.created_by_name}`}
          </Typography.Text>
        </Space>
      ),
    },
    {
      key: 'total',
      title: t('documents.proposals.total'),
      render: (_, p) => formatMoney(p.total_minor, p.currency, i18n.language),
    },
    {
      key: 'valid',
      title: t('documents.proposals.validUntil'),
      render: (_, p) => formatDate(p.valid_until, i18n.language),
    },
    {
      key: 'status',
      title: t('documents.proposals.status'),
      render: (_, p) => (
        <Tag color={p.status === 'sent' ? 'green' : 'default'} data-testid="proposal-status">
          {t(`documents.proposals.statuses.${p.status}`)}
        </Tag>
      ),
    },
    {
      key: 'actions',
      render: (_, p) => (
        <Space wrap>
          <Button
            size="small"
            icon={<FilePdfOutlined />}
            href={p.pdf_url}
            target="_blank"
            rel="noopener"
            data-testid="proposal-open"
          >
            {t('documents.proposals.open')}
          </Button>
          <Button size="small" type="link" href={`${p.pdf_url}?download=true`}>
            {t('documents.download')}
          </Button>
          {deal.deleted_at === null && <SendByEmailButton kind="proposal" id={p.id} canSend />}
          {p.status === 'draft' && deal.deleted_at === null && (
            <Button
              size="small"
              type="link"
              data-testid="proposal-mark-sent"
              loading={setStatus.isPending}
              onClick={() => setStatus.mutate({ id: p.id, status: 'sent' })}
            >
              {t('documents.proposals.markSent')}
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {deal.deleted_at === null && (
        <Flex wrap gap={8} align="center">
          <Select<number | null>
            data-testid="proposal-template"
            style={{ minWidth: 220, flex: '1 1 220px' }}
            value={templateId}
            onChange={setTemplateId}
            loading={templates.isPending}
            options={[
              { value: null, label: t('documents.proposals.builtin') },
              ...(templates.data?.items ?? []).map((tpl) => ({ value: tpl.id, label: tpl.name })),
            ]}
          />
          <Select<'ru' | 'en'>
            data-testid="proposal-lang"
            style={{ width: 120 }}
            value={lang}
            onChange={setLang}
            options={[
              { value: 'ru', label: t('documents.lang.ru') },
              { value: 'en', label: t('documents.lang.en') },
            ]}
          />
          <Button
            type="primary"
            icon={<FilePdfOutlined />}
            data-testid="proposal-generate"
            loading={generate.isPending}
            onClick={() => generate.mutate(undefined)}
          >
            {t('documents.proposals.generate')}
          </Button>
        </Flex>
      )}
      {proposals.isError && (
        <Alert type="error" showIcon message={errorMessage(proposals.error, t)} />
      )}
      <Table<Proposal>
        data-testid="proposals-table"
        rowKey="id"
        size="small"
        pagination={false}
        loading={proposals.isPending}
        columns={columns}
        dataSource={proposals.data ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t('documents.proposals.empty')} /> }}
      />
    </Flex>
  );
}

/** Create or change a contract: the server checks everything again and its field errors land on the fields. */
function ContractModal({
  dealId,
  contract,
  onClose,
}: {
  dealId: number;
  contract: Contract | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContractValues>();
  const save = useDocumentsMutation(
    (v: ContractValues) =>
      contract
        ? documentsApi.updateContract(contract.id, contractBody(v, contract))
        : documentsApi.createContract(dealId, contractBody(v)),
    {
      onSuccess: () => {
        void message.success(t('documents.contracts.saved'));
        onClose();
      },
      onError: (error) => {
        const fields = fieldErrors(error);
        if (fields.length) form.setFields(fields as never);
        else void message.error(errorMessage(error, t));
      },
    },
  );
  const statuses = nextStatuses(contract?.status ?? 'draft');
  return (
    <Modal
      open
      title={contract ? t('documents.contracts.edit') : t('documents.contracts.new')}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={save.isPending}
      okButtonProps={{ 'data-testid': 'contract-save' } as never}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        initialValues={contractValues(contract ?? undefined)}
        onFinish={(v) => save.mutate(v)}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="number"
            label={t('documents.contracts.number')}
            style={{ flex: '1 1 180px' }}
            rules={[
              {
                required: true,
                whitespace: true,
                message: t('documents.contracts.numberRequired'),
              },
            ]}
          >
            <Input data-testid="contract-number" maxLength={64} />
          </Form.Item>
          <Form.Item
            name="kind"
            label={t('documents.contracts.kind')}
            style={{ flex: '1 1 180px' }}
          >
            <Select
              data-testid="contract-kind"
              options={CONTRACT_KINDS.map((k) => ({
                value: k,
                label: t(`documents.contracts.kinds.${k}`),
              }))}
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item
            name="status"
            label={t('documents.contracts.status')}
            style={{ flex: '1 1 140px' }}
          >
            <Select
              data-testid="contract-status"
              options={statuses.map((s) => ({
                value: s,
                label: t(`documents.contracts.statuses.${s}`),
              }))}
            />
          </Form.Item>
          <Form.Item
            name="signed_on"
            label={t('documents.contracts.signedOn')}
            style={{ flex: '1 1 140px' }}
            dependencies={['status']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  v || getFieldValue('status') === 'draft'
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('documents.contracts.signedOnRequired'))),
              }),
            ]}
          >
            <DatePicker
              data-testid="contract-signed-on"
              style={{ width: '100%' }}
              format="DD.MM.YYYY"
            />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item
            name="valid_from"
            label={t('documents.contracts.validFrom')}
            style={{ flex: '1 1 140px' }}
          >
            <DatePicker
              data-testid="contract-valid-from"
              style={{ width: '100%' }}
              format="DD.MM.YYYY"
            />
          </Form.Item>
          <Form.Item
            name="valid_to"
            label={t('documents.contracts.validTo')}
            style={{ flex: '1 1 140px' }}
            dependencies={['valid_from']}
            rules={[
              ({ getFieldValue }) => ({
                validator: (_, v) =>
                  datesOrdered(getFieldValue('valid_from'), v ?? null)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('documents.contracts.datesOrder'))),
              }),
            ]}
          >
            <DatePicker
              data-testid="contract-valid-to"
              style={{ width: '100%' }}
              format="DD.MM.YYYY"
            />
          </Form.Item>
        </Flex>
        <Form.Item name="terms" label={t('documents.contracts.terms')}>
          <Input.TextArea data-testid="contract-terms" autoSize={{ minRows: 3, maxRows: 10 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The deal's contracts: add, change, attach the file (PDF/DOCX), open it, move to the bin. */
function Contracts({ deal }: { deal: DocumentsDeal }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const contracts = useContracts(deal.id);
  const [editing, setEditing] = useState<Contract | 'new' | null>(null);
  const upload = useDocumentsMutation(
    (v: { id: number; file: File }) => documentsApi.uploadContractFile(v.id, v.file),
    {
      onSuccess: () => void message.success(t('documents.contracts.fileSaved')),
      onError: (error) => void message.error(errorMessage(error, t)),
    },
  );
  const remove = useDocumentsMutation((id: number) => documentsApi.deleteContract(id), {
    onSuccess: () => void message.success(t('documents.contracts.deleted')),
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const live = deal.deleted_at === null;

  const columns: ColumnsType<Contract> = [
    {
      key: 'number',
      title: t('documents.contracts.number'),
      render: (_, c) => (
        <Space direction="vertical" size={2}>
          <Typography.Text
            strong
            style={{ whiteSpace: 'nowrap' }}
            data-testid="contract-row-number"
          >
            {c.number}
          </Typography.Text>
          <Typography.Text type="secondary">
            {t(`documents.contracts.kinds.${c.kind}`)}
          </Typography.Text>
          <Tag color={CONTRACT_STATUS_COLOR[c.status]} data-testid="contract-row-status">
            {t(`documents.contracts.statuses.${c.status}`)}
          </Tag>
        </Space>
      ),
    },
    {
      key: 'dates',
      title: t('documents.contracts.validity'),
      render: (_, c) =>
        c.valid_from || c.valid_to
          ? `${formatDate(c.valid_from, i18n.language) || '…'} — ${formatDate(c.valid_to, i18n.language) || '…'}`
          : '—',
    },
    {
      key: 'file',
      title: t('documents.contracts.file'),
      render: (_, c) => (
        <Space direction="vertical" size={2}>
          {c.file && (
            <Typography.Link
              href={c.file.url}
              target="_blank"
              rel="noopener"
              data-testid="contract-file-link"
            >
              <PaperClipOutlined /> {c.file.name}{' '}
              <Typography.Text type="secondary">
                ({formatSize(c.file.size_bytes, i18n.language)})
              </Typography.Text>
            </Typography.Link>
          )}
          {live && (
            <Upload
              accept={CONTRACT_FILE_ACCEPT}
              showUploadList={false}
              beforeUpload={(file) => {
                if (file.size > MAX_CONTRACT_FILE_BYTES)
                  void message.error(t('documents.contracts.fileTooBig'));
                else upload.mutate({ id: c.id, file });
                return false;
              }}
            >
              <Button size="small" loading={upload.isPending} data-testid="contract-upload">
                {c.file
                  ? t('documents.contracts.replaceFile')
                  : t('documents.contracts.attachFile')}
              </Button>
            </Upload>
          )}
        </Space>
      ),
    },
    {
      key: 'actions',
      render: (_, c) =>
        live && (
          <Space>
            <Button
              size="small"
              type="link"
              data-testid="contract-edit"
              onClick={() => setEditing(c)}
            >
              {t('documents.contracts.editShort')}
            </Button>
            <Popconfirm
              title={t('documents.contracts.deleteConfirm')}
              okText={t('documents.contracts.delete')}
              cancelText={t('common.cancel')}
              onConfirm={() => remove.mutate(c.id)}
            >
              <Button size="small" type="link" danger>
                {t('documents.contracts.delete')}
              </Button>
            </Popconfirm>
          </Space>
        ),
    },
  ];

  return (
    <Flex vertical gap={12}>
      {live && (
        <div>
          <Button
            icon={<PlusOutlined />}
            data-testid="contract-new"
            onClick={() => setEditing('new')}
          >
            {t('documents.contracts.new')}
          </Button>
        </div>
      )}
      {contracts.isError && (
        <Alert type="error" showIcon message={errorMessage(contracts.error, t)} />
      )}
      <Table<Contract>
        data-testid="contracts-table"
        rowKey="id"
        size="small"
        pagination={false}
        loading={contracts.isPending}
        columns={columns}
        dataSource={contracts.data ?? []}
        scroll={{ x: true }}
        locale={{ emptyText: <Empty description={t('documents.contracts.empty')} /> }}
      />
      {editing !== null && (
        <ContractModal
          dealId={deal.id}
          contract={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
    </Flex>
  );
}

/** The deal card's documents (DEAL-4): proposals as versioned PDFs and contracts with their files. */
export function DealDocuments({ deal }: { deal: DocumentsDeal }) {
  const { t } = useTranslation();
  return (
    <div data-testid="deal-documents">
      <Flex align="center" justify="space-between">
        <Typography.Title level={5} style={{ margin: 0 }}>
          {t('documents.title')}
        </Typography.Title>
        <Link to="/documents/settings" data-testid="documents-settings-link">
          <SettingOutlined /> {t('documents.settings.open')}
        </Link>
      </Flex>
      <Tabs
        items={[
          {
            key: 'proposals',
            label: t('documents.proposals.tab'),
            children: <Proposals deal={deal} />,
          },
          {
            key: 'contracts',
            label: t('documents.contracts.tab'),
            children: <Contracts deal={deal} />,
          },
        ]}
      />
    </div>
  );
}
