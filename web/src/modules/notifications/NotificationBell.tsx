import { useState } from 'react';
import { App, Badge, Button, Drawer, Empty, Grid, List, Popover, Spin, Typography } from 'antd';
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
  const isPhone = !Grid.useBreakpoint().md;
  const [open, setOpen] = useState(false);

  const read = (n: Notification) =>
    markRead.mutate(n.id, {
      onError: (error) => void message.error(errorMessage(error, t)),
    });

  const follow = (n: Notification) => {
    if (n.read_at == null) read(n);
    if (n.link && n.link.startsWith('/') && !n.link.startsWith('//')) {
      setOpen(false);
      navigate(n.link);
    }
  };

  const content = (
    <div style={isPhone ? undefined : { width: 360, maxHeight: 420, overflow: 'auto' }}>
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
              onClick={() => follow(n)}
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

  const bell = (
    <Badge count={unread} overflowCount={99} size="small" data-testid="notif-badge">
      <Button
        type="text"
        shape="circle"
        icon={<BellOutlined />}
        aria-label={t('notifications.open')}
        data-testid="notif-bell"
        data-unread={unread}
        onClick={isPhone ? () => setOpen(true) : undefined}
      />
    </Badge>
  );

  // A phone gets the list in a drawer across the screen; a popover would not fit.
  if (isPhone) {
    return (
      <>
        {bell}
        <Drawer
          open={open}
          onClose={() => setOpen(false)}
          placement="top"
          height="auto"
          title={t('notifications.title')}
          styles={{ body: { maxHeight: '70vh', overflow: 'auto', padding: 12 } }}
        >
          {content}
        </Drawer>
      </>
    );
  }
  return (
    <Popover
      trigger="click"
      placement="bottomRight"
      open={open}
      onOpenChange={setOpen}
      title={t('notifications.title')}
      content={content}
    >
      {bell}
    </Popover>
  );
}
