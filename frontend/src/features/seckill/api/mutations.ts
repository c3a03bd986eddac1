import { graphql } from '@/gql';

export const SeckillBuyMutation = graphql(`
  mutation SeckillBuy($eventId: ID!) {
    seckillBuy(eventId: $eventId) {
      ticket {
        ...SeckillTicketProgress
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
