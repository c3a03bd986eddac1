import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { PageSpinner } from '@/components/page-spinner';
import { paths } from '@/config/paths';
import { loadConsoleStrings } from '@/lib/i18n';
import { StorefrontLayout } from './routes/storefront/layout';

// Pages load on demand, so the storefront does not ship the console's code.
// The pages that use antd are children of a pathless layout route that loads antd's
// ConfigProvider with the shop's theme and the language's antd locale (src/components/antd-scope.tsx);
// the shell (StorefrontLayout) and the flash-sale page are drawn without antd, so a first visit
// to a sale loads none of it (scripts/bundle-report.mjs).
const antdScope = async () => {
  const { AntdScopeRoute, antdReady } = await import('@/components/antd-scope');
  await antdReady();
  return { Component: AntdScopeRoute };
};
const account = () => import('./routes/storefront/account');
const signIn = () => import('./routes/storefront/sign-in');
const flashSaleForm = () => import('./routes/admin/flash-sale-form');
const adminOrders = () => import('./routes/admin/orders');
const adminProducts = () => import('./routes/admin/products');

const router = createBrowserRouter([
  {
    path: paths.home,
    Component: StorefrontLayout,
    HydrateFallback: PageSpinner,
    children: [
      {
        path: '/flash-sales/:eventId',
        lazy: async () => ({ Component: (await import('./routes/storefront/flash-sale')).FlashSaleRoute }),
      },
      {
        lazy: antdScope,
        children: [
          {
            index: true,
            lazy: async () => ({ Component: (await import('./routes/storefront/home')).HomeRoute }),
          },
          {
            path: paths.products,
            lazy: async () => ({ Component: (await import('./routes/storefront/products')).ProductsRoute }),
          },
          {
            path: `${paths.products}/:productId`,
            lazy: async () => ({ Component: (await import('./routes/storefront/product')).ProductRoute }),
          },
          {
            path: paths.cart,
            lazy: async () => ({ Component: (await import('./routes/storefront/cart')).CartRoute }),
          },
          { path: paths.signIn, lazy: async () => ({ Component: (await signIn()).SignInRoute }) },
          { path: paths.register, lazy: async () => ({ Component: (await signIn()).RegisterRoute }) },
          { path: paths.account, lazy: async () => ({ Component: (await account()).AccountRoute }) },
          { path: paths.orders, lazy: async () => ({ Component: (await account()).OrdersRoute }) },
          { path: paths.addresses, lazy: async () => ({ Component: (await account()).AddressesRoute }) },
          {
            path: paths.checkout,
            lazy: async () => ({ Component: (await import('./routes/storefront/checkout')).CheckoutRoute }),
          },
          { path: `${paths.orders}/:orderId`, lazy: async () => ({ Component: (await account()).OrderRoute }) },
          { path: paths.verifyEmail, lazy: async () => ({ Component: (await account()).VerifyEmailRoute }) },
          { path: paths.forgotPassword, lazy: async () => ({ Component: (await signIn()).ForgotPasswordRoute }) },
          { path: paths.resetPassword, lazy: async () => ({ Component: (await signIn()).ResetPasswordRoute }) },
          {
            path: paths.devMailbox,
            lazy: async () => ({ Component: (await import('./routes/storefront/dev-mailbox')).DevMailboxRoute }),
          },
          {
            path: '*',
            lazy: async () => ({ Component: (await import('./routes/not-found')).NotFoundRoute }),
          },
        ],
      },
    ],
  },
  {
    lazy: antdScope,
    HydrateFallback: PageSpinner,
    children: [
      {
        path: paths.admin.root,
        HydrateFallback: PageSpinner,
        // The console's strings arrive with its layout, before any console page renders.
        lazy: async () => {
          const [{ AdminLayout }] = await Promise.all([import('./routes/admin/layout'), loadConsoleStrings()]);
          return { Component: AdminLayout };
        },
        children: [
          {
            index: true,
            lazy: async () => ({ Component: (await import('./routes/admin/dashboard')).AdminDashboardRoute }),
          },
          {
            path: paths.admin.flashSales,
            lazy: async () => ({ Component: (await import('./routes/admin/flash-sales')).AdminFlashSalesRoute }),
          },
          {
            path: `${paths.admin.flashSales}/:eventId/control-room`,
            lazy: async () => ({ Component: (await import('./routes/admin/control-room')).AdminControlRoomRoute }),
          },
          {
            path: paths.admin.newFlashSale,
            lazy: async () => ({ Component: (await flashSaleForm()).AdminNewFlashSaleRoute }),
          },
          {
            path: `${paths.admin.flashSales}/:eventId`,
            lazy: async () => ({ Component: (await flashSaleForm()).AdminEditFlashSaleRoute }),
          },
          {
            path: paths.admin.orders,
            lazy: async () => ({ Component: (await adminOrders()).AdminOrdersRoute }),
          },
          {
            path: `${paths.admin.orders}/:orderId`,
            lazy: async () => ({ Component: (await adminOrders()).AdminOrderRoute }),
          },
          {
            path: `${paths.admin.orders}/:orderId/packing-slip`,
            lazy: async () => ({ Component: (await adminOrders()).AdminPackingSlipRoute }),
          },
          {
            path: paths.admin.afterSales,
            lazy: async () => ({ Component: (await import('./routes/admin/after-sales')).AdminAfterSalesRoute }),
          },
          {
            path: paths.admin.users,
            lazy: async () => ({ Component: (await import('./routes/admin/users')).AdminUsersRoute }),
          },
          { path: paths.admin.products, lazy: async () => ({ Component: (await adminProducts()).AdminProductsRoute }) },
          { path: paths.admin.newProduct, lazy: async () => ({ Component: (await adminProducts()).AdminNewProductRoute }) },
          {
            path: `${paths.admin.products}/:productId`,
            lazy: async () => ({ Component: (await adminProducts()).AdminProductRoute }),
          },
          {
            path: paths.admin.categories,
            lazy: async () => ({ Component: (await import('./routes/admin/categories')).AdminCategoriesRoute }),
          },
        ],
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
