import { useState } from 'react';
import { Alert, Button, Flex } from 'antd';
import { useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useCheckout } from '../hooks/use-checkout';

/** "Checkout": places the order and opens it; says why when it cannot. */
export function CheckoutButton({ disabled = false }: { disabled?: boolean }) {
  const { checkout, fetching } = useCheckout();
  const [errors, setErrors] = useState<string[]>([]);
  const navigate = useNavigate();

  const submit = async () => {
    const result = await checkout();
    if (result.ok) void navigate(paths.order(result.orderId));
    else setErrors(result.messages);
  };

  return (
    <Flex vertical gap={8} align="end">
      <Button type="primary" size="large" loading={fetching} disabled={disabled} onClick={() => void submit()}>
        Checkout
      </Button>
      {errors.map((message) => (
        <Alert key={message} type="error" showIcon title={message} />
      ))}
    </Flex>
  );
}
