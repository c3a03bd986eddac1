import { graphql } from '@/gql';

export const AdminDashboardQuery = graphql(`
  query AdminDashboard {
    me {
      id
      email
      role
      isActive
    }
    serverTime
  }
`);
