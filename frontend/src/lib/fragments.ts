import { graphql } from '@/gql';

/** Every mutation selects its userErrors through this one fragment. */
export const UserErrorFieldsFragment = graphql(`
  fragment UserErrorFields on UserError {
    field
    message
    code
  }
`);
