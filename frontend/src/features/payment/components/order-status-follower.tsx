import type { OrderStatus } from '@/gql/graphql';
import { useOrderStatusWatch } from '../hooks/use-order-status-watch';

export interface OrderStatusFollowerProps {
  orderId: string;
  status: OrderStatus;
  /** Called when the order's status changed (e.g. shipped): the page reloads the order. */
  onStatusChange: () => void;
}

/** Follows a paid order live (`orderUpdated`, polling while the socket is down); renders nothing. */
export function OrderStatusFollower({ orderId, status, onStatusChange }: OrderStatusFollowerProps) {
  useOrderStatusWatch(orderId, status, onStatusChange);
  return null;
}
