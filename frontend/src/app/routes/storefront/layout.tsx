import { Layout, Space, Typography } from 'antd';
import { NavLink, Outlet } from 'react-router-dom';
import { paths } from '@/config/paths';

export function StorefrontLayout() {
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header
        style={{ display: 'flex', alignItems: 'center', gap: 32, background: '#fff', borderBottom: '1px solid #f0f0f0' }}
      >
        <Typography.Title level={1} style={{ margin: 0, fontSize: 24 }}>
          FlashMart
        </Typography.Title>
        <nav aria-label="Main">
          <Space size="large">
            <NavLink to={paths.home} end>
              Shop
            </NavLink>
            <NavLink to={paths.admin.root}>Admin</NavLink>
          </Space>
        </nav>
      </Layout.Header>
      <Layout.Content style={{ padding: 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
