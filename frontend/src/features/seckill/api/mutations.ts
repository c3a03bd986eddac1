import { graphql } from '@/gql';

// Only what the API's buy lane answers without the database (a fresh ticket is QUEUED: no order,
// nothing to pay yet); selecting more would send every buy down the slower generic path.
export const SeckillBuyMutation = graphql(`
  mutation SeckillBuy($eventId: ID!) {
    seckillBuy(eventId: $eventId) {
      ticket {
        id
        status
        failureReason
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const WaitingRoomJoinMutation = graphql(`
  mutation WaitingRoomJoin($eventId: ID!) {
    waitingRoomJoin(eventId: $eventId) {
      entry {
        ...WaitingRoomEntryFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
