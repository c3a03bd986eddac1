import { graphql } from '@/gql';

export const RefundRequestApproveMutation = graphql(`
  mutation RefundRequestApprove($id: ID!) {
    refundRequestApprove(id: $id) {
      refundRequest {
        ...RefundRequestFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const RefundRequestRefundMutation = graphql(`
  mutation RefundRequestRefund($id: ID!) {
    refundRequestRefund(id: $id) {
      refundRequest {
        ...RefundRequestFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const RefundRequestDeclineMutation = graphql(`
  mutation RefundRequestDecline($id: ID!, $reason: String!) {
    refundRequestDecline(id: $id, reason: $reason) {
      refundRequest {
        ...RefundRequestFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
