import {
  Alert,
  Button,
  Card,
  Checkbox,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  List,
  Row,
  Select,
  Tag,
  Typography,
} from 'antd';
import { ExperimentOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { CHANNELS } from '../leads/leadsApi';
import { explainDecision, skipText } from './explain';
import { routingApi, type SimulateInput, type Simulation } from './routingApi';

interface Values {
  channel: SimulateInput['channel'];
  region?: string;
  product?: string;
  priority?: number | null;
  known_client?: boolean;
}

/** "Who would get this lead right now?" — runs the rules without assigning anything. */
export function SimulatorPanel() {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<Values>();
  const run = useMutation<Simulation, ApiError, Values>({
    mutationFn: (v) =>
      routingApi.simulate({
        channel: v.channel,
        region: v.region?.trim() || undefined,
        product: v.product?.trim() || undefined,
        priority: v.priority ?? undefined,
        known_client: v.known_client ?? false,
      }),
  });
  const result = run.data;
  const d = result?.decision;

  return (
    <Card
      size="small"
      title={
        <span>
          <ExperimentOutlined /> {t('routing.simulator.title')}
        </span>
      }
      data-testid="routing-simulator"
    >
      <Typography.Paragraph type="secondary">{t('routing.simulator.help')}</Typography.Paragraph>
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ channel: 'form', known_client: false }}
        onFinish={(v) => run.mutate(v)}
      >
        <Row gutter={12}>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="channel" label={t('routing.simulator.channel')}>
              <Select
                data-testid="sim-channel"
                options={CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="region" label={t('routing.simulator.region')}>
              <Input maxLength={200} data-testid="sim-region" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="product" label={t('routing.simulator.product')}>
              <Input maxLength={500} data-testid="sim-product" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item name="priority" label={t('routing.simulator.priority')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} data-testid="sim-priority" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="known_client" valuePropName="checked">
          <Checkbox data-testid="sim-known">{t('routing.simulator.knownClient')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={run.isPending} data-testid="sim-run">
          {t('routing.simulator.run')}
        </Button>
      </Form>
      {run.isError && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          message={errorMessage(run.error, t)}
          description={run.error.errors.map((e) => e.message).join(' ') || undefined}
        />
      )}
      {result && d && (
        <div style={{ marginTop: 16 }} data-testid="sim-result">
          <Descriptions size="small" column={1} bordered>
            <Descriptions.Item label={t('routing.simulator.rule')}>
              <span data-testid="sim-rule">
                {d.rule_id === null
                  ? t('routing.simulator.noRule')
                  : `${d.rule_position}. ${d.rule_name}`}
              </span>
              {d.strategy && (
                <Tag style={{ marginInlineStart: 8 }}>{t(`routing.strategy.${d.strategy}`)}</Tag>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('routing.simulator.who')}>
              <span data-testid="sim-who">
                {d.user_id
                  ? (d.user_name ?? `#${d.user_id}`)
                  : d.queued
                    ? t('routing.simulator.queued')
                    : '—'}
              </span>
            </Descriptions.Item>
            <Descriptions.Item label={t('routing.simulator.skipped')}>
              {d.skipped.length === 0 ? (
                <Typography.Text type="secondary">
                  {t('routing.simulator.noneSkipped')}
                </Typography.Text>
              ) : (
                <List
                  size="small"
                  split={false}
                  data-testid="sim-skipped"
                  dataSource={d.skipped}
                  renderItem={(s) => (
                    <List.Item style={{ padding: '2px 0' }} data-reason={s.reason}>
                      {skipText(t, s)}
                    </List.Item>
                  )}
                />
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('routing.simulator.deadline')}>
              <span data-testid="sim-deadline">
                {result.deadline_at != null
                  ? formatDateTime(result.deadline_at, i18n.language)
                  : '—'}
              </span>
            </Descriptions.Item>
            {d.unmatched_positions.length > 0 && (
              <Descriptions.Item label={t('routing.simulator.unmatchedLabel')}>
                {t('routing.simulator.unmatched', { list: d.unmatched_positions.join(', ') })}
              </Descriptions.Item>
            )}
          </Descriptions>
          <Typography.Paragraph type="secondary" style={{ marginTop: 8 }} data-testid="sim-text">
            {explainDecision(t, d)}
          </Typography.Paragraph>
        </div>
      )}
    </Card>
  );
}
