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
    images {
      id
      thumbnailUrl
      alt
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

export const ProductListQuery = graphql(`
  query ProductList($first: Int!, $after: String, $filter: ProductFilter, $sortBy: ProductSort) {
    products(first: $first, after: $after, filter: $filter, sortBy: $sortBy) {
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

export const ProductQuery = graphql(`
  query Product($id: ID!) {
    product(id: $id) {
      id
      name
      slug
      description
      stock
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
      }
    }
  }
`);

export const CategoriesQuery = graphql(`
  query Categories {
    categories {
      id
      name
      slug
      parent {
        id
        name
      }
    }
  }
`);
