import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CartDetailFragment } from '@/gql/graphql';
import { i18n } from '@/lib/i18n';
import { CartLines } from './cart-lines';

const money = (amount: string) => ({ __typename: 'Money' as const, amount, currency: 'CNY' });

const cart: CartDetailFragment = {
  __typename: 'Cart',
  id: 'Q2FydDox',
  quantity: 3,
  subtotal: money('1059.97'),
  lines: [
    {
      __typename: 'CartLine',
      id: 'Q2FydExpbmU6MQ==',
      quantity: 3,
      total: money('1059.97'),
      product: { __typename: 'Product', id: 'UHJvZHVjdDox', name: '黑胶唱机', slug: 'turntable', stock: 40, price: money('353.33') },
    },
  ],
};

describe('CartLines in 简体中文', () => {
  beforeEach(async () => {
    await i18n.changeLanguage('zh-CN');
  });
  afterEach(async () => {
    await i18n.changeLanguage('en');
  });

  it('names the columns, the controls and the subtotal in Chinese, with ¥', () => {
    render(
      <MemoryRouter>
        <CartLines cart={cart} onQuantityChange={() => undefined} onRemove={() => undefined} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('table', { name: '购物车商品' })).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: '单价' })).toBeInTheDocument();
    expect(screen.getByRole('spinbutton', { name: '「黑胶唱机」的数量' })).toHaveValue('3');
    expect(screen.getByRole('button', { name: '删除「黑胶唱机」' })).toBeInTheDocument();
    expect(screen.getByText('合计（3 件商品）')).toBeInTheDocument();
    expect(screen.getByLabelText('合计')).toHaveTextContent('¥1,059.97');
  });
});
