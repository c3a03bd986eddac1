import { ShoppingCartOutlined } from '@ant-design/icons';
import { Badge } from 'antd';
import { NavLink } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useCart } from '../hooks/use-cart';

/** The header's link to the cart, with the number of units in it. */
export function CartLink() {
  const { cart } = useCart();
  const units = cart?.quantity ?? 0;
  return (
    <NavLink to={paths.cart} aria-label={units === 0 ? 'Cart' : units === 1 ? 'Cart, 1 item' : `Cart, ${String(units)} items`}>
      <Badge count={units} size="small" offset={[6, -2]}>
        <ShoppingCartOutlined style={{ fontSize: 22 }} aria-hidden />
      </Badge>
    </NavLink>
  );
}
