import { graphql } from '@/gql';

export const CheckoutCompleteMutation = graphql(`
  mutation CheckoutComplete($idempotencyKey: String!) {
    checkoutComplete(idempotencyKey: $idempotencyKey) {
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
