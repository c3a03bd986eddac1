import { graphql } from '@/gql';

export const AdminUserUpdateMutation = graphql(`
  mutation AdminUserUpdate($id: ID!, $input: UserUpdateInput!) {
    userUpdate(id: $id, input: $input) {
      user {
        id
        email
        role
        isActive
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
