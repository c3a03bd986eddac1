import { graphql } from '@/gql';

export const AdminFlashSalesQuery = graphql(`
  query AdminFlashSales($first: Int!, $after: String, $filter: SeckillEventFilter) {
    seckillEvents(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          status
          totalStock
          remainingStock
          perUserLimit
          startsAt
          endsAt
          price {
            amount
            currency
          }
          product {
            id
            name
          }
        }
      }
    }
  }
`);

export const FlashSaleAuditQuery = graphql(`
  query FlashSaleAudit($id: ID!) {
    seckillEventAudit(id: $id) {
      passed
      totalStock
      remaining
      pending
      sold
      orders
      ticketsSucceeded
      ticketsFailed
      oversold
      undersold
      maxPerUser
      checks {
        name
        passed
        detail
      }
    }
  }
`);

export const ControlRoomQuery = graphql(`
  query ControlRoom($id: ID!) {
    seckillEvent(id: $id) {
      id
      status
      totalStock
      remainingStock
      perUserLimit
      startsAt
      endsAt
      price {
        amount
        currency
      }
      product {
        id
        name
      }
    }
    systemStatus {
      workerAlive
      queueDepth
    }
  }
`);
