import { DatePicker, Form, Input, InputNumber, Select } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { CustomField } from './clientsApi';
import { fieldLabel } from './options';

/** Form items for the workspace's custom fields, stored under `custom.<code>`. */
export function CustomFieldItems({ fields }: { fields: readonly CustomField[] }) {
  const { t, i18n } = useTranslation();
  return (
    <>
      {[...fields]
        .sort((a, b) => a.position - b.position)
        .map((field) => {
          const options = field.options.map((o) => ({
            value: o.value,
            label: fieldLabel(o, i18n.language),
          }));
          const rules = field.required
            ? [{ required: true, message: t('clients.customRequired') }]
            : [];
          const name = ['custom', field.code];
          const label = fieldLabel(field, i18n.language);
          switch (field.kind) {
            case 'number':
            case 'money':
              return (
                <Form.Item key={field.code} name={name} label={label} rules={rules}>
                  <InputNumber style={{ width: '100%' }} />
                </Form.Item>
              );
            case 'date':
              return (
                <Form.Item
                  key={field.code}
                  name={name}
                  label={label}
                  rules={rules}
                  getValueProps={(v: string | undefined) => ({ value: v ? dayjs(v) : undefined })}
                  normalize={(v: dayjs.Dayjs | null) => (v ? v.format('YYYY-MM-DD') : undefined)}
                >
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              );
            case 'choice':
            case 'multi_choice':
              return (
                <Form.Item key={field.code} name={name} label={label} rules={rules}>
                  <Select
                    allowClear
                    mode={field.kind === 'multi_choice' ? 'multiple' : undefined}
                    options={options}
                  />
                </Form.Item>
              );
            default:
              return (
                <Form.Item key={field.code} name={name} label={label} rules={rules}>
                  <Input maxLength={1000} />
                </Form.Item>
              );
          }
        })}
    </>
  );
}
