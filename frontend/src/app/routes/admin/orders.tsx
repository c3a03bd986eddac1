import { useParams } from 'react-router-dom';
import { AdminOrderDetailView } from '@/features/admin/orders/components/order-detail-view';
import { AdminOrdersView } from '@/features/admin/orders/components/orders-view';
import { PackingSlipView } from '@/features/admin/orders/components/packing-slip-view';

export function AdminOrdersRoute() {
  return <AdminOrdersView />;
}

export function AdminOrderRoute() {
  const { orderId = '' } = useParams();
  return <AdminOrderDetailView key={orderId} id={orderId} />;
}

export function AdminPackingSlipRoute() {
  const { orderId = '' } = useParams();
  return <PackingSlipView key={orderId} id={orderId} />;
}
