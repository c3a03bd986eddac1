import { graphql } from '@/gql';

export const AddressFieldsFragment = graphql(`
  fragment AddressFields on Address {
    id
    recipient
    phone
    region
    city
    district
    street
    postcode
    isDefault
  }
`);

export const AddressesQuery = graphql(`
  query Addresses {
    addresses {
      ...AddressFields
    }
  }
`);
