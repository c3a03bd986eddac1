import { useEffect, useRef, useState, type MouseEvent } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { Button } from '@/components/ui/button';
import { DownIcon, UserIcon } from '@/components/ui/icons';
import { paths, signInPath } from '@/config/paths';
import type { ViewerFragment } from '@/gql/graphql';
import { BREAKPOINTS, useMediaQuery } from '@/hooks/use-media-query';
import { useSession } from '@/lib/session-context';
import { useSignOut } from '../hooks/use-session-actions';
import type { AccountDropdown as AccountDropdownComponent } from './account-dropdown';
import { useViewer } from '../hooks/use-viewer';
import { useTranslation } from 'react-i18next';

type AccountDropdownType = typeof AccountDropdownComponent;

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
  const phone = useMediaQuery(BREAKPOINTS.xs);
  const wide = useMediaQuery(BREAKPOINTS.md);
  const navigate = useNavigate();
  const { t } = useTranslation();
  // antd's Dropdown and Menu (rc-dropdown, rc-menu) load on the account button's first click, and the
  // menu opens once they are there; the button keeps the focus it had (the Dropdown around it
  // is a new parent, so React makes the button anew).
  const [AccountDropdown, setAccountDropdown] = useState<AccountDropdownType | null>(null);
  const [menuWanted, setMenuWanted] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const refocus = useRef(false);
  const menuShown = menuWanted && AccountDropdown !== null;
  useEffect(() => {
    if (menuShown && refocus.current) buttonRef.current?.focus();
    refocus.current = false;
  }, [menuShown]);
  // Signed out: the next shopper's menu waits for their click too.
  if (!signedIn && menuWanted) setMenuWanted(false);
  const wantMenu = (event: MouseEvent<HTMLElement>) => {
    if (menuShown) return; // the Dropdown's own click opens and closes it
    refocus.current = document.activeElement === event.currentTarget;
    setMenuWanted(true);
    if (!AccountDropdown) {
      void import('./account-dropdown').then(({ AccountDropdown: loaded }) => setAccountDropdown(() => loaded));
    }
  };
  if (!signedIn) {
    return (
      <span className="account-links">
        <Link to={signInPath(returnTo)}>{t('account.signIn')}</Link>
        {/* At phone width the header has room for one link; the sign-in page links to registering. */}
        {!phone && <Link to={paths.register}>{t('account.register')}</Link>}
      </span>
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
  const button = (
    <Button
      ref={buttonRef}
      aria-label={t('account.menuFor', { name })}
      aria-haspopup="menu"
      icon={<UserIcon />}
      onClick={wantMenu}
    >
      {wide ? (
        <span className="account-name">
          {name}
          <DownIcon />
        </span>
      ) : null}
    </Button>
  );
  if (!menuShown) return button;
  return (
    <AccountDropdown
      items={items}
      onPick={(key) => {
        if (key === 'sign-out') onSignOut();
        else void navigate(key);
      }}
    >
      {button}
    </AccountDropdown>
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
