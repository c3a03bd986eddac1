import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { RegisterView, SignInView } from './sign-in-view';

const viewer = { __typename: 'User', id: 'VXNlcjox', email: 'ann@shop.test', role: 'CUSTOMER' };
const signedIn = {
  data: {
    tokenCreate: { __typename: 'TokenCreatePayload', accessToken: 'access-1', refreshToken: 'refresh-1', user: viewer, userErrors: [] },
  },
};
const userError = (code: string, message: string, field: string[] | null = null) => ({
  __typename: 'UserError',
  field,
  message,
  code,
});

function fillAndSubmit(button: RegExp) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ann@shop.test' } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'correct horse' } });
  fireEvent.click(screen.getByRole('button', { name: button }));
}

describe('SignInView', () => {
  it('stores both tokens, sends the sign-in without a stale token, and goes back to "next"', async () => {
    const session = createMemorySession({ accessToken: 'expired' });
    const { fetch, sent } = fakeGraphqlFetch({ TokenCreate: () => signedIn });
    renderWithProviders(<SignInView />, { fetch, session, url: '/sign-in?next=%2Fcart', path: '/sign-in' });

    fillAndSubmit(/Sign in/);

    expect(await screen.findByText('Now at /cart')).toBeInTheDocument();
    expect(session.getAccessToken()).toBe('access-1');
    expect(session.getRefreshToken()).toBe('refresh-1');
    expect(sent[0]).toMatchObject({
      operationName: 'TokenCreate',
      authorization: null,
      variables: { email: 'ann@shop.test', password: 'correct horse' },
    });
  });

  it('says so when the email or password is wrong', async () => {
    const { fetch } = fakeGraphqlFetch({
      TokenCreate: () => ({
        data: {
          tokenCreate: {
            __typename: 'TokenCreatePayload',
            accessToken: null,
            refreshToken: null,
            user: null,
            userErrors: [userError('INVALID_CREDENTIALS', 'Wrong email or password')],
          },
        },
      }),
    });
    const session = createMemorySession();
    renderWithProviders(<SignInView />, { fetch, session, url: '/sign-in', path: '/sign-in' });

    fillAndSubmit(/Sign in/);

    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password.');
    expect(session.getSnapshot().signedIn).toBe(false);
  });

  it('says when to try again after repeated failures (RATE_LIMITED)', async () => {
    const { fetch } = fakeGraphqlFetch({
      TokenCreate: () => ({
        data: null,
        errors: [{ message: 'Too many requests; retry in 8 s', extensions: { code: 'RATE_LIMITED', retryAfter: 8 } }],
      }),
    });
    const session = createMemorySession();
    renderWithProviders(<SignInView />, { fetch, session, url: '/sign-in', path: '/sign-in' });

    fillAndSubmit(/Sign in/);

    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 8 s.');
    expect(session.getSnapshot().signedIn).toBe(false);
  });

  it('never follows "next" to another site', async () => {
    const { fetch } = fakeGraphqlFetch({ TokenCreate: () => signedIn });
    renderWithProviders(<SignInView />, {
      fetch,
      session: createMemorySession(),
      url: '/sign-in?next=%2F%2Fevil.test%2F',
      path: '/sign-in',
    });

    fillAndSubmit(/Sign in/);

    expect(await screen.findByText('Now at /')).toBeInTheDocument();
  });
});

describe('RegisterView', () => {
  it('creates the account, then signs in with it', async () => {
    const session = createMemorySession();
    const { fetch, sent } = fakeGraphqlFetch({
      AccountRegister: () => ({
        data: { accountRegister: { __typename: 'AccountRegisterPayload', user: viewer, userErrors: [] } },
      }),
      TokenCreate: () => signedIn,
    });
    renderWithProviders(<RegisterView />, { fetch, session, url: '/register', path: '/register' });

    fillAndSubmit(/Create account/);

    expect(await screen.findByText('Now at /')).toBeInTheDocument();
    expect(sent.map((op) => op.operationName)).toEqual(['AccountRegister', 'TokenCreate']);
    expect(session.getRefreshToken()).toBe('refresh-1');
  });

  it('says when to try again when sign-ups are throttled', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      AccountRegister: () => ({
        data: null,
        errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', retryAfter: 720 } }],
      }),
    });
    renderWithProviders(<RegisterView />, { fetch, session: createMemorySession(), url: '/register', path: '/register' });

    fillAndSubmit(/Create account/);

    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 720 s.');
    expect(sent.map((op) => op.operationName)).toEqual(['AccountRegister']);
  });

  it('explains a taken email', async () => {
    const { fetch } = fakeGraphqlFetch({
      AccountRegister: () => ({
        data: {
          accountRegister: {
            __typename: 'AccountRegisterPayload',
            user: null,
            userErrors: [userError('EMAIL_TAKEN', 'This email is already registered', ['email'])],
          },
        },
      }),
    });
    renderWithProviders(<RegisterView />, { fetch, session: createMemorySession(), url: '/register', path: '/register' });

    fillAndSubmit(/Create account/);

    expect(await screen.findByRole('alert')).toHaveTextContent('An account with this email already exists.');
  });
});

describe('SignInView, where it leads', () => {
  it('takes an administrator coming from the home page to the console', async () => {
    const admin = { ...signedIn.data.tokenCreate, user: { ...viewer, role: 'ADMIN' } };
    const { fetch } = fakeGraphqlFetch({ TokenCreate: () => ({ data: { tokenCreate: admin } }) });
    renderWithProviders(<SignInView />, { fetch, session: createMemorySession(), url: '/sign-in?next=%2F', path: '/sign-in' });

    fillAndSubmit(/Sign in/);

    expect(await screen.findByText('Now at /admin')).toBeInTheDocument();
  });

  it('tells a deactivated account so, and offers a password reset', async () => {
    const { fetch } = fakeGraphqlFetch({
      TokenCreate: () => ({
        data: {
          tokenCreate: {
            __typename: 'TokenCreatePayload', accessToken: null, refreshToken: null, user: null,
            userErrors: [userError('ACCOUNT_DISABLED', 'This account has been deactivated')],
          },
        },
      }),
    });
    renderWithProviders(<SignInView />, { fetch, session: createMemorySession(), url: '/sign-in', path: '/sign-in' });

    expect(screen.getByRole('link', { name: 'Forgot password?' })).toHaveAttribute('href', '/forgot-password');
    fillAndSubmit(/Sign in/);

    expect(await screen.findByRole('alert')).toHaveTextContent('This account has been deactivated. Contact support to restore it.');
  });
});
