import { graphql } from '@/gql';

export const PaymentCreateMutation = graphql(`
  mutation PaymentCreate($orderId: ID!) {
    paymentCreate(orderId: $orderId) {
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
