import { graphql } from '@/gql';

export const ProductCreateMutation = graphql(`
  mutation AdminProductCreate($input: ProductInput!) {
    productCreate(input: $input) {
      product {
        ...AdminProductFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const ProductUpdateMutation = graphql(`
  mutation AdminProductUpdate($id: ID!, $input: ProductUpdateInput!) {
    productUpdate(id: $id, input: $input) {
      product {
        ...AdminProductFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const ProductDeleteMutation = graphql(`
  mutation AdminProductDelete($id: ID!) {
    productDelete(id: $id) {
      product {
        id
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const ProductStockSetMutation = graphql(`
  mutation AdminProductStockSet($id: ID!, $stock: Int!) {
    productStockSet(id: $id, stock: $stock) {
      product {
        id
        stock
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

/** Sent as a GraphQL multipart request; the API wants the `x-flashmart-upload: 1` header on it. */
export const ProductImageUploadMutation = graphql(`
  mutation AdminProductImageUpload($productId: ID!, $file: Upload!, $alt: String) {
    productImageUpload(productId: $productId, file: $file, alt: $alt) {
      product {
        ...AdminProductFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const ProductImageReorderMutation = graphql(`
  mutation AdminProductImageReorder($productId: ID!, $imageIds: [ID!]!) {
    productImageReorder(productId: $productId, imageIds: $imageIds) {
      product {
        ...AdminProductFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const ProductImageUpdateMutation = graphql(`
  mutation AdminProductImageUpdate($id: ID!, $alt: String!) {
    productImageUpdate(id: $id, alt: $alt) {
      product {
        ...AdminProductFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const ProductImageDeleteMutation = graphql(`
  mutation AdminProductImageDelete($id: ID!) {
    productImageDelete(id: $id) {
      product {
        ...AdminProductFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CategoryCreateMutation = graphql(`
  mutation AdminCategoryCreate($input: CategoryInput!) {
    categoryCreate(input: $input) {
      category {
        ...AdminCategoryFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CategoryUpdateMutation = graphql(`
  mutation AdminCategoryUpdate($id: ID!, $input: CategoryUpdateInput!) {
    categoryUpdate(id: $id, input: $input) {
      category {
        ...AdminCategoryFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
