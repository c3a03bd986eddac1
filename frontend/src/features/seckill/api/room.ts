import { graphql } from '@/gql';

/** A shopper's entry in a WAITING_ROOM sale (docs/waiting-room.md). */
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

export const WaitingRoomUpdatedSubscription = graphql(`
  subscription WaitingRoomUpdated($eventId: ID!) {
    waitingRoomUpdated(eventId: $eventId) {
      ...WaitingRoomEntryFields
    }
  }
`);
