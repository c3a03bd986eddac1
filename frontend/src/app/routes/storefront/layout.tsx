import { Suspense } from 'react';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigation } from 'react-router-dom';
import { LanguageSwitch } from '@/components/language-switch';
import { PageSpinner } from '@/components/page-spinner';
import { SearchIcon } from '@/components/ui/icons';
import { paths } from '@/config/paths';
import { AccountMenuView } from '@/features/account/components/account-menu';
import { EmailVerificationView } from '@/features/account/components/email-verification-view';
import { CartLink } from '@/features/cart/components/cart-link';
import { HeaderSearch } from '@/features/catalog/components/header-search';
import { BREAKPOINTS, useMediaQuery } from '@/hooks/use-media-query';
import { useTranslation } from 'react-i18next';

export function StorefrontLayout() {
  const wide = useMediaQuery(BREAKPOINTS.sm);
  const location = useLocation();
  const { pathname, search } = location;
  // A word another part of the app sent with its redirect here (the console turning a shopper away).
  const notice = (location.state as { notice?: unknown } | null)?.notice;
  const navigation = useNavigation();
  const { t } = useTranslation();
  const compact = !wide;
  // Coming back to the sign-in page after signing in would be odd.
  const onAuthPage = pathname === paths.signIn || pathname === paths.register;
  // Pages that say it themselves (or are about to make it true) need no banner.
  const ownNotice =
    pathname === paths.verifyEmail || pathname === paths.account || pathname.startsWith('/flash-sales/');
  return (
    // antd's Layout, Header and Content as their elements and styles (src/app/styles.css), and
    // no antd inside either: the shell every page loads (and the flash-sale page) comes without
    // antd and its style engine (src/app/router.tsx).
    <div className="shop-layout">
      <header
        style={{
          display: 'flex',
          alignItems: 'center',
          // One line at phone width too: the search box becomes a link to the product list (which has one).
          flexWrap: compact ? 'nowrap' : 'wrap',
          columnGap: compact ? 12 : 32,
          rowGap: 0,
          height: 'auto',
          minHeight: 64,
          lineHeight: compact ? '40px' : '64px',
          padding: compact ? '4px 12px' : '0 24px',
          background: '#fff',
          borderBottom: '1px solid #f0f0f0',
        }}
      >
        <h1 className="shop-title" style={{ fontSize: compact ? 18 : 24 }}>
          <Link to={paths.home}>FlashMart</Link>
        </h1>
        <nav aria-label={t('header.mainNav')}>
          <div style={{ display: 'flex', gap: compact ? 12 : 24 }}>
            {!compact && (
              <NavLink to={paths.home} end>
                {t('header.shop')}
              </NavLink>
            )}
            <NavLink to={paths.products}>{t('header.products')}</NavLink>
          </div>
        </nav>
        <div style={{ display: 'flex', alignItems: 'center', gap: compact ? 12 : 24, marginLeft: 'auto' }}>
          {compact ? (
            <NavLink to={paths.products} aria-label={t('header.search')}>
              <SearchIcon style={{ fontSize: 20 }} />
            </NavLink>
          ) : (
            // The header's 64px line height would stretch the input.
            <div style={{ lineHeight: 'normal' }}>
              <HeaderSearch width={260} />
            </div>
          )}
          <div style={{ lineHeight: 'normal' }}>
            <LanguageSwitch compact={compact} />
          </div>
          <CartLink />
          <AccountMenuView returnTo={onAuthPage ? undefined : pathname + search} />
        </div>
      </header>
      <main
        style={{ padding: compact ? 12 : 24, maxWidth: 1200, width: '100%', margin: '0 auto' }}
        aria-busy={navigation.state === 'loading'}
      >
        {typeof notice === 'string' && (
          <div role="status" className="shop-notice">
            {notice}
          </div>
        )}
        {!ownNotice && (
          <div style={{ marginBottom: 16 }}>
            <EmailVerificationView title={t('header.verifyEmail')} />
          </div>
        )}
        <Suspense fallback={<PageSpinner />}>
          <Outlet />
        </Suspense>
      </main>
      <ScrollRestoration />
    </div>
  );
}
