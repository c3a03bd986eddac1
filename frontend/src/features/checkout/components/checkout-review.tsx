import type { ReactNode } from 'react';
import { Card, Flex, Table, Typography } from 'antd';
import type { CheckoutPreviewQuery } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';

export type Preview = NonNullable<CheckoutPreviewQuery['checkoutPreview']>;
type Line = Preview['lines'][number];

export interface CheckoutReviewProps {
  preview: Preview;
  /** The address picker. */
  address: ReactNode;
  /** The confirm button. */
  confirm: ReactNode;
}

/** The review before an order: its lines, subtotal, shipping and total, where it ships, confirm. */
export function CheckoutReview({ preview, address, confirm }: CheckoutReviewProps) {
  return (
    <Flex vertical gap={16}>
      <Card title="Items">
        <Table<Line>
          aria-label="Items to order"
          rowKey={(line) => line.product.id}
          pagination={false}
          size="small"
          dataSource={preview.lines}
          columns={[
            { key: 'product', title: 'Product', render: (_, line) => line.product.name },
            { key: 'quantity', title: 'Quantity', dataIndex: 'quantity', align: 'right' },
            { key: 'unit', title: 'Unit price', align: 'right', render: (_, line) => formatMoney(line.unitPrice) },
            { key: 'total', title: 'Total', align: 'right', render: (_, line) => formatMoney(line.total) },
          ]}
        />
        <dl className="checkout-sums" aria-label="Order sums">
          <dt>Subtotal</dt>
          <dd>{formatMoney(preview.subtotal)}</dd>
          <dt>Shipping</dt>
          <dd>{Number(preview.shipping.amount) === 0 ? 'Free' : formatMoney(preview.shipping)}</dd>
          <dt>
            <strong>Total</strong>
          </dt>
          <dd>
            <strong>{formatMoney(preview.total)}</strong>
          </dd>
        </dl>
      </Card>
      <Card title="Ship to">{address}</Card>
      <Flex justify="end">{confirm}</Flex>
      <Typography.Text type="secondary" style={{ textAlign: 'end' }}>
        Prices and stock are checked again when you confirm.
      </Typography.Text>
    </Flex>
  );
}
