import { graphql } from '@/gql';

export const CheckoutPreviewQuery = graphql(`
  query CheckoutPreview($productId: ID, $quantity: Int! = 1) {
    checkoutPreview(productId: $productId, quantity: $quantity) {
      lines {
        quantity
        product {
          id
          name
        }
        unitPrice {
          amount
          currency
        }
        total {
          amount
          currency
        }
      }
      subtotal {
        amount
        currency
      }
      shipping {
        amount
        currency
      }
      total {
        amount
        currency
      }
      address {
        id
      }
    }
  }
`);
