import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { PageSpinner } from '@/components/page-spinner';
import { paths } from '@/config/paths';
import { StorefrontLayout } from './routes/storefront/layout';

// Pages load on demand, so the storefront does not ship the console's code.
const router = createBrowserRouter([
  {
    path: paths.home,
    Component: StorefrontLayout,
    HydrateFallback: PageSpinner,
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import('./routes/storefront/home')).HomeRoute }),
      },
      {
        path: '*',
        lazy: async () => ({ Component: (await import('./routes/not-found')).NotFoundRoute }),
      },
    ],
  },
  {
    path: paths.admin.root,
    HydrateFallback: PageSpinner,
    lazy: async () => ({ Component: (await import('./routes/admin/layout')).AdminLayout }),
    children: [
      {
        index: true,
        lazy: async () => ({ Component: (await import('./routes/admin/dashboard')).AdminDashboardRoute }),
      },
    ],
  },
]);

export function AppRouter() {
  return <RouterProvider router={router} />;
}
