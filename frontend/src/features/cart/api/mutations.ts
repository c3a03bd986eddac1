import { graphql } from '@/gql';

export const CartAddItemMutation = graphql(`
  mutation CartAddItem($productId: ID!, $quantity: Int!) {
    cartAddItem(productId: $productId, quantity: $quantity) {
      cart {
        ...CartDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CartUpdateItemMutation = graphql(`
  mutation CartUpdateItem($lineId: ID!, $quantity: Int!) {
    cartUpdateItem(lineId: $lineId, quantity: $quantity) {
      cart {
        ...CartDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const CartRemoveItemMutation = graphql(`
  mutation CartRemoveItem($lineId: ID!) {
    cartRemoveItem(lineId: $lineId) {
      cart {
        ...CartDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
