import { graphql } from '@/gql';

export const AdminViewerQuery = graphql(`
  query AdminViewer {
    me {
      id
      email
      role
      isActive
    }
  }
`);
