import { App, Badge, Button, Empty, List, Popover, Spin, Typography } from 'antd';
import { BellOutlined, CheckOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import type { Notification } from '../../api';
import { errorMessage } from '../../api/errors';
import { formatDateTime } from '../../i18n/format';
import { notificationText } from './text';
import { useMarkRead, useNotifications } from './useNotifications';

/** Header bell: unread badge, a list of recent notifications, marking them read. */
export function NotificationBell() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const notifications = useNotifications();
  const markRead = useMarkRead();
  const unread = notifications.data?.unread ?? 0;

  const read = (n: Notification) =>
    markRead.mutate(n.id, {
      onError: (error) => void message.error(errorMessage(error, t)),
    });

  const open = (n: Notification) => {
    if (n.read_at == null) read(n);
    if (n.link && n.link.startsWith('/') && !n.link.startsWith('//')) navigate(n.link);
  };

  const content = (
    <div style={{ width: 'min(360px, calc(100vw - 32px))', maxHeight: 420, overflow: 'auto' }}>
      {notifications.isPending ? (
        <Spin style={{ display: 'block', margin: 24 }} />
      ) : notifications.isError ? (
        <Typography.Text type="danger">{errorMessage(notifications.error, t)}</Typography.Text>
      ) : notifications.data.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('notifications.empty')} />
      ) : (
        <List<Notification>
          data-testid="notif-list"
          size="small"
          dataSource={notifications.data.items}
          renderItem={(n) => (
            <List.Item
              data-testid="notif-item"
              data-kind={n.kind}
              data-unread={n.read_at == null ? 'true' : 'false'}
              style={{ cursor: n.link ? 'pointer' : undefined }}
              onClick={() => open(n)}
              actions={
                n.read_at == null
                  ? [
                      <Button
                        key="read"
                        size="small"
                        type="text"
                        icon={<CheckOutlined />}
                        aria-label={t('notifications.markRead')}
                        title={t('notifications.markRead')}
                        data-testid="notif-mark-read"
                        onClick={(event) => {
                          event.stopPropagation();
                          read(n);
                        }}
                      />,
                    ]
                  : undefined
              }
            >
              <List.Item.Meta
                title={
                  <Typography.Text strong={n.read_at == null} data-testid="notif-text">
                    {notificationText(i18n, n)}
                  </Typography.Text>
                }
                description={formatDateTime(n.created_at, i18n.language)}
              />
            </List.Item>
          )}
        />
      )}
    </div>
  );

  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      title={t('notifications.title')}
      content={content}
    >
      <Badge count={unread} overflowCount={99} size="small" data-testid="notif-badge">
        <Button
          type="text"
          shape="circle"
          icon={<BellOutlined />}
          aria-label={t('notifications.open')}
          data-testid="notif-bell"
          data-unread={unread}
        />
      </Badge>
    </Popover>
  );
}
