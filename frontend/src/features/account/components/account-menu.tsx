import { DownOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Space } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { paths, signInPath } from '@/config/paths';
import type { ViewerFragment } from '@/gql/graphql';
import { useSession } from '@/lib/session-context';
import { useSignOut } from '../hooks/use-session-actions';
import { useViewer } from '../hooks/use-viewer';

export interface AccountMenuProps {
  signedIn: boolean;
  viewer: ViewerFragment | null;
  onSignOut: () => void;
  signingOut?: boolean;
  /** Where "Sign in" comes back to. */
  returnTo?: string;
}

/** The header's account corner: sign-in links for visitors, a menu for the signed-in shopper. */
export function AccountMenu({ signedIn, viewer, onSignOut, signingOut = false, returnTo }: AccountMenuProps) {
  const screens = Grid.useBreakpoint();
  const navigate = useNavigate();
  if (!signedIn) {
    return (
      <Space size="middle" wrap className="account-links">
        <Link to={signInPath(returnTo)}>Sign in</Link>
        <Link to={paths.register}>Register</Link>
      </Space>
    );
  }
  const items = [
    { key: paths.orders, label: 'My orders' },
    { key: paths.addresses, label: 'My addresses' },
    { key: paths.account, label: 'Account settings' },
    ...(viewer?.role === 'ADMIN' ? [{ key: paths.admin.root, label: 'Admin console' }] : []),
    { type: 'divider' as const },
    { key: 'sign-out', label: 'Sign out', danger: true, disabled: signingOut },
  ];
  const name = viewer?.email ?? 'Account';
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        onClick: ({ key }) => {
          if (key === 'sign-out') onSignOut();
          else void navigate(key);
        },
      }}
    >
      <Button aria-label={`Account menu for ${name}`} icon={<UserOutlined />}>
        {screens.md ? (
          <Space size={4}>
            {name}
            <DownOutlined />
          </Space>
        ) : null}
      </Button>
    </Dropdown>
  );
}

export function AccountMenuView({ returnTo }: { returnTo?: string }) {
  const { signedIn } = useSession();
  const { viewer } = useViewer();
  const { signOut, fetching } = useSignOut();
  const navigate = useNavigate();
  return (
    <AccountMenu
      signedIn={signedIn}
      viewer={viewer}
      returnTo={returnTo}
      signingOut={fetching}
      onSignOut={() => {
        void signOut().then(() => navigate(paths.home));
      }}
    />
  );
}
