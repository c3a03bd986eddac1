import { graphql } from '@/gql';

export const CheckoutCompleteMutation = graphql(`
  mutation CheckoutComplete($idempotencyKey: String!, $addressId: ID) {
    checkoutComplete(idempotencyKey: $idempotencyKey, addressId: $addressId) {
      order {
        id
        number
        status
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CheckoutBuyNowMutation = graphql(`
  mutation CheckoutBuyNow($productId: ID!, $quantity: Int!, $idempotencyKey: String!, $addressId: ID) {
    checkoutBuyNow(productId: $productId, quantity: $quantity, idempotencyKey: $idempotencyKey, addressId: $addressId) {
      order {
        id
        number
        status
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
