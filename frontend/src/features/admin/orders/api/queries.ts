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

export const AdminOrderDetailFragment = graphql(`
  fragment AdminOrderDetail on Order {
    id
    number
    status
    createdAt
    paidAt
    expiresAt
    allowedTransitions
    total {
      amount
      currency
    }
    user {
      id
      email
    }
    seckillEvent {
      id
    }
    lines {
      id
      productName
      quantity
      unitPrice {
        amount
        currency
      }
      total {
        amount
        currency
      }
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
    events {
      fromStatus
      toStatus
      reason
      createdAt
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
