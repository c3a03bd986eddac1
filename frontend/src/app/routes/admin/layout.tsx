import { Layout, Menu, Typography } from 'antd';
import { Link, Outlet, useLocation } from 'react-router-dom';
import { paths } from '@/config/paths';

const menuItems = [{ key: paths.admin.root, label: <Link to={paths.admin.root}>Dashboard</Link> }];

export function AdminLayout() {
  const { pathname } = useLocation();
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" breakpoint="md" collapsedWidth={0} style={{ borderRight: '1px solid #f0f0f0' }}>
        <Typography.Title level={1} style={{ margin: 16, fontSize: 20 }}>
          FlashMart Admin
        </Typography.Title>
        <nav aria-label="Console">
          <Menu mode="inline" selectedKeys={[pathname]} items={menuItems} />
        </nav>
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', borderBottom: '1px solid #f0f0f0', textAlign: 'right' }}>
          <Link to={paths.home}>Back to the shop</Link>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
