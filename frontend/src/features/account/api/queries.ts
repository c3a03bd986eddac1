import { graphql } from '@/gql';

export const ViewerFragment = graphql(`
  fragment Viewer on User {
    id
    email
    role
    emailVerified
    displayName
    phone
  }
`);

export const ViewerQuery = graphql(`
  query Viewer {
    me {
      ...Viewer
    }
    emailVerificationEnabled
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

/** The shopper's order page: the shared order fields plus each line's product, for its link. */
export const OrderDetailFragment = graphql(`
  fragment OrderDetail on Order {
    ...OrderDetailFields
    lines {
      product {
        id
      }
    }
    refundRequests {
      ...RefundRequestFields
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

/** The order page follows its order live: status and refund requests, pushed on every change. */
export const OrderLiveSubscription = graphql(`
  subscription OrderLive($id: ID!) {
    orderUpdated(id: $id) {
      ...OrderDetail
    }
  }
`);
