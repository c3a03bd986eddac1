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

export const FlashSaleDetailQuery = graphql(`
  query FlashSaleDetail($id: ID!) {
    seckillEvent(id: $id) {
      ...FlashSale
      perUserLimit
    }
  }
`);

export const FlashSaleUpdatedSubscription = graphql(`
  subscription FlashSaleUpdated($id: ID!) {
    seckillEventUpdated(id: $id) {
      id
      remainingStock
      status
    }
  }
`);

export const SeckillTicketProgressFragment = graphql(`
  fragment SeckillTicketProgress on SeckillTicket {
    id
    status
    failureReason
    order {
      id
    }
  }
`);

export const SeckillTicketQuery = graphql(`
  query SeckillTicket($id: ID!) {
    seckillTicket(id: $id) {
      ...SeckillTicketProgress
    }
  }
`);

export const SeckillTicketUpdatedSubscription = graphql(`
  subscription SeckillTicketUpdated($id: ID!) {
    seckillTicketUpdated(id: $id) {
      ...SeckillTicketProgress
    }
  }
`);
