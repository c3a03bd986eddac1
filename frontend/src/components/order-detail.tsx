import type { ReactNode } from 'react';
import { Alert, Card, Descriptions, Flex, Table, Timeline, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { graphql } from '@/gql';
import type { OrderDetailFieldsFragment as OrderDetailFields } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { OrderHeading } from './order-heading';
import { ShippingAddress } from './shipping-address';
import { orderStatus } from './order-status-tag';

/** What every order page shows; the shop's and the console's order fragments spread it. */
export const OrderDetailFieldsFragment = graphql(`
  fragment OrderDetailFields on Order {
    id
    number
    status
    createdAt
    paidAt
    expiresAt
    total {
      amount
      currency
    }
    subtotal {
      amount
      currency
    }
    shippingFee {
      amount
      currency
    }
    shippingAddress {
      recipient
      phone
      region
      city
      district
      street
      postcode
    }
    shipment {
      carrier
      trackingNumber
      shippedAt
    }
    lines {
      id
      productName
      quantity
      unitPrice {
        amount
        currency
      }
      total {
        amount
        currency
      }
    }
    events {
      fromStatus
      toStatus
      reason
      createdAt
    }
  }
`);

type Fact = NonNullable<DescriptionsProps['items']>[number];

/** Where the order ships, what shipping cost, and the parcel once it is on its way. */
export function shippingFacts(order: OrderDetailFields): Fact[] {
  const { shippingAddress: address, shipment } = order;
  return [
    {
      key: 'shipTo',
      label: 'Ship to',
      children: address ? <ShippingAddress address={address} /> : 'No address yet',
    },
    { key: 'shipping', label: 'Shipping', children: formatMoney(order.shippingFee) },
    ...(shipment
      ? [
          { key: 'carrier', label: 'Carrier', children: shipment.carrier },
          { key: 'tracking', label: 'Tracking number', children: <Typography.Text copyable>{shipment.trackingNumber}</Typography.Text> },
          ...(shipment.shippedAt ? [{ key: 'shipped', label: 'Shipped', children: formatDateTime(shipment.shippedAt) }] : []),
        ]
      : []),
  ];
}

export interface OrderDetailProps<Order extends OrderDetailFields> {
  order: Order;
  /** Why the last action failed or changed nothing. */
  actionErrors?: readonly string[];
  /** Under the heading: the payment step in the shop, the actions in the console. */
  children?: ReactNode;
  /** Facts before the common ones (placed, total, paid, expiry), e.g. who ordered. */
  leadingFacts?: Fact[];
  /** Facts after the common ones, e.g. where the order came from. */
  trailingFacts?: Fact[];
  /** What "Paid" says before the order is paid; without it the fact is left out until then. */
  unpaidText?: string;
  /** The label of the payment deadline of an unpaid order. */
  expiresLabel?: string;
  /** Under the facts, in their card, e.g. the shopper's cancel button. */
  factsFooter?: ReactNode;
  /** The product cell of a line, e.g. a link to the product; the product's name otherwise. */
  renderProduct?: (line: Order['lines'][number]) => ReactNode;
  /** Repeat the order total under the lines. */
  showTotalRow?: boolean;
  /** Between the lines and the status history, e.g. the console's payments. */
  afterLines?: ReactNode;
  /** Each history step also says which status it left, with a separator before its time. */
  showPreviousStatus?: boolean;
}

/**
 * One order as the shop and the console both show it: heading with status, facts, lines and
 * status history. What differs between them comes in through props; the data comes from the
 * caller's own query (a fragment that spreads `OrderDetailFields`).
 */
export function OrderDetail<Order extends OrderDetailFields>({
  order,
  actionErrors = [],
  children,
  leadingFacts = [],
  trailingFacts = [],
  unpaidText,
  expiresLabel = 'Pay before',
  factsFooter,
  renderProduct = (line) => line.productName,
  showTotalRow = false,
  afterLines,
  showPreviousStatus = false,
}: OrderDetailProps<Order>) {
  const paid = order.paidAt ? formatDateTime(order.paidAt) : unpaidText;
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
            ...leadingFacts,
            { key: 'placed', label: 'Placed', children: formatDateTime(order.createdAt) },
            { key: 'total', label: 'Total', children: <strong>{formatMoney(order.total)}</strong> },
            ...(paid !== undefined ? [{ key: 'paid', label: 'Paid', children: paid }] : []),
            ...(order.expiresAt && order.status === 'PENDING_PAYMENT'
              ? [{ key: 'expires', label: expiresLabel, children: formatDateTime(order.expiresAt) }]
              : []),
            ...shippingFacts(order),
            ...trailingFacts,
          ]}
        />
        {factsFooter}
      </Card>
      <Card title="Items">
        <Table<Order['lines'][number]>
          aria-label="Order lines"
          rowKey="id"
          pagination={false}
          size="small"
          scroll={{ x: 'max-content' }}
          dataSource={order.lines}
          columns={[
            { key: 'product', title: 'Product', render: (_, line) => renderProduct(line) },
            { key: 'quantity', title: 'Quantity', dataIndex: 'quantity', align: 'right' },
            { key: 'unit', title: 'Unit price', align: 'right', render: (_, line) => formatMoney(line.unitPrice) },
            { key: 'total', title: 'Total', align: 'right', render: (_, line) => formatMoney(line.total) },
          ]}
          summary={
            showTotalRow
              ? () => (
                  <>
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={3}>
                      Shipping
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      {formatMoney(order.shippingFee)}
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                  <Table.Summary.Row>
                    <Table.Summary.Cell index={0} colSpan={3}>
                      <strong>Order total</strong>
                    </Table.Summary.Cell>
                    <Table.Summary.Cell index={1} align="right">
                      <strong>{formatMoney(order.total)}</strong>
                    </Table.Summary.Cell>
                  </Table.Summary.Row>
                  </>
                )
              : undefined
          }
        />
      </Card>
      {afterLines}
      <Card title="Status history">
        <Timeline
          aria-label="Status history"
          items={order.events.map((event) => ({
            key: `${event.createdAt}-${event.toStatus}`,
            content: (
              <>
                <strong>{orderStatus[event.toStatus].label}</strong>
                {showPreviousStatus && event.fromStatus && (
                  <Typography.Text type="secondary"> from {orderStatus[event.fromStatus].label}</Typography.Text>
                )}{' '}
                <Typography.Text type="secondary">
                  {showPreviousStatus && '· '}
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
