import type { ReactNode } from 'react';
import { Alert, Card, Descriptions, Flex, Grid, Table, Timeline, Typography } from 'antd';
import type { DescriptionsProps } from 'antd';
import { graphql } from '@/gql';
import type { OrderDetailFieldsFragment as OrderDetailFields } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { OrderHeading } from './order-heading';
import { ShippingAddress } from './shipping-address';
import { orderStatus } from './order-status-tag';
import { useTranslation } from 'react-i18next';
import { i18n } from '@/lib/i18n';

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
      label: i18n.t('order.shipTo'),
      children: address ? <ShippingAddress address={address} /> : i18n.t('order.noAddress'),
    },
    { key: 'shipping', label: i18n.t('order.shipping'), children: formatMoney(order.shippingFee) },
    ...(shipment
      ? [
          { key: 'carrier', label: i18n.t('order.carrier'), children: shipment.carrier },
          { key: 'tracking', label: i18n.t('order.trackingNumber'), children: <Typography.Text copyable>{shipment.trackingNumber}</Typography.Text> },
          ...(shipment.shippedAt ? [{ key: 'shipped', label: i18n.t('order.shipped'), children: formatDateTime(shipment.shippedAt) }] : []),
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
  expiresLabel,
  factsFooter,
  renderProduct = (line) => line.productName,
  showTotalRow = false,
  afterLines,
  showPreviousStatus = false,
}: OrderDetailProps<Order>) {
  const { t } = useTranslation();
  // At phone width the lines are a list (name, quantity × unit price, total): a table's four columns do not fit.
  const phone = Grid.useBreakpoint().xs === true;
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
            { key: 'placed', label: t('order.placed'), children: formatDateTime(order.createdAt) },
            { key: 'total', label: t('order.total'), children: <strong>{formatMoney(order.total)}</strong> },
            ...(paid !== undefined ? [{ key: 'paid', label: t('order.paid'), children: paid }] : []),
            ...(order.expiresAt && order.status === 'PENDING_PAYMENT'
              ? [{ key: 'expires', label: expiresLabel ?? t('order.payBefore'), children: formatDateTime(order.expiresAt) }]
              : []),
            ...shippingFacts(order),
            ...trailingFacts,
          ]}
        />
        {factsFooter}
      </Card>
      <Card title={t('order.items')}>
        {phone ? (
          <Flex vertical gap={12}>
            {/* The lines alone in the list: the sums below are not lines. */}
            <Flex vertical gap={12} role="list" aria-label={t('order.lines')}>
              {order.lines.map((line) => (
                <Flex key={line.id} role="listitem" justify="space-between" align="start" gap={12}>
                  <Flex vertical style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
                    {renderProduct(line)}
                    <Typography.Text type="secondary">
                      {line.quantity} × {formatMoney(line.unitPrice)}
                    </Typography.Text>
                  </Flex>
                  <strong>{formatMoney(line.total)}</strong>
                </Flex>
              ))}
            </Flex>
            {showTotalRow && (
              <dl className="checkout-sums">
                <dt>{t('order.shipping')}</dt>
                <dd>{formatMoney(order.shippingFee)}</dd>
                <dt>
                  <strong>{t('order.orderTotal')}</strong>
                </dt>
                <dd>
                  <strong>{formatMoney(order.total)}</strong>
                </dd>
              </dl>
            )}
          </Flex>
        ) : (
          <Table<Order['lines'][number]>
            aria-label={t('order.lines')}
            rowKey="id"
            pagination={false}
            size="small"
            scroll={{ x: 'max-content' }}
            dataSource={order.lines}
            columns={[
              { key: 'product', title: t('order.product'), render: (_, line) => renderProduct(line) },
              { key: 'quantity', title: t('order.quantity'), dataIndex: 'quantity', align: 'right' },
              { key: 'unit', title: t('order.unitPrice'), align: 'right', render: (_, line) => formatMoney(line.unitPrice) },
              { key: 'total', title: t('order.total'), align: 'right', render: (_, line) => formatMoney(line.total) },
            ]}
            summary={
              showTotalRow
                ? () => (
                    <>
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0} colSpan={3}>
                        {t('order.shipping')}
                      </Table.Summary.Cell>
                      <Table.Summary.Cell index={1} align="right">
                        {formatMoney(order.shippingFee)}
                      </Table.Summary.Cell>
                    </Table.Summary.Row>
                    <Table.Summary.Row>
                      <Table.Summary.Cell index={0} colSpan={3}>
                        <strong>{t('order.orderTotal')}</strong>
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
        )}
      </Card>
      {afterLines}
      <Card title={t('order.history')}>
        <Timeline
          aria-label={t('order.history')}
          items={order.events.map((event) => ({
            key: `${event.createdAt}-${event.toStatus}`,
            content: (
              <>
                <strong>{orderStatus[event.toStatus].label}</strong>
                {showPreviousStatus && event.fromStatus && (
                  <Typography.Text type="secondary">{t('order.fromStatus', { status: orderStatus[event.fromStatus].label })}</Typography.Text>
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
