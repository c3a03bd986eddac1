import { graphql } from '@/gql';

export const PaymentCreateMutation = graphql(`
  mutation PaymentCreate($orderId: ID!, $addressId: ID) {
    paymentCreate(orderId: $orderId, addressId: $addressId) {
      payment {
        id
        status
        payUrl
        qrCodeSvg
        amount {
          amount
          currency
        }
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
