import { DownOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Dropdown, Grid, Space } from 'antd';
import { Link, useNavigate } from 'react-router-dom';
import { paths, signInPath } from '@/config/paths';
import type { ViewerFragment } from '@/gql/graphql';
import { useSession } from '@/lib/session-context';
import { useSignOut } from '../hooks/use-session-actions';
import { useViewer } from '../hooks/use-viewer';
import { useTranslation } from 'react-i18next';

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
  const { t } = useTranslation();
  if (!signedIn) {
    return (
      <Space size="middle" wrap className="account-links">
        <Link to={signInPath(returnTo)}>{t('account.signIn')}</Link>
        {/* At phone width the header has room for one link; the sign-in page links to registering. */}
        {screens.xs !== true && <Link to={paths.register}>{t('account.register')}</Link>}
      </Space>
    );
  }
  const items = [
    { key: paths.orders, label: t('account.myOrders') },
    { key: paths.addresses, label: t('account.myAddresses') },
    { key: paths.account, label: t('account.settings') },
    ...(viewer?.role === 'ADMIN' ? [{ key: paths.admin.root, label: t('account.adminConsole') }] : []),
    { type: 'divider' as const },
    { key: 'sign-out', label: t('account.signOut'), danger: true, disabled: signingOut },
  ];
  const name = viewer?.email ?? t('account.fallbackName');
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
      <Button aria-label={t('account.menuFor', { name })} icon={<UserOutlined />}>
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
