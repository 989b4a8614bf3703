import { Button, Form, Input, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { EMAIL_LABELS, PHONE_LABELS } from './options';

/** Several typed phones or e-mails: each row a label and the value as the user writes it. */
export function ContactPointsItems({ kind }: { kind: 'phones' | 'emails' }) {
  const { t } = useTranslation();
  const labels = kind === 'phones' ? PHONE_LABELS : EMAIL_LABELS;
  return (
    <Form.List name={kind}>
      {(rows, { add, remove }) => (
        <Form.Item label={t(`clients.field.${kind}`)}>
          {rows.map((row) => (
            <Space.Compact key={row.key} style={{ display: 'flex', marginBottom: 8 }}>
              <Form.Item name={[row.name, 'label']} noStyle>
                <Select
                  style={{ width: 130 }}
                  options={labels.map((l) => ({ value: l, label: t(`clients.pointLabel.${l}`) }))}
                />
              </Form.Item>
              <Form.Item name={[row.name, 'raw']} noStyle>
                <Input
                  data-testid={`${kind}-input`}
                  inputMode={kind === 'phones' ? 'tel' : 'email'}
                  maxLength={kind === 'phones' ? 50 : 254}
                />
              </Form.Item>
              <Button
                icon={<MinusCircleOutlined />}
                aria-label={t('clients.removeRow')}
                onClick={() => remove(row.name)}
              />
            </Space.Compact>
          ))}
          <Button
            type="dashed"
            icon={<PlusOutlined />}
            data-testid={`${kind}-add`}
            onClick={() => add({ label: kind === 'phones' ? 'mobile' : 'work', raw: '' })}
          >
            {t(kind === 'phones' ? 'clients.addPhone' : 'clients.addEmail')}
          </Button>
        </Form.Item>
      )}
    </Form.List>
  );
}
