import { graphql } from '@/gql';

export const AddressCreateMutation = graphql(`
  mutation AddressCreate($input: AddressInput!, $isDefault: Boolean! = false) {
    addressCreate(input: $input, isDefault: $isDefault) {
      address {
        ...AddressFields
      }
      addresses {
        ...AddressFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AddressUpdateMutation = graphql(`
  mutation AddressUpdate($id: ID!, $input: AddressInput!) {
    addressUpdate(id: $id, input: $input) {
      address {
        ...AddressFields
      }
      addresses {
        ...AddressFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AddressDeleteMutation = graphql(`
  mutation AddressDelete($id: ID!) {
    addressDelete(id: $id) {
      addresses {
        ...AddressFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AddressSetDefaultMutation = graphql(`
  mutation AddressSetDefault($id: ID!) {
    addressSetDefault(id: $id) {
      addresses {
        ...AddressFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
