import { lazy, Suspense, useState, type ReactNode } from 'react';
import {
  BarChartOutlined,
  FunnelPlotOutlined,
  HomeOutlined,
  LogoutOutlined,
  ProfileOutlined,
  ShoppingCartOutlined,
  TeamOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { Avatar, Button, Dropdown, Flex, Grid, Layout, Menu, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { isManager } from '../auth/roles';
import { useSession, useUser } from '../auth/session';
import { LANGUAGES, type Language } from '../i18n';
import { TIME_ZONES, type TimeZoneChoice } from '../ui/format';
import { usePreferences } from './preferences';

const NotificationBell = lazy(() => import('../features/notifications/NotificationBell'));

const SECTIONS = [
  { key: '/', icon: <HomeOutlined />, label: 'nav.home' },
  { key: '/leads', icon: <ProfileOutlined />, label: 'nav.leads' },
  { key: '/pipeline', icon: <FunnelPlotOutlined />, label: 'nav.pipeline' },
  { key: '/orders', icon: <ShoppingCartOutlined />, label: 'nav.orders' },
  { key: '/customers', icon: <TeamOutlined />, label: 'nav.customers' },
  { key: '/dashboard', icon: <BarChartOutlined />, label: 'nav.dashboard', managers: true },
] as const;

/** Which section a path belongs to: `/opportunities/…` is the pipeline's, `/customers/…` the customers'. */
function sectionOf(path: string): string {
  if (path.startsWith('/opportunities')) return '/pipeline';
  const match = SECTIONS.filter((s) => s.key !== '/' && path.startsWith(s.key))[0];
  return match?.key ?? '/';
}

/** The frame of every screen: the sections on the left (collapsed on a tablet), the bell, language, time zone and user on top. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const user = useUser();
  const { signOut } = useSession();
  const { language, setLanguage, timeZone, setTimeZone } = usePreferences();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const narrow = !screens.lg;

  const items = SECTIONS.filter((s) => !('managers' in s) || isManager(user)).map((s) => ({
    key: s.key,
    icon: s.icon,
    label: <Link to={s.key}>{t(s.label)}</Link>,
  }));

  return (
    <Layout style={{ minHeight: '100%' }}>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <Layout.Sider
        collapsible
        collapsed={collapsed ?? narrow}
        onCollapse={setCollapsed}
        breakpoint="lg"
        theme="light"
        width={200}
        aria-label={t('shell.menu')}
      >
        <Flex align="center" gap={8} style={{ height: 56, paddingInline: 20 }}>
          <img src="/favicon.svg" alt="" width={24} height={24} />
          {!(collapsed ?? narrow) && <Typography.Text strong>{t('app.name')}</Typography.Text>}
        </Flex>
        <nav aria-label={t('shell.menu')}>
          <Menu mode="inline" selectedKeys={[sectionOf(pathname)]} items={items} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', paddingInline: 16, borderBottom: '1px solid #f0f0f0' }}>
          <Flex justify="flex-end" align="center" gap={12} style={{ height: '100%' }}>
            <Suspense fallback={null}>
              <NotificationBell />
            </Suspense>
            <Select<Language>
              aria-label={t('shell.language')}
              value={language}
              onChange={setLanguage}
              style={{ width: 110 }}
              options={LANGUAGES.map((l) => ({ value: l, label: l === 'zh-CN' ? '中文' : 'English' }))}
            />
            <Select<TimeZoneChoice>
              aria-label={t('shell.timeZone')}
              value={timeZone}
              onChange={setTimeZone}
              style={{ width: 150 }}
              options={TIME_ZONES.map((z) => ({
                value: z,
                label: z === 'local' ? t('shell.timeZoneLocal') : z === 'UTC' ? 'UTC' : language === 'zh-CN' ? '北京时间' : 'Beijing',
              }))}
            />
            <Dropdown
              menu={{
                items: [
                  { key: 'who', label: `${t(`roles.${user.roles[0] ?? 'sales_rep'}`)}${user.team ? ` · ${user.team}` : ''}`, disabled: true },
                  { key: 'out', icon: <LogoutOutlined />, label: t('shell.signOut'), onClick: () => signOut() },
                ],
              }}
            >
              <Button type="text" aria-label={t('shell.user', { name: user.name })} data-testid="user-menu">
                <Avatar size="small" icon={<UserOutlined />} /> {!narrow && user.name}
              </Button>
            </Dropdown>
          </Flex>
        </Layout.Header>
        <Layout.Content>
          <main id="main" className="crm-page" tabIndex={-1}>
            {children}
          </main>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
