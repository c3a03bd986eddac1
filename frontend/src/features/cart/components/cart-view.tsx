import { useCallback, useState, type ReactNode } from 'react';
import { Alert, Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useCart, useCartActions, type CartActionResult } from '../hooks/use-cart';
import { CartLines } from './cart-lines';
import { useTranslation } from 'react-i18next';

export function CartView({ checkout }: { checkout?: ReactNode }) {
  const { cart, fetching, error } = useCart();
  const { update, remove, busy } = useCartActions();
  const [errors, setErrors] = useState<string[]>([]);
  const navigate = useNavigate();
  const { t } = useTranslation('shop');

  const report = useCallback((result: CartActionResult) => setErrors(result.ok ? [] : result.messages), []);
  const onQuantityChange = useCallback(
    (lineId: string, quantity: number) => void update(lineId, quantity).then(report),
    [update, report],
  );
  const onRemove = useCallback((lineId: string) => void remove(lineId).then(report), [remove, report]);

  return (
    <PageSection title={t('cart.title')}>
      {errors.map((message) => (
        <Alert key={message} type="error" showIcon title={message} style={{ marginBottom: 16 }} />
      ))}
      <QueryState
        loadingLabel={t('cart.loading')}
        fetching={fetching && !cart}
        error={error}
        isEmpty={cart !== null && cart.lines.length === 0}
        emptyDescription={t('cart.empty')}
        emptyExtra={
          <Button type="primary" onClick={() => void navigate(paths.products)}>
            {t('cart.browse')}
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
