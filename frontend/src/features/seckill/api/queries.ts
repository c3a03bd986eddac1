import { graphql } from '@/gql';

export const FlashSaleFragment = graphql(`
  fragment FlashSale on SeckillEvent {
    id
    name
    product {
      id
      name
      price {
        amount
        currency
      }
      cover {
        id
        thumbnailUrl
        alt
      }
    }
    perUserLimit
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

/** The home page's sales: live ones (including sold out, still in their window) first, then upcoming. */
export const FlashSalesQuery = graphql(`
  query FlashSales($first: Int!) {
    live: seckillEvents(first: $first, filter: { status: ACTIVE }) {
      edges {
        node {
          ...FlashSale
        }
      }
    }
    upcoming: seckillEvents(first: $first, filter: { status: SCHEDULED }) {
      edges {
        node {
          ...FlashSale
        }
      }
    }
  }
`);

export const FlashSaleDetailQuery = graphql(`
  query FlashSaleDetail($id: ID!) {
    seckillEvent(id: $id) {
      ...FlashSale
      requiresVerifiedAccount
      admissionMode
      lotteryWindowSeconds
      grantTtlSeconds
      drawSeed
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
    queuePosition
    failureReason
    payBy
    order {
      id
      status
    }
  }
`);

/** The signed-in shopper's ticket in a sale, read once when the page opens (not polled). */
export const FlashSaleMyTicketQuery = graphql(`
  query FlashSaleMyTicket($id: ID!) {
    seckillEvent(id: $id) {
      id
      myTicket {
        ...SeckillTicketProgress
      }
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

/** The signed-in shopper's place in a sale's waiting room. */
export const WaitingRoomEntryFragment = graphql(`
  fragment WaitingRoomEntryFields on WaitingRoomEntry {
    arrival
    position
    ahead
    estimatedWaitSeconds
    state
    grantExpiresAt
  }
`);

export const WaitingRoomUpdatedSubscription = graphql(`
  subscription WaitingRoomUpdated($eventId: ID!) {
    waitingRoomUpdated(eventId: $eventId) {
      ...WaitingRoomEntryFields
    }
  }
`);
