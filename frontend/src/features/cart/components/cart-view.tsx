import { useCallback, useState, type ReactNode } from 'react';
import { Alert, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useCart, useCartActions, type CartActionResult } from '../hooks/use-cart';
import { CartLines } from './cart-lines';

export function CartView({ checkout }: { checkout?: ReactNode }) {
  const { cart, fetching, error } = useCart();
  const { update, remove, busy } = useCartActions();
  const [errors, setErrors] = useState<string[]>([]);
  const navigate = useNavigate();

  const report = useCallback((result: CartActionResult) => setErrors(result.ok ? [] : result.messages), []);
  const onQuantityChange = useCallback(
    (lineId: string, quantity: number) => void update(lineId, quantity).then(report),
    [update, report],
  );
  const onRemove = useCallback((lineId: string) => void remove(lineId).then(report), [remove, report]);

  return (
    <PageSection title="Your cart">
      {errors.map((message) => (
        <Alert key={message} type="error" showIcon title={message} style={{ marginBottom: 16 }} />
      ))}
      <QueryState
        loadingLabel="Loading cart"
        fetching={fetching && !cart}
        error={error}
        isEmpty={cart !== null && cart.lines.length === 0}
        emptyDescription="Your cart is empty"
        emptyExtra={
          <Button type="primary" onClick={() => void navigate(paths.products)}>
            Browse products
          </Button>
        }
      >
        {cart && (
          <CartLines
            cart={cart}
            busy={busy}
            onQuantityChange={onQuantityChange}
            onRemove={onRemove}
            checkout={checkout}
          />
        )}
      </QueryState>
    </PageSection>
  );
}
