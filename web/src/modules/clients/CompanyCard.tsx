import { useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Flex,
  List,
  Popconfirm,
  Row,
  Skeleton,
  Space,
  Tag,
  Typography,
} from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import NotFoundPage from '../shell/NotFoundPage';
import { CustomGroup, Group, Points } from './CardParts';
import { CompanyFormDrawer } from './ClientForms';
import { clientsApi, useClientsMutation, useCompany, useCustomFields } from './clientsApi';
import { formatMoney } from './options';
import { CardTimeline } from './Timeline';
import { ActivityTimeline } from '../activities/ActivityTimeline';

/** A company's card: every field in groups, its people, and the history. */
export function CompanyCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const id = Number(useParams().id);
  const company = useCompany(id);
  const fields = useCustomFields('company');
  const [editing, setEditing] = useState(false);
  const remove = useClientsMutation(() => clientsApi.remove('companies', id), {
    onSuccess: () => {
      void message.success(t('clients.deleted'));
      navigate('/clients');
    },
    onError: (error) => void message.error(errorMessage(error, t)),
  });
  const unlink = useClientsMutation((contactId: number) => clientsApi.unlink(id, contactId), {
    onError: (error) => void message.error(errorMessage(error, t)),
  });

  if (company.isError && company.error.status === 404) return <NotFoundPage />;
  if (company.isError)
    return <Alert type="error" showIcon message={errorMessage(company.error, t)} />;
  if (company.isPending) return <Skeleton active />;
  const c = company.data;
  const choice = (group: string, v: string) => (v ? t(`clients.choice.${group}.${v}`) : '');
  const bank = c.bank_details ?? {};

  return (
    <Flex vertical gap={16} data-testid="company-card">
      <Flex justify="space-between" align="center" wrap gap={8}>
        <div>
          <Typography.Text type="secondary">
            <Link to="/clients">{t('clients.tab.companies')}</Link>
            {c.legal_form ? ` · ${choice('legal_form', c.legal_form)}` : ''}
          </Typography.Text>
          <Typography.Title level={3} style={{ margin: 0 }} data-testid="page-title">
            {c.name}
          </Typography.Title>
          {c.deleted_at && <Tag color="red">{t('clients.inBin')}</Tag>}
        </div>
        <Space>
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
                [t('clients.field.full_name_company'), c.full_name],
                [t('clients.field.phones'), <Points key="p" kind="phones" points={c.phones} />],
                [t('clients.field.emails'), <Points key="e" kind="emails" points={c.emails} />],
                [t('clients.field.website'), c.website],
                [t('clients.field.owner'), c.owner_name ?? ''],
                [
                  t('clients.field.tags'),
                  c.tags.length ? c.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '',
                ],
              ]}
            />
            <Group
              title={t('clients.group.requisites')}
              testId="card-requisites"
              rows={[
                [t('clients.field.inn'), c.inn],
                [t('clients.field.kpp'), c.kpp],
                [t('clients.field.ogrn'), c.ogrn],
                [t('clients.field.legal_address'), c.legal_address],
                [t('clients.field.actual_address'), c.actual_address],
              ]}
            />
            <Group
              title={t('clients.group.bank')}
              rows={[
                [t('clients.field.bank_name'), bank.bank_name],
                [t('clients.field.bik'), bank.bik],
                [t('clients.field.account'), bank.account],
                [t('clients.field.corr_account'), bank.corr_account],
              ]}
            />
            <Group
              title={t('clients.group.business')}
              rows={[
                [t('clients.field.financial_state'), choice('financial_state', c.financial_state)],
                [
                  t('clients.field.purchase_volume'),
                  formatMoney(c.purchase_volume_minor, c.currency, i18n.language),
                ],
                [
                  t('clients.field.payment_discipline'),
                  choice('payment_discipline', c.payment_discipline),
                ],
                [t('clients.field.preferences'), c.preferences],
                [t('clients.field.notes'), c.notes],
                [t('clients.col.updated'), formatDateTime(c.updated_at, i18n.language)],
              ]}
            />
            <CustomGroup fields={fields.data} values={c.custom ?? {}} />
            <Card size="small" title={t('clients.group.people')} data-testid="card-people">
              <List
                dataSource={c.contacts ?? []}
                locale={{ emptyText: t('clients.noPeople') }}
                renderItem={(l) => (
                  <List.Item
                    actions={[
                      <Popconfirm
                        key="unlink"
                        title={t('clients.unlinkConfirm')}
                        okText={t('clients.unlink')}
                        cancelText={t('common.cancel')}
                        onConfirm={() => unlink.mutate(l.contact_id)}
                      >
                        <Button size="small" type="link">
                          {t('clients.unlink')}
                        </Button>
                      </Popconfirm>,
                    ]}
                  >
                    <Space wrap>
                      <Link to={`/clients/contacts/${l.contact_id}`}>
                        {l.contact_name ?? `#${l.contact_id}`}
                      </Link>
                      {l.position && (
                        <Typography.Text type="secondary">{l.position}</Typography.Text>
                      )}
                      {l.decision_role && (
                        <Tag color={l.decision_role === 'decision_maker' ? 'gold' : undefined}>
                          {t(`clients.choice.decision_role.${l.decision_role}`)}
                        </Tag>
                      )}
                    </Space>
                  </List.Item>
                )}
              />
            </Card>
          </Flex>
        </Col>
        <Col xs={24} lg={10}>
          <ActivityTimeline record={{ type: 'company', id: c.id }} />
          <Card size="small" title={t('timeline.title')} style={{ marginTop: 16 }}>
            <CardTimeline entity="companies" id={c.id} />
          </Card>
        </Col>
      </Row>
      {editing && (
        <CompanyFormDrawer
          company={c}
          onClose={() => setEditing(false)}
          onSaved={() => setEditing(false)}
        />
      )}
    </Flex>
  );
}
