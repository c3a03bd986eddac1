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
          ...AdminFlashSaleFields
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
      ...AdminFlashSaleFields
      admissionMode
      drawSeed
      waitingRoom {
        joined
        inDraw
        drawn
        admitted
        grantsOutstanding
        missed
      }
    }
    seckillEventStats(id: $id, seconds: 60) {
      ticketsQueued
      ticketsSucceeded
      ticketsFailed
      attemptsPerSecond {
        second
        attempts
      }
    }
    systemStatus {
      workerAlive
      queueDepth
      jobsDue
    }
  }
`);

export const FlashSaleEditQuery = graphql(`
  query FlashSaleEdit($id: ID!) {
    seckillEvent(id: $id) {
      ...FlashSaleFormFields
    }
  }
`);

export const FlashSaleProductOptionsQuery = graphql(`
  query FlashSaleProductOptions($search: String) {
    products(first: 20, filter: { search: $search }) {
      edges {
        node {
          id
          name
          stock
          price {
            amount
            currency
          }
        }
      }
    }
  }
`);

/** One flash sale as the list and the control room show it. */
export const AdminFlashSaleFieldsFragment = graphql(`
  fragment AdminFlashSaleFields on SeckillEvent {
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
`);

/** What the create/edit form shows and the list needs after a save: a sale plus its product's stock. */
export const FlashSaleFormFieldsFragment = graphql(`
  fragment FlashSaleFormFields on SeckillEvent {
    ...AdminFlashSaleFields
    requiresVerifiedAccount
    admissionMode
    roomOpensAt
    lotteryWindowSeconds
    grantTtlSeconds
    admissionFactor
    product {
      stock
    }
  }
`);

