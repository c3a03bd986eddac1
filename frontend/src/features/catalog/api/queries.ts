import { graphql } from '@/gql';

export const ProductCardFragment = graphql(`
  fragment ProductCard on Product {
    id
    name
    slug
    price {
      amount
      currency
    }
    stock
    category {
      id
      name
    }
  }
`);

export const ProductsQuery = graphql(`
  query Products($first: Int!, $after: String) {
    products(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...ProductCard
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
