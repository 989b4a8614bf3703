import { useState } from 'react';
import { Avatar, Button, Dropdown, Flex, Grid, Layout, Menu, Typography, theme } from 'antd';
import {
  LogoutOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { App } from 'antd';
import { errorMessage } from '../../api/errors';
import { useLogout, useMe } from '../auth/session';
import { LanguageSwitch } from '../me/LanguageSwitch';
import { NotificationBell } from '../notifications/NotificationBell';
import { useLiveNotifications } from '../notifications/useNotifications';
import { SearchBox } from '../search/SearchBox';
import { SECTIONS } from './sections';

const { Header, Sider, Content } = Layout;

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

/** The signed-in frame: side menu with the product's rooms, header with bell, language and user menu. */
export default function AppLayout() {
  const { t } = useTranslation();
  const { token } = theme.useToken();
  const screens = Grid.useBreakpoint();
  const isPhone = !screens.md;
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const menuCollapsed = collapsed ?? !screens.lg;
  const location = useLocation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const me = useMe();
  const logout = useLogout();
  useLiveNotifications();

  const selected = location.pathname.split('/')[1] || 'dashboard';
  const fullName = me.data?.full_name ?? '';

  const onLogout = () =>
    logout.mutate(undefined, {
      onError: (error) =>
        void message.warning(t('shell.logoutFailed', { detail: errorMessage(error, t) })),
    });

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Sider
        collapsible
        trigger={null}
        collapsed={menuCollapsed}
        collapsedWidth={isPhone ? 0 : 64}
        width={220}
        breakpoint="lg"
        onBreakpoint={(broken) => setCollapsed(broken)}
        style={
          isPhone
            ? { position: 'fixed', zIndex: 20, height: '100vh', left: 0, top: 0 }
            : { position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }
        }
        data-testid="side-menu"
      >
        <Link
          to="/"
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            height: 64,
            padding: '0 20px',
            color: '#fff',
            fontWeight: 600,
            fontSize: 18,
            whiteSpace: 'nowrap',
            overflow: 'hidden',
          }}
        >
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {!menuCollapsed && <span data-testid="app-name">{t('app.name')}</span>}
        </Link>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          onClick={({ key }) => {
            navigate(`/${key}`);
            if (isPhone) setCollapsed(true);
          }}
          items={SECTIONS.map((section) => ({
            key: section.key,
            icon: section.icon,
            label: <span data-testid={`nav-${section.key}`}>{t(`shell.menu.${section.key}`)}</span>,
          }))}
        />
      </Sider>
      <Layout style={{ minWidth: 0 }}>
        <Header
          style={{
            position: 'sticky',
            top: 0,
            zIndex: 10,
            display: 'flex',
            alignItems: 'center',
            gap: 8,
            padding: '0 12px',
            background: token.colorBgContainer,
            borderBottom: `1px solid ${token.colorBorderSecondary}`,
          }}
        >
          <Button
            type="text"
            aria-label={t('shell.toggleMenu')}
            data-testid="menu-toggle"
            icon={menuCollapsed ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
            onClick={() => setCollapsed(!menuCollapsed)}
          />
          <div style={{ flex: 1, minWidth: 0, display: 'flex' }}>
            <SearchBox width={isPhone ? '100%' : 320} />
          </div>
          <Flex align="center" gap={isPhone ? 4 : 12}>
            <NotificationBell />
            <LanguageSwitch size="small" />
            <Dropdown
              trigger={['click']}
              menu={{
                items: [
                  {
                    key: 'profile',
                    icon: <UserOutlined />,
                    label: <span data-testid="menu-profile">{t('shell.profile')}</span>,
                    onClick: () => navigate('/profile'),
                  },
                  { type: 'divider' },
                  {
                    key: 'logout',
                    icon: <LogoutOutlined />,
                    danger: true,
                    label: <span data-testid="menu-logout">{t('shell.logout')}</span>,
                    onClick: onLogout,
                  },
                ],
              }}
            >
              <Button type="text" aria-label={t('shell.userMenu')} data-testid="user-menu">
                <Flex align="center" gap={8}>
                  <Avatar size="small" style={{ background: token.colorPrimary }}>
                    {initials(fullName)}
                  </Avatar>
                  <Typography.Text
                    data-testid="user-name"
                    style={isPhone ? { maxWidth: 90 } : undefined}
                    ellipsis
                  >
                    {fullName}
                  </Typography.Text>
                </Flex>
              </Button>
            </Dropdown>
          </Flex>
        </Header>
        <Content
          style={{ padding: isPhone ? 12 : 24, minWidth: 0 }}
          onClick={() => isPhone && !menuCollapsed && setCollapsed(true)}
        >
          <Outlet />
        </Content>
      </Layout>
    </Layout>
  );
}
