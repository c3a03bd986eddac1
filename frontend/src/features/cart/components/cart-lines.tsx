import type { ReactNode } from 'react';
import { DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { CartDetailFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { QuantityInput } from './quantity-input';

type Line = CartDetailFragment['lines'][number];

export interface CartLinesProps {
  cart: CartDetailFragment;
  busy?: boolean;
  onQuantityChange: (lineId: string, quantity: number) => void;
  onRemove: (lineId: string) => void;
  /** The checkout button, composed in by the app. */
  checkout?: ReactNode;
}

const unitsLabel = (units: number) => (units === 1 ? '1 item' : `${String(units)} items`);

/** The cart's lines with quantity edit and remove, then the subtotal. Totals come from the server. */
export function CartLines({ cart, busy = false, onQuantityChange, onRemove, checkout }: CartLinesProps) {
  return (
    <Flex vertical gap={16}>
      <Table<Line>
        aria-label="Cart lines"
        rowKey="id"
        pagination={false}
        scroll={{ x: 'max-content' }}
        dataSource={cart.lines}
        columns={[
          {
            key: 'product',
            title: 'Product',
            render: (_, line) => <Link to={paths.product(line.product.id)}>{line.product.name}</Link>,
          },
          { key: 'price', title: 'Price', align: 'right', render: (_, line) => formatMoney(line.product.price) },
          {
            key: 'quantity',
            title: 'Quantity',
            render: (_, line) => (
              <QuantityInput
                label={`Quantity of ${line.product.name}`}
                value={line.quantity}
                max={Math.max(line.quantity, line.product.stock)}
                disabled={busy}
                onCommit={(quantity) => onQuantityChange(line.id, quantity)}
              />
            ),
          },
          {
            key: 'total',
            title: 'Total',
            align: 'right',
            render: (_, line) => <span aria-label={`Total for ${line.product.name}`}>{formatMoney(line.total)}</span>,
          },
          {
            key: 'remove',
            title: <span className="sr-only">Remove</span>,
            render: (_, line) => (
              <Button
                type="text"
                danger
                icon={<DeleteOutlined />}
                aria-label={`Remove ${line.product.name}`}
                disabled={busy}
                onClick={() => onRemove(line.id)}
              />
            ),
          },
        ]}
      />
      <Card>
        <Flex justify="space-between" align="center" wrap gap={16}>
          <div role="group" aria-label="Cart summary">
            <Typography.Text type="secondary">Subtotal ({unitsLabel(cart.quantity)})</Typography.Text>
            <br />
            <Typography.Text strong style={{ fontSize: 22 }} aria-label="Subtotal">
              {formatMoney(cart.subtotal)}
            </Typography.Text>
          </div>
          {checkout}
        </Flex>
      </Card>
    </Flex>
  );
}
