import { useCallback, useEffect, useRef, useState } from 'react';
import { ShoppingCartOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, InputNumber } from 'antd';
import { Link, useLocation, useNavigate, useSearchParams } from 'react-router-dom';
import { paths, signInPath } from '@/config/paths';
import { useSession } from '@/lib/session-context';
import { useCartActions } from '../hooks/use-cart';
import { useTranslation } from 'react-i18next';

export interface AddToCartProps {
  productId: string;
  productName: string;
  /** Units left; 0 disables the button. */
  stock: number;
}

type Feedback = { kind: 'success'; units: number } | { kind: 'error'; messages: string[] } | null;

/** The return link's parameter that carries a visitor's "add N to cart" through signing in. */
export const ADD_INTENT_PARAM = 'add';
const MAX_INTENT = 99;

function intendedQuantity(raw: string | null): number | null {
  const units = Number(raw);
  return raw && Number.isInteger(units) && units >= 1 && units <= MAX_INTENT ? units : null;
}

/**
 * Quantity and "Add to cart". A visitor is sent to sign in with the wish in the return link
 * (`?add=<quantity>`); back here signed in, the item is added once and the parameter dropped.
 */
export function AddToCart({ productId, productName, stock }: AddToCartProps) {
  const { t } = useTranslation('shop');
  const { signedIn } = useSession();
  const { add, adding } = useCartActions();
  const [quantity, setQuantity] = useState(1);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const intent = signedIn ? intendedQuantity(params.get(ADD_INTENT_PARAM)) : null;
  const carried = useRef(false);
  const soldOut = stock <= 0;

  const addNow = useCallback(
    async (units: number) => {
      setQuantity(units);
      const result = await add(productId, units);
      setFeedback(result.ok ? { kind: 'success', units } : { kind: 'error', messages: result.messages });
    },
    [add, productId],
  );

  useEffect(() => {
    if (intent === null || carried.current) return;
    carried.current = true;
    const rest = new URLSearchParams(params);
    rest.delete(ADD_INTENT_PARAM);
    setParams(rest, { replace: true });
    void addNow(intent);
  }, [intent, params, setParams, addNow]);

  const submit = async () => {
    if (!signedIn) {
      const back = new URLSearchParams(location.search);
      back.set(ADD_INTENT_PARAM, String(quantity));
      void navigate(signInPath(`${location.pathname}?${back.toString()}`));
      return;
    }
    await addNow(quantity);
  };

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap align="center">
        <InputNumber
          aria-label={t('cart.quantity')}
          min={1}
          max={Math.max(1, stock)}
          precision={0}
          value={quantity}
          disabled={soldOut}
          onChange={(value) => setQuantity(value ?? 1)}
          style={{ width: 96 }}
        />
        <Button
          type="primary"
          size="large"
          icon={<ShoppingCartOutlined />}
          disabled={soldOut}
          loading={adding}
          onClick={() => void submit()}
        >
          {soldOut ? t('cart.soldOut') : t('cart.add')}
        </Button>
      </Flex>
      {feedback?.kind === 'success' && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={t('cart.added', { count: feedback.units, name: productName })}
          action={<Link to={paths.cart}>{t('cart.view')}</Link>}
        />
      )}
      {feedback?.kind === 'error' &&
        feedback.messages.map((message) => <Alert key={message} type="error" showIcon title={message} />)}
    </Flex>
  );
}
