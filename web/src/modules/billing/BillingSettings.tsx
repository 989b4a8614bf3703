import { Alert, App, Button, Card, Checkbox, Flex, Form, Input, InputNumber, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/errors';
import { fieldErrors } from '../deals/gate';
import {
  billingApi,
  useBillingMutation,
  useBillingSettings,
  type BillingSettings,
} from './billingApi';
import { FormatNumberPreview } from './numberPreview';

/** How invoices are numbered, when they fall due by default, and whether overpayments are taken. */
export default function BillingSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useBillingSettings();
  const [form] = Form.useForm<BillingSettings>();
  const save = useBillingMutation((v: BillingSettings) => billingApi.saveSettings(v), {
    onSuccess: () => void message.success(t('billing.settings.saved')),
    onError: (error) => {
      const fields = fieldErrors(error);
      if (fields.length) form.setFields(fields as never);
      else void message.error(errorMessage(error, t));
    },
  });
  const prefix = Form.useWatch('number_prefix', form);
  const digits = Form.useWatch('number_digits', form);
  if (settings.isPending) return <Skeleton active />;
  if (settings.isError)
    return <Alert type="error" showIcon message={errorMessage(settings.error, t)} />;
  return (
    <Card size="small" style={{ maxWidth: 640 }} data-testid="billing-settings">
      <Form<BillingSettings>
        form={form}
        layout="vertical"
        initialValues={settings.data}
        onFinish={(v) => save.mutate(v)}
      >
        <Flex gap={12} wrap>
          <Form.Item
            name="number_prefix"
            label={t('billing.settings.prefix')}
            tooltip={t('billing.settings.prefixHint')}
            style={{ flex: '1 1 200px' }}
          >
            <Input maxLength={30} data-testid="settings-prefix" />
          </Form.Item>
          <Form.Item
            name="number_digits"
            label={t('billing.settings.digits')}
            style={{ flex: '0 0 140px' }}
          >
            <InputNumber min={1} max={12} style={{ width: '100%' }} />
          </Form.Item>
        </Flex>
        <Form.Item label={t('billing.settings.example')}>
          <FormatNumberPreview prefix={prefix ?? ''} digits={digits ?? 6} />
        </Form.Item>
        <Form.Item name="default_due_days" label={t('billing.settings.dueDays')}>
          <InputNumber min={0} max={365} />
        </Form.Item>
        <Form.Item name="allow_overpayment" valuePropName="checked">
          <Checkbox data-testid="settings-overpayment">
            {t('billing.settings.overpayment')}
          </Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('common.save')}
        </Button>
      </Form>
    </Card>
  );
}
