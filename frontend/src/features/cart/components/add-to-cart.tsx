import { useState } from 'react';
import { ShoppingCartOutlined } from '@ant-design/icons';
import { Alert, Button, Flex, InputNumber } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { paths, signInPath } from '@/config/paths';
import { useSession } from '@/lib/session-context';
import { useCartActions } from '../hooks/use-cart';

export interface AddToCartProps {
  productId: string;
  productName: string;
  /** Units left; 0 disables the button. */
  stock: number;
}

type Feedback = { kind: 'success'; units: number } | { kind: 'error'; messages: string[] } | null;

/** Quantity and "Add to cart"; visitors are sent to sign in first and come back here. */
export function AddToCart({ productId, productName, stock }: AddToCartProps) {
  const { signedIn } = useSession();
  const { add, adding } = useCartActions();
  const [quantity, setQuantity] = useState(1);
  const [feedback, setFeedback] = useState<Feedback>(null);
  const navigate = useNavigate();
  const location = useLocation();
  const soldOut = stock <= 0;

  const submit = async () => {
    if (!signedIn) {
      void navigate(signInPath(location.pathname + location.search));
      return;
    }
    const result = await add(productId, quantity);
    setFeedback(result.ok ? { kind: 'success', units: quantity } : { kind: 'error', messages: result.messages });
  };

  return (
    <Flex vertical gap={12}>
      <Flex gap={8} wrap align="center">
        <InputNumber
          aria-label="Quantity"
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
          {soldOut ? 'Sold out' : 'Add to cart'}
        </Button>
      </Flex>
      {feedback?.kind === 'success' && (
        <Alert
          type="success"
          showIcon
          role="status"
          title={`Added ${String(feedback.units)} × ${productName} to your cart.`}
          action={<Link to={paths.cart}>View cart</Link>}
        />
      )}
      {feedback?.kind === 'error' &&
        feedback.messages.map((message) => <Alert key={message} type="error" showIcon title={message} />)}
    </Flex>
  );
}
