import { graphql } from '@/gql';

export const DevMailboxQuery = graphql(`
  query DevMailbox($first: Int!) {
    devMailbox(first: $first) {
      id
      to
      subject
      text
      sentAt
    }
  }
`);
