import { Button, Flex, Table, Typography } from 'antd';
import { ShippingAddress } from '@/components/shipping-address';
import type { AdminOrderDetailFragment } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';

type Line = AdminOrderDetailFragment['lines'][number];

/** What goes in the parcel: order number, ship-to address and lines (no prices), printable. */
export function PackingSlip({ order, onPrint }: { order: AdminOrderDetailFragment; onPrint: () => void }) {
  return (
    <article className="packing-slip" aria-label="Packing slip">
      <Flex justify="space-between" align="baseline" wrap>
        <Typography.Title level={2}>FlashMart packing slip</Typography.Title>
        <Button className="no-print" onClick={onPrint}>
          Print
        </Button>
      </Flex>
      <p>
        Order <strong>{order.number}</strong> · placed {formatDateTime(order.createdAt)}
      </p>
      <section aria-label="Ship to">
        <Typography.Title level={4}>Ship to</Typography.Title>
        {order.shippingAddress ? (
          <ShippingAddress address={order.shippingAddress} />
        ) : (
          <Typography.Text type="danger">This order has no shipping address yet.</Typography.Text>
        )}
      </section>
      {order.shipment && (
        <p>
          {order.shipment.carrier} · tracking {order.shipment.trackingNumber}
        </p>
      )}
      <Table<Line>
        aria-label="Items in the parcel"
        rowKey="id"
        pagination={false}
        size="small"
        dataSource={order.lines}
        columns={[
          { key: 'product', title: 'Product', dataIndex: 'productName' },
          { key: 'quantity', title: 'Quantity', dataIndex: 'quantity', align: 'right' },
          { key: 'check', title: 'Packed', render: () => '☐', align: 'center' },
        ]}
      />
    </article>
  );
}
