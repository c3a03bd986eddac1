import { graphql } from '@/gql';

export const AdminProductsQuery = graphql(`
  query AdminProducts(
    $first: Int
    $after: String
    $last: Int
    $before: String
    $filter: ProductFilter
    $sortBy: ProductSort
  ) {
    products(first: $first, after: $after, last: $last, before: $before, filter: $filter, sortBy: $sortBy) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
      edges {
        node {
          id
          name
          slug
          stock
          isPublished
          createdAt
          price {
            amount
            currency
          }
          category {
            id
            name
          }
          images {
            id
            thumbnailUrl
            alt
          }
        }
      }
    }
  }
`);

export const AdminProductQuery = graphql(`
  query AdminProduct($id: ID!) {
    product(id: $id) {
      ...AdminProductFields
    }
  }
`);

export const AdminProductFieldsFragment = graphql(`
  fragment AdminProductFields on Product {
    id
    name
    slug
    description
    stock
    isPublished
    createdAt
    price {
      amount
      currency
    }
    category {
      id
      name
    }
    images {
      id
      url
      thumbnailUrl
      alt
      width
      height
      position
    }
  }
`);

export const AdminCategoriesQuery = graphql(`
  query AdminCategories {
    categories {
      id
      name
      slug
      parent {
        id
      }
    }
  }
`);
