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

export const FlashSaleCreateMutation = graphql(`
  mutation FlashSaleCreate($input: SeckillEventInput!) {
    seckillEventCreate(input: $input) {
      event {
        ...FlashSaleFormFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const FlashSaleUpdateMutation = graphql(`
  mutation FlashSaleUpdate($id: ID!, $input: SeckillEventUpdateInput!) {
    seckillEventUpdate(id: $id, input: $input) {
      event {
        ...FlashSaleFormFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
