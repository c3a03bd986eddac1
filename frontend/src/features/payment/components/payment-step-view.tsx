import { useState, type ReactNode } from 'react';
import type { OrderStatus } from '@/gql/graphql';
import { useServerClock } from '@/lib/server-time';
import { useOrderStatusWatch } from '../hooks/use-order-status-watch';
import { usePayment } from '../hooks/use-payment';
import { PaymentStep } from './payment-step';

export interface PaymentStepViewProps {
  orderId: string;
  status: OrderStatus;
  expiresAt: string | null;
  /** Called when the order's status changed (e.g. paid): the page reloads the order. */
  onStatusChange: () => void;
  /** The order has no shipping address yet (a flash sale's): paying needs one picked first. */
  needsAddress?: boolean;
  /** Composed in by the app: the address picker of the address book. */
  renderAddressPicker?: (value: string | null, onChange: (addressId: string) => void) => ReactNode;
}

/** The payment step of an unpaid order; render it only while the order is PENDING_PAYMENT. */
export function PaymentStepView({
  orderId,
  status,
  expiresAt,
  onStatusChange,
  needsAddress = false,
  renderAddressPicker,
}: PaymentStepViewProps) {
  const { now } = useServerClock();
  const { payment, opening, errors, open } = usePayment(orderId);
  const [addressId, setAddressId] = useState<string | null>(null);
  const picking = needsAddress && !payment && renderAddressPicker !== undefined;
  useOrderStatusWatch(orderId, status, onStatusChange);
  return (
    <PaymentStep
      expiresAt={expiresAt}
      now={now}
      payment={payment}
      opening={opening}
      errors={errors}
      onOpen={() => void open(needsAddress ? addressId : null)}
      address={picking ? renderAddressPicker(addressId, setAddressId) : undefined}
      canOpen={!needsAddress || addressId !== null}
    />
  );
}
