import { FlashSalesView } from '@/features/admin/flash-sales/components/flash-sales-view';

export function AdminFlashSalesRoute() {
  return <FlashSalesView />;
}
