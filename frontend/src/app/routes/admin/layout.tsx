import { App as AntdApp, Layout, Menu, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { LanguageSwitch } from '@/components/language-switch';
import { paths } from '@/config/paths';
import { AdminGate } from '@/features/admin/access/components/admin-gate';

const sections = [
  { key: paths.admin.root, label: 'dashboard' },
  { key: paths.admin.products, label: 'products' },
  { key: paths.admin.categories, label: 'categories' },
  { key: paths.admin.flashSales, label: 'flashSales' },
  { key: paths.admin.orders, label: 'orders' },
  { key: paths.admin.afterSales, label: 'afterSales' },
  { key: paths.admin.users, label: 'users' },
] as const;

/** The selected menu entry: the longest section path the current page is under. */
function selectedSection(pathname: string): string {
  const matches = sections.filter(({ key }) => pathname === key || pathname.startsWith(`${key}/`));
  return matches.sort((a, b) => b.key.length - a.key.length)[0]?.key ?? paths.admin.root;
}

export function AdminLayout() {
  const { pathname } = useLocation();
  const { t } = useTranslation('console');
  const menuItems = sections.map(({ key, label }) => ({
    key,
    label: <Link to={key}>{t(`layout.sections.${label}`)}</Link>,
  }));
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" breakpoint="md" collapsedWidth={0} style={{ borderRight: '1px solid #f0f0f0' }}>
        <Typography.Title level={1} style={{ margin: 16, fontSize: 20 }}>
          {t('layout.title')}
        </Typography.Title>
        <nav aria-label={t('layout.nav')}>
          <Menu mode="inline" selectedKeys={[selectedSection(pathname)]} items={menuItems} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', textAlign: 'right' }}>
          <Space size={16}>
            <LanguageSwitch />
            <Link to={paths.home}>{t('layout.backToShop')}</Link>
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          {/* antd's App: the context of App.useApp()'s messages, which the shell leaves out (src/app/provider.tsx). */}
          <AntdApp component={false}>
            <AdminGate>
              <Outlet />
            </AdminGate>
          </AntdApp>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
