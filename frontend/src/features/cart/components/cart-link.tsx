import { ShoppingCartOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { NavLink } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useCart } from '../hooks/use-cart';
import { useTranslation } from 'react-i18next';

/** The header's link to the cart, with the number of units in it. */
export function CartLink() {
  const { cart } = useCart();
  const { t } = useTranslation();
  const units = cart?.quantity ?? 0;
  return (
    <NavLink to={paths.cart} aria-label={units === 0 ? t('header.cart') : t('header.cartWithItems', { count: units })}>
      <Badge count={units} size="small" offset={[6, -2]}>
        <ShoppingCartOutlined style={{ fontSize: 22 }} aria-hidden />
      </Badge>
    </NavLink>
  );
}
