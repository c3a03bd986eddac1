import { useParams } from 'react-router-dom';
import { AdminOrderDetailView } from '@/features/admin/orders/components/order-detail-view';
import { AdminOrdersView } from '@/features/admin/orders/components/orders-view';

export function AdminOrdersRoute() {
  return <AdminOrdersView />;
}

export function AdminOrderRoute() {
  const { orderId = '' } = useParams();
  return <AdminOrderDetailView key={orderId} id={orderId} />;
}
