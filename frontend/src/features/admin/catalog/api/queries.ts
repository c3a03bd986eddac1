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
          ...AdminProductRowFields
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

/** One row of the products table. */
export const AdminProductRowFieldsFragment = graphql(`
  fragment AdminProductRowFields on Product {
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
`);

/** What the editor shows, and every product mutation returns: a row plus description and full images. */
export const AdminProductFieldsFragment = graphql(`
  fragment AdminProductFields on Product {
    ...AdminProductRowFields
    description
    images {
      url
      width
      height
      position
    }
  }
`);

/** A node of the category tree; category mutations return the same. */
export const AdminCategoryFieldsFragment = graphql(`
  fragment AdminCategoryFields on Category {
    id
    name
    slug
    parent {
      id
    }
  }
`);

export const AdminCategoriesQuery = graphql(`
  query AdminCategories {
    categories {
      ...AdminCategoryFields
    }
  }
`);
