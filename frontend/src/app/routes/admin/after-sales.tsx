import { AdminAfterSalesView } from '@/features/admin/after-sales/components/after-sales-view';

export function AdminAfterSalesRoute() {
  return <AdminAfterSalesView />;
}
