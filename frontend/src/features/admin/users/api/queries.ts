import { graphql } from '@/gql';

export const AdminUsersQuery = graphql(`
  query AdminUsers($first: Int!, $after: String, $filter: UserFilter) {
    me {
      id
    }
    users(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          email
          displayName
          phone
          role
          isActive
          emailVerified
          createdAt
        }
      }
    }
  }
`);
