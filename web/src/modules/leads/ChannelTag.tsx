import { Tag } from 'antd';
import {
  EditOutlined,
  FormOutlined,
  ImportOutlined,
  MailOutlined,
  PhoneOutlined,
  SendOutlined,
  ApiOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';

const ICONS: Record<string, React.ReactNode> = {
  form: <FormOutlined />,
  email: <MailOutlined />,
  phone: <PhoneOutlined />,
  telegram: <SendOutlined />,
  webhook: <ApiOutlined />,
  manual: <EditOutlined />,
  import: <ImportOutlined />,
};

/** The channel a lead came through, as an icon and a word. */
export function ChannelTag({ channel }: { channel: string }) {
  const { t } = useTranslation();
  return (
    <Tag icon={ICONS[channel]} data-testid="lead-channel" data-channel={channel}>
      {t(`channels.${channel}`, channel)}
    </Tag>
  );
}
