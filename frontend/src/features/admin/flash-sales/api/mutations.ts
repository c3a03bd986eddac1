import { graphql } from '@/gql';

export const FlashSaleWarmupMutation = graphql(`
  mutation FlashSaleWarmup($id: ID!) {
    seckillEventWarmup(id: $id) {
      event {
        id
        status
        remainingStock
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
