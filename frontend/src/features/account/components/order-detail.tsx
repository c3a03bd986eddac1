import type { ReactNode } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Popconfirm, Table, Timeline, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { OrderHeading } from '@/components/order-heading';
import { orderStatus } from '@/components/order-status-tag';
import { paths } from '@/config/paths';
import type { OrderDetailFragment } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';

type Line = OrderDetailFragment['lines'][number];

export interface OrderDetailProps {
  order: OrderDetailFragment;
  onCancel?: () => void;
  cancelling?: boolean;
  /** Why the last action failed. */
  actionErrors?: readonly string[];
  /** Shown under the heading, e.g. the payment step. */
  children?: ReactNode;
}

export function OrderDetail({ order, onCancel, cancelling = false, actionErrors = [], children }: OrderDetailProps) {
  const canCancel = order.status === 'PENDING_PAYMENT' && onCancel !== undefined;
  return (
    <Flex vertical gap={16}>
      <OrderHeading number={order.number} status={order.status} />
      {actionErrors.map((message) => (
        <Alert key={message} type="error" showIcon title={message} />
      ))}
      {children}
      <Card>
        <Descriptions
          column={{ xs: 1, sm: 2 }}
          items={[
            { key: 'placed', label: 'Placed', children: formatDateTime(order.createdAt) },
            { key: 'total', label: 'Total', children: <strong>{formatMoney(order.total)}</strong> },
            ...(order.paidAt ? [{ key: 'paid', label: 'Paid', children: formatDateTime(order.paidAt) }] : []),
            ...(order.expiresAt && order.status === 'PENDING_PAYMENT'
              ? [{ key: 'expires', label: 'Pay before', children: formatDateTime(order.expiresAt) }]
              : []),
          ]}
        />
        {canCancel && (
          <Popconfirm
            title="Cancel this order?"
            description="Its items go back on sale."
            okText="Yes, cancel it"
            cancelText="Keep order"
            onConfirm={onCancel}
          >
            <Button danger loading={cancelling} style={{ marginTop: 16 }}>
              Cancel order
            </Button>
          </Popconfirm>
        )}
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
            {
              key: 'product',
              title: 'Product',
              render: (_, line) =>
                line.product ? <Link to={paths.product(line.product.id)}>{line.productName}</Link> : line.productName,
            },
            { key: 'quantity', title: 'Quantity', dataIndex: 'quantity', align: 'right' },
            { key: 'unit', title: 'Unit price', align: 'right', render: (_, line) => formatMoney(line.unitPrice) },
            { key: 'total', title: 'Total', align: 'right', render: (_, line) => formatMoney(line.total) },
          ]}
          summary={() => (
            <Table.Summary.Row>
              <Table.Summary.Cell index={0} colSpan={3}>
                <strong>Order total</strong>
              </Table.Summary.Cell>
              <Table.Summary.Cell index={1} align="right">
                <strong>{formatMoney(order.total)}</strong>
              </Table.Summary.Cell>
            </Table.Summary.Row>
          )}
        />
      </Card>
      <Card title="Status history">
        <Timeline
          aria-label="Status history"
          items={order.events.map((event) => ({
            key: `${event.createdAt}-${event.toStatus}`,
            content: (
              <>
                <strong>{orderStatus[event.toStatus].label}</strong>{' '}
                <Typography.Text type="secondary">
                  <time dateTime={event.createdAt}>{formatDateTime(event.createdAt)}</time>
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
