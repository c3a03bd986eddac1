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

/** The product page: the card's fields plus description and full-size images. */
export const ProductDetailFieldsFragment = graphql(`
  fragment ProductDetailFields on Product {
    ...ProductCard
    description
    images {
      url
      width
      height
    }
  }
`);

/** A page of the catalogue: the product list (filtered, sorted) and the home page's first products. */
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
      ...ProductDetailFields
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

/** The header search box's suggestions: product names only, best match first. */
export const SearchSuggestionsQuery = graphql(`
  query SearchSuggestions($query: String!, $first: Int) {
    searchSuggestions(query: $query, first: $first) {
      id
      name
    }
  }
`);
