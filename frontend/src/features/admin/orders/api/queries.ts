import { graphql } from '@/gql';

export const AdminOrdersQuery = graphql(`
  query AdminOrders($last: Int!, $before: String, $filter: OrderFilter) {
    orders(last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo {
        hasPreviousPage
        startCursor
      }
      edges {
        node {
          id
          number
          status
          createdAt
          total {
            amount
            currency
          }
          user {
            id
            email
          }
          lines {
            id
            quantity
          }
        }
      }
    }
  }
`);

/** The console's order page: the shared order fields plus shopper, origin, payments and next steps. */
export const AdminOrderDetailFragment = graphql(`
  fragment AdminOrderDetail on Order {
    ...OrderDetailFields
    allowedTransitions
    user {
      id
      email
      displayName
      phone
    }
    refundRequests {
      ...RefundRequestFields
    }
    seckillEvent {
      id
    }
    payments {
      id
      status
      provider
      createdAt
      settledAt
      amount {
        amount
        currency
      }
    }
  }
`);

export const AdminOrderQuery = graphql(`
  query AdminOrder($id: ID!) {
    order(id: $id) {
      ...AdminOrderDetail
    }
  }
`);
