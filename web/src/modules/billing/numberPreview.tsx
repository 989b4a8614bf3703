import { Typography } from 'antd';
import { sampleNumber } from './billing';

/** How the next invoice number would look with these settings. */
export function FormatNumberPreview({ prefix, digits }: { prefix: string; digits: number }) {
  return (
    <Typography.Text code>{sampleNumber(prefix, digits, new Date().getFullYear())}</Typography.Text>
  );
}
