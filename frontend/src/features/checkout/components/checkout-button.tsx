import { useState } from 'react';
import { Alert, Button, Flex } from 'antd';
import { useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useCheckout, type BuyNow } from '../hooks/use-checkout';
import { useTranslation } from 'react-i18next';

export interface CheckoutButtonProps {
  disabled?: boolean;
  /** Where the order ships (one of the shopper's addresses). */
  addressId?: string | null;
  /** Order one product instead of the cart. */
  buyNow?: BuyNow;
  label?: string;
}

/** Places the order and opens it; says why when it cannot. */
export function CheckoutButton({ disabled = false, addressId = null, buyNow, label }: CheckoutButtonProps) {
  const { t } = useTranslation('shop');
  const { checkout, fetching } = useCheckout(undefined, buyNow);
  const [errors, setErrors] = useState<string[]>([]);
  const navigate = useNavigate();

  const submit = async () => {
    const result = await checkout(addressId);
    if (result.ok) void navigate(paths.order(result.orderId));
    else setErrors(result.messages);
  };

  return (
    <Flex vertical gap={8} align="end">
      <Button type="primary" size="large" loading={fetching} disabled={disabled} onClick={() => void submit()}>
        {label ?? t('checkout.checkout')}
      </Button>
      {errors.map((message) => (
        <Alert key={message} type="error" showIcon title={message} />
      ))}
    </Flex>
  );
}
