import { Alert, Card, Descriptions, Flex, Table, Tag, Timeline, Typography } from 'antd';
import { OrderHeading } from '@/components/order-heading';
import { orderStatus } from '@/components/order-status-tag';
import type { AdminOrderDetailFragment, OrderStatus, PaymentStatus } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { OrderActions } from './order-actions';

type Line = AdminOrderDetailFragment['lines'][number];
type Payment = AdminOrderDetailFragment['payments'][number];

const paymentStatus: Record<PaymentStatus, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'gold' },
  SUCCEEDED: { label: 'Succeeded', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
  REFUNDED: { label: 'Refunded', color: 'purple' },
};

export interface AdminOrderDetailProps {
  order: AdminOrderDetailFragment;
  onChangeStatus: (status: OrderStatus) => void;
  onRefund: () => void;
  busy?: boolean;
  /** Why the last action changed nothing. */
  actionErrors?: readonly string[];
}

/** One order for an administrator: who, what, payments, history and the allowed next steps. */
export function AdminOrderDetail({ order, onChangeStatus, onRefund, busy = false, actionErrors = [] }: AdminOrderDetailProps) {
  return (
    <Flex vertical gap={16}>
      <OrderHeading number={order.number} status={order.status} />
      {actionErrors.map((message) => (
        <Alert key={message} type="error" showIcon title={message} />
      ))}
      <Card title="Actions">
        <OrderActions allowed={order.allowedTransitions} onChangeStatus={onChangeStatus} onRefund={onRefund} busy={busy} />
      </Card>
      <Card>
        <Descriptions
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'shopper', label: 'Shopper', children: order.user.email },
            { key: 'placed', label: 'Placed', children: formatDateTime(order.createdAt) },
            { key: 'total', label: 'Total', children: <strong>{formatMoney(order.total)}</strong> },
            { key: 'paid', label: 'Paid', children: order.paidAt ? formatDateTime(order.paidAt) : 'Not paid' },
            ...(order.expiresAt && order.status === 'PENDING_PAYMENT'
              ? [{ key: 'expires', label: 'Expires', children: formatDateTime(order.expiresAt) }]
              : []),
            { key: 'source', label: 'Source', children: order.seckillEvent ? 'Flash sale' : 'Cart checkout' },
          ]}
        />
      </Card>
      <Card title="Items">
        <Table<Line>
          aria-label="Order lines"
          rowKey="id"
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          dataSource={order.lines}
          columns={[
            { key: 'product', title: 'Product', dataIndex: 'productName' },
            { key: 'quantity', title: 'Quantity', dataIndex: 'quantity', align: 'right' },
            { key: 'unit', title: 'Unit price', align: 'right', render: (_, line) => formatMoney(line.unitPrice) },
            { key: 'total', title: 'Total', align: 'right', render: (_, line) => formatMoney(line.total) },
          ]}
        />
      </Card>
      <Card title="Payments">
        <Table<Payment>
          aria-label="Payments"
          rowKey="id"
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          dataSource={order.payments}
          locale={{ emptyText: 'No payment was started' }}
          columns={[
            { key: 'opened', title: 'Opened', render: (_, payment) => formatDateTime(payment.createdAt) },
            { key: 'provider', title: 'Provider', dataIndex: 'provider' },
            { key: 'amount', title: 'Amount', align: 'right', render: (_, payment) => formatMoney(payment.amount) },
            {
              key: 'status',
              title: 'Status',
              render: (_, payment) => (
                <Tag color={paymentStatus[payment.status].color}>{paymentStatus[payment.status].label}</Tag>
              ),
            },
            {
              key: 'settled',
              title: 'Settled',
              render: (_, payment) => (payment.settledAt ? formatDateTime(payment.settledAt) : '—'),
            },
          ]}
        />
      </Card>
      <Card title="Status history">
        <Timeline
          aria-label="Status history"
          items={order.events.map((event) => ({
            key: `${event.createdAt}-${event.toStatus}`,
            content: (
              <>
                <strong>{orderStatus[event.toStatus].label}</strong>
                {event.fromStatus && (
                  <Typography.Text type="secondary"> from {orderStatus[event.fromStatus].label}</Typography.Text>
                )}{' '}
                <Typography.Text type="secondary">
                  · <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
                </Typography.Text>
                {event.reason && <div>{event.reason}</div>}
              </>
            ),
          }))}
        />
      </Card>
    </Flex>
  );
}
