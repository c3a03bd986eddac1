import { graphql } from '@/gql';

export const AdminRefundRequestsQuery = graphql(`
  query AdminRefundRequests($last: Int!, $before: String, $filter: RefundRequestFilter) {
    refundRequests(last: $last, before: $before, filter: $filter) {
      totalCount
      pageInfo {
        hasPreviousPage
        startCursor
      }
      edges {
        node {
          ...RefundRequestFields
          order {
            id
            number
            status
            total {
              amount
              currency
            }
            user {
              id
              email
              displayName
            }
          }
        }
      }
    }
  }
`);
