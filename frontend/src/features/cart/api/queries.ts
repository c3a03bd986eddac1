import { graphql } from '@/gql';

export const CartFragment = graphql(`
  fragment CartDetail on Cart {
    id
    quantity
    subtotal {
      amount
      currency
    }
    lines {
      id
      quantity
      total {
        amount
        currency
      }
      product {
        id
        name
        slug
        stock
        price {
          amount
          currency
        }
      }
    }
  }
`);

export const CartQuery = graphql(`
  query Cart {
    cart {
      ...CartDetail
    }
  }
`);
