import { graphql } from '@/gql';

export const AccountRegisterMutation = graphql(`
  mutation AccountRegister($input: AccountRegisterInput!) {
    accountRegister(input: $input) {
      user {
        id
        email
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const TokenCreateMutation = graphql(`
  mutation TokenCreate($email: String!, $password: String!) {
    tokenCreate(email: $email, password: $password) {
      accessToken
      refreshToken
      user {
        ...Viewer
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const TokenRevokeMutation = graphql(`
  mutation TokenRevoke($refreshToken: String!) {
    tokenRevoke(refreshToken: $refreshToken) {
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const PasswordChangeMutation = graphql(`
  mutation PasswordChange($oldPassword: String!, $newPassword: String!) {
    passwordChange(oldPassword: $oldPassword, newPassword: $newPassword) {
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const OrderCancelMutation = graphql(`
  mutation OrderCancel($id: ID!) {
    orderCancel(id: $id) {
      order {
        ...OrderDetail
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AccountVerifyEmailMutation = graphql(`
  mutation AccountVerifyEmail($token: String!) {
    accountVerifyEmail(token: $token) {
      user {
        ...Viewer
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AccountVerifyEmailResendMutation = graphql(`
  mutation AccountVerifyEmailResend {
    accountVerifyEmailResend {
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const OrderRefundRequestMutation = graphql(`
  mutation OrderRefundRequest($id: ID!, $reason: String!, $returnTrackingNumber: String) {
    orderRefundRequest(id: $id, reason: $reason, returnTrackingNumber: $returnTrackingNumber) {
      refundRequest {
        ...RefundRequestFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const RefundRequestUpdateMutation = graphql(`
  mutation RefundRequestUpdate($id: ID!, $returnTrackingNumber: String!) {
    refundRequestUpdate(id: $id, returnTrackingNumber: $returnTrackingNumber) {
      refundRequest {
        ...RefundRequestFields
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const AccountUpdateMutation = graphql(`
  mutation AccountUpdate($input: AccountUpdateInput!) {
    accountUpdate(input: $input) {
      user {
        ...Viewer
      }
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const PasswordResetRequestMutation = graphql(`
  mutation PasswordResetRequest($email: String!) {
    passwordResetRequest(email: $email) {
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

export const PasswordResetConfirmMutation = graphql(`
  mutation PasswordResetConfirm($token: String!, $newPassword: String!) {
    passwordResetConfirm(token: $token, newPassword: $newPassword) {
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);
