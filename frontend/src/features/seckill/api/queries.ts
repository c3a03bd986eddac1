import { graphql } from '@/gql';

export const FlashSaleFragment = graphql(`
  fragment FlashSale on SeckillEvent {
    id
    product {
      id
      name
    }
    price {
      amount
      currency
    }
    remainingStock
    totalStock
    startsAt
    endsAt
    status
  }
`);

export const FlashSalesQuery = graphql(`
  query FlashSales($first: Int!) {
    seckillEvents(first: $first) {
      edges {
        node {
          ...FlashSale
        }
      }
      totalCount
    }
  }
`);
