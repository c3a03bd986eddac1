import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { FlashSaleFragment } from '@/gql/graphql';
import { findProductSale } from '../hooks/use-product-sale';
import { saleProduct } from '../testing/sale-answer';
import { ProductSaleNotice, ProductSaleTag } from './product-sale';

const sale = (id: string, productId: string, status: FlashSaleFragment['status']): FlashSaleFragment => ({
  __typename: 'SeckillEvent',
  id,
  name: 'Watch Day',
  product: saleProduct({ id: productId }),
  perUserLimit: 1,
  price: { __typename: 'Money', amount: '96.75', currency: 'USD' },
  remainingStock: 5,
  totalStock: 10,
  startsAt: '2030-05-01T10:00:00Z',
  endsAt: '2030-05-01T11:00:00Z',
  status,
});

describe('findProductSale', () => {
  it("picks the product's first sale from the live-then-upcoming list, skipping other products and ended sales", () => {
    const events = [sale('A', 'P1', 'ENDED'), sale('B', 'P2', 'ACTIVE'), sale('C', 'P1', 'SOLD_OUT'), sale('D', 'P1', 'SCHEDULED')];
    expect(findProductSale(events, 'P1')?.id).toBe('C');
    expect(findProductSale(events, 'P2')?.id).toBe('B');
    expect(findProductSale(events, 'P3')).toBeNull();
  });
});

describe('ProductSaleNotice', () => {
  it('tells a live sale with its price and discount and links to it', () => {
    render(
      <MemoryRouter>
        <ProductSaleNotice sale={sale('U2Vja2lsbEV2ZW50OjE=', 'P1', 'ACTIVE')} />
      </MemoryRouter>,
    );
    expect(screen.getByText(/Flash sale now: \$96\.75/)).toBeInTheDocument();
    // (129.00 - 96.75) / 129.00 = 25 %
    expect(screen.getByText('25% off')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Go to the flash sale' })).toHaveAttribute(
      'href',
      '/flash-sales/U2Vja2lsbEV2ZW50OjE%3D',
    );
  });

  it('tells an upcoming sale on a product card', () => {
    render(
      <MemoryRouter>
        <ProductSaleTag sale={sale('E', 'P1', 'SCHEDULED')} />
      </MemoryRouter>,
    );
    expect(screen.getByRole('link', { name: 'Flash sale soon: $96.75' })).toHaveAttribute('href', '/flash-sales/E');
  });
});
