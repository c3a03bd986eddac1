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
