import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  Form,
  Input,
  List,
  Modal,
  Popconfirm,
  Row,
  Select,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined, LinkOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import type { ApiError, Page } from '../../api';
import { errorMessage } from '../../api/errors';
import NotFoundPage from '../shell/NotFoundPage';
import { CustomGroup, Group, Points } from './CardParts';
import { ContactFormDrawer } from './ClientForms';
import {
  CLIENTS_KEY,
  clientsApi,
  useClientsMutation,
  useContact,
  useCustomFields,
  type Company,
} from './clientsApi';
import { DECISION_ROLES } from './options';
import { CardTimeline } from './Timeline';
import { ActivityTimeline } from '../activities/ActivityTimeline';
import { useDebounced } from './useDuplicateCheck';

/** Puts a person into a company with a position and a buying role. */
function LinkModal({ contactId, onClose }: { contactId: number; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ company_id: number; position?: string; decision_role?: string }>();
  const [q, setQ] = useState('');
  const debounced = useDebounced(q, 300);
  const companies = useQuery<Page<Company>, ApiError>({
    queryKey: [...CLIENTS_KEY, 'companies', 'pick', debounced],
    queryFn: () => clientsApi.list<Company>('companies', debounced ? { q: debounced } : {}),
  });
  const link = useClientsMutation(
    (v: { company_id: number; position?: string; decision_role?: string }) =>
      clientsApi.link(v.company_id, contactId, {
        position: v.position?.trim() ?? '',
        decision_role: v.decision_role ?? '',
      }),
    { onSuccess: onClose },
  );
  return (
    <Modal
      open
      title={t('clients.linkTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={link.isPending}
      destroyOnHidden
    >
      {link.isError && <Alert type="error" showIcon message={errorMessage(link.error, t)} />}
      <Form form={form} layout="vertical" onFinish={(v) => link.mutate(v)}>
        <Form.Item
          name="company_id"
          label={t('leads.pickCompany')}
          rules={[{ required: true, message: t('leads.pickRequired') }]}
        >
          <Select
            showSearch
            filterOption={false}
            onSearch={setQ}
            loading={companies.isFetching}
            options={(companies.data?.items ?? []).map((c) => ({ value: c.id, label: c.name }))}
          />
        </Form.Item>
        <Form.Item name="position" label={t('clients.field.position')}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="decision_role" label={t('clients.field.decision_role')}>
          <Select
            allowClear
            options={DECISION_ROLES.map((r) => ({
              value: r,
              label: t(`clients.choice.decision_role.${r}`),
            }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A person's card: name, phones, e-mails, companies with positions, and the history. */
export function ContactCard() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const contact = useContact(id);
  const fields = useCustomFields('contact');
  const [editing, setEditing] = useState(false);
  const [linking, setLinking] = useState(false);
  const remove = useClientsMutation(() => clientsApi.remove('contacts', id), {
    onSuccess: () => {
      void message.success(t('clients.deleted'));
      navigate('/clients/contacts');
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  if (contact.isError && contact.error.status === 404) return <NotFoundPage />;
  if (contact.isError)
    return <Alert type="error" showIcon message={errorMessage(contact.error, t)} />;
  if (contact.isPending) return <Skeleton active />;
  const c = contact.data;

  return (
    <Flex vertical gap={16} data-testid="contact-card">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <div>
          <Typography.Text type="secondary">
            <Link to="/clients/contacts">{t('clients.tab.contacts')}</Link>
          </Typography.Text>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {c.full_name}
          </Typography.Title>
        </div>
        <Space>
          <Button icon={<LinkOutlined />} onClick={() => setLinking(true)}>
            {t('clients.linkToCompany')}
          </Button>
          <Button
            icon={<EditOutlined />}
            data-testid="client-edit"
            onClick={() => setEditing(true)}
          >
            {t('clients.edit')}
          </Button>
          <Popconfirm
            title={t('clients.deleteConfirm')}
            okText={t('clients.delete')}
            cancelText={t('common.cancel')}
            onConfirm={() => remove.mutate(undefined)}
          >
            <Button danger icon={<DeleteOutlined />} loading={remove.isPending}>
              {t('clients.delete')}
            </Button>
          </Popconfirm>
        </Space>
      </Flex>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <Flex vertical gap={16}>
            <Group
              title={t('clients.group.main')}
              testId="card-main"
              rows={[
                [t('clients.field.phones'), <Points key="p" kind="phones" points={c.phones} />],
                [t('clients.field.emails'), <Points key="e" kind="emails" points={c.emails} />],
                [t('clients.field.birthday'), c.birthday],
                [t('clients.field.owner'), c.owner_name ?? ''],
                [
                  t('clients.field.tags'),
                  c.tags.length ? c.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '',
                ],
                [t('clients.field.preferences'), c.preferences],
                [t('clients.field.notes'), c.notes],
              ]}
            />
            <CustomGroup fields={fields.data} values={c.custom ?? {}} />
            <Card size="small" title={t('clients.group.companies')}>
              <List
                dataSource={c.companies ?? []}
                locale={{ emptyText: t('clients.noCompanies') }}
                renderItem={(l) => (
                  <List.Item>
                    <Space wrap>
                      <Link to={`/clients/companies/${l.company_id}`}>
                        {l.company_name ?? `#${l.company_id}`}
                      </Link>
                      {l.position && (
                        <Typography.Text type="secondary">{l.position}</Typography.Text>
                      )}
                      {l.decision_role && (
                        <Tag>{t(`clients.choice.decision_role.${l.decision_role}`)}</Tag>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={10}>
          <ActivityTimeline record={{ type: 'contact', id: c.id }} />
          <Card size="small" title={t('timeline.title')} style={{ marginTop: 16 }}>
            <CardTimeline entity="contacts" id={c.id} />
          </Card>
        </Col>
      </Row>
      {editing && (
        <ContactFormDrawer
          contact={c}
          onClose={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      )}
      {linking && <LinkModal contactId={c.id} onClose={() => setLinking(false)} />}
    </Flex>
  );
}
