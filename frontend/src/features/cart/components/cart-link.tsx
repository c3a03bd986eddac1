import { NavLink } from 'react-router-dom';
import { CartIcon } from '@/components/ui/icons';
import { paths } from '@/config/paths';
import { useCart } from '../hooks/use-cart';
import { useTranslation } from 'react-i18next';

/** The header's link to the cart, with the number of units in it: a small count on the icon's
 * corner, drawn like antd's small Badge (src/app/styles.css), which every page would load. */
export function CartLink() {
  const { cart } = useCart();
  const { t } = useTranslation();
  const units = cart?.quantity ?? 0;
  return (
    <NavLink to={paths.cart} aria-label={units === 0 ? t('header.cart') : t('header.cartWithItems', { count: units })}>
      <span className="cart-badge">
        <CartIcon style={{ fontSize: 22 }} />
        {units > 0 && (
          <span className={units > 9 ? 'cart-count cart-count-wide' : 'cart-count'} aria-hidden>
            {units > 99 ? '99+' : units}
          </span>
        )}
      </span>
    </NavLink>
  );
}
