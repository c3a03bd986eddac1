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
