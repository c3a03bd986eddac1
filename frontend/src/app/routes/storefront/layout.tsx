import { Suspense } from 'react';
import SearchOutlined from '@ant-design/icons/SearchOutlined';
import { Flex, Grid, Typography } from 'antd';
import { Link, NavLink, Outlet, ScrollRestoration, useLocation, useNavigation } from 'react-router-dom';
import { LanguageSwitch } from '@/components/language-switch';
import { PageSpinner } from '@/components/page-spinner';
import { paths } from '@/config/paths';
import { AccountMenuView } from '@/features/account/components/account-menu';
import { EmailVerificationView } from '@/features/account/components/email-verification-view';
import { CartLink } from '@/features/cart/components/cart-link';
import { HeaderSearch } from '@/features/catalog/components/header-search';
import { useTranslation } from 'react-i18next';

export function StorefrontLayout() {
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const { pathname, search } = location;
  // A word another part of the app sent with its redirect here (the console turning a shopper away).
  const notice = (location.state as { notice?: unknown } | null)?.notice;
  const navigation = useNavigation();
  const { t } = useTranslation();
  const compact = !screens.sm;
  // Coming back to the sign-in page after signing in would be odd.
  const onAuthPage = pathname === paths.signIn || pathname === paths.register;
  // Pages that say it themselves (or are about to make it true) need no banner.
  const ownNotice =
    pathname === paths.verifyEmail || pathname === paths.account || pathname.startsWith('/flash-sales/');
  return (
    // antd's Layout, Header and Content as their elements and styles (src/app/styles.css): the
    // shell every page loads need not carry the Layout component (with its Sider) for them.
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
        <Typography.Title level={1} style={{ margin: 0, fontSize: compact ? 18 : 24 }}>
          <Link to={paths.home} style={{ color: 'inherit' }}>
            FlashMart
          </Link>
        </Typography.Title>
        <nav aria-label={t('header.mainNav')}>
          <Flex gap={compact ? 12 : 24}>
            {!compact && (
              <NavLink to={paths.home} end>
                {t('header.shop')}
              </NavLink>
            )}
            <NavLink to={paths.products}>{t('header.products')}</NavLink>
          </Flex>
        </nav>
        <Flex align="center" gap={compact ? 12 : 24} style={{ marginLeft: 'auto' }}>
          {compact ? (
            <NavLink to={paths.products} aria-label={t('header.search')}>
              <SearchOutlined style={{ fontSize: 20 }} aria-hidden />
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
        </Flex>
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
