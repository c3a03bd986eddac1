import { graphql } from '@/gql';

export const PaymentOrderStatusQuery = graphql(`
  query PaymentOrderStatus($id: ID!) {
    order(id: $id) {
      id
      status
    }
  }
`);

export const PaymentOrderUpdatedSubscription = graphql(`
  subscription PaymentOrderUpdated($id: ID!) {
    orderUpdated(id: $id) {
      id
      status
    }
  }
`);
