import type { ReactNode } from 'react';
import { DeleteOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Grid, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { SimpleTable } from '@/components/simple-table';
import { paths } from '@/config/paths';
import type { CartDetailFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { QuantityInput } from './quantity-input';
import { useTranslation } from 'react-i18next';

type Line = CartDetailFragment['lines'][number];

export interface CartLinesProps {
  cart: CartDetailFragment;
  busy?: boolean;
  onQuantityChange: (lineId: string, quantity: number) => void;
  onRemove: (lineId: string) => void;
  /** The checkout button, composed in by the app. */
  checkout?: ReactNode;
}

/** A line's remove button, named after its product. */
function RemoveLine({ line, busy, onRemove }: { line: Line; busy: boolean; onRemove: (lineId: string) => void }) {
  const { t } = useTranslation('shop');
  return (
    <Button
      type="text"
      danger
      icon={<DeleteOutlined />}
      aria-label={t('cart.removeItem', { name: line.product.name })}
      disabled={busy}
      onClick={() => onRemove(line.id)}
    />
  );
}

/** The cart's lines with quantity edit and remove, then the subtotal. Totals come from the server. */
/** At phone width: one card a line (name, price, quantity, total, remove) instead of a table's columns. */
function CartLineCards({ cart, busy = false, onQuantityChange, onRemove }: CartLinesProps) {
  const { t } = useTranslation('shop');
  return (
    <Flex vertical gap={8} role="list" aria-label={t('cart.lines')}>
      {cart.lines.map((line) => (
        <Card key={line.id} size="small" role="listitem">
          <Flex justify="space-between" align="start" gap={8}>
            <Link to={paths.product(line.product.id)} style={{ minWidth: 0, overflowWrap: 'anywhere' }}>
              {line.product.name}
            </Link>
            <RemoveLine line={line} busy={busy} onRemove={onRemove} />
          </Flex>
          <Typography.Text type="secondary">{formatMoney(line.product.price)}</Typography.Text>
          <Flex justify="space-between" align="center" gap={8} style={{ marginTop: 8 }}>
            <QuantityInput
              label={t('cart.quantityOf', { name: line.product.name })}
              value={line.quantity}
              max={Math.max(line.quantity, line.product.stock)}
              disabled={busy}
              onCommit={(quantity) => onQuantityChange(line.id, quantity)}
            />
            <Typography.Text strong aria-label={t('cart.totalFor', { name: line.product.name })}>
              {formatMoney(line.total)}
            </Typography.Text>
          </Flex>
        </Card>
      ))}
    </Flex>
  );
}

export function CartLines(props: CartLinesProps) {
  const { cart, busy = false, onQuantityChange, onRemove, checkout } = props;
  const { t } = useTranslation('shop');
  const phone = Grid.useBreakpoint().xs === true;
  return (
    <Flex vertical gap={16}>
      {phone ? (
        <CartLineCards {...props} />
      ) : (
        <SimpleTable<Line>
          label={t('cart.lines')}
          rowKey={(line) => line.id}
          rows={cart.lines}
          columns={[
            {
              key: 'product',
              title: t('cart.product'),
              render: (line) => <Link to={paths.product(line.product.id)}>{line.product.name}</Link>,
            },
            { key: 'price', title: t('cart.price'), align: 'end', render: (line) => formatMoney(line.product.price) },
            {
              key: 'quantity',
              title: t('cart.quantity'),
              render: (line) => (
                <QuantityInput
                  label={t('cart.quantityOf', { name: line.product.name })}
                  value={line.quantity}
                  max={Math.max(line.quantity, line.product.stock)}
                  disabled={busy}
                  onCommit={(quantity) => onQuantityChange(line.id, quantity)}
                />
              ),
            },
            {
              key: 'total',
              title: t('cart.total'),
              align: 'end',
              render: (line) => <span aria-label={t('cart.totalFor', { name: line.product.name })}>{formatMoney(line.total)}</span>,
            },
            {
              key: 'remove',
              title: <span className="sr-only">{t('cart.remove')}</span>,
              render: (line) => <RemoveLine line={line} busy={busy} onRemove={onRemove} />,
            },
          ]}
        />
      )}
      <Card>
        <Flex justify="space-between" align="center" wrap gap={16}>
          <div role="group" aria-label={t('cart.summary')}>
            <Typography.Text type="secondary">{t('cart.subtotalUnits', { count: cart.quantity })}</Typography.Text>
            <br />
            <Typography.Text strong style={{ fontSize: 22 }} aria-label={t('cart.subtotal')}>
              {formatMoney(cart.subtotal)}
            </Typography.Text>
          </div>
          {checkout}
        </Flex>
      </Card>
    </Flex>
  );
}
