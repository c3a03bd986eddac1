import { graphql } from '@/gql';

export const ViewerFragment = graphql(`
  fragment Viewer on User {
    id
    email
    role
  }
`);

export const ViewerQuery = graphql(`
  query Viewer {
    me {
      ...Viewer
    }
  }
`);

export const OrderSummaryFragment = graphql(`
  fragment OrderSummary on Order {
    id
    number
    status
    createdAt
    total {
      amount
      currency
    }
    lines {
      id
      quantity
    }
  }
`);

export const OrdersQuery = graphql(`
  query Orders($first: Int!, $after: String) {
    orders(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...OrderSummary
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
`);

export const OrderDetailFragment = graphql(`
  fragment OrderDetail on Order {
    id
    number
    status
    createdAt
    paidAt
    expiresAt
    total {
      amount
      currency
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
      product {
        id
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

export const OrderQuery = graphql(`
  query Order($id: ID!) {
    order(id: $id) {
      ...OrderDetail
    }
  }
`);
