import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { VerifyEmailView } from './verify-email-view';

const user = { __typename: 'User', id: 'VXNlcjox', email: 'ann@shop.test', role: 'CUSTOMER', emailVerified: true };
const verified = () => ({
  data: { accountVerifyEmail: { __typename: 'AccountVerifyEmailPayload', user, userErrors: [] } },
});
const refused = (code: string) => () => ({
  data: {
    accountVerifyEmail: {
      __typename: 'AccountVerifyEmailPayload',
      user: null,
      userErrors: [{ __typename: 'UserError', field: ['token'], message: 'server words', code }],
    },
  },
});

describe('VerifyEmailView', () => {
  it('uses the token once, then refreshes the tokens of a signed-in shopper', async () => {
    const refreshTokens = vi.fn(() => Promise.resolve('retry' as const));
    const { fetch, sent } = fakeGraphqlFetch({ AccountVerifyEmail: verified });
    renderWithProviders(<VerifyEmailView />, {
      fetch,
      url: '/verify-email?token=abc123',
      path: '/verify-email',
      refreshTokens,
    });

    expect(await screen.findByText('Your email address is verified')).toBeInTheDocument();
    expect(sent).toEqual([expect.objectContaining({ operationName: 'AccountVerifyEmail', variables: { token: 'abc123' } })]);
    expect(refreshTokens).toHaveBeenCalledTimes(1);
  });

  it('works signed out too, without a refresh', async () => {
    const refreshTokens = vi.fn(() => Promise.resolve('retry' as const));
    const { fetch } = fakeGraphqlFetch({ AccountVerifyEmail: verified });
    renderWithProviders(<VerifyEmailView />, {
      fetch,
      session: createMemorySession(),
      url: '/verify-email?token=abc123',
      path: '/verify-email',
      refreshTokens,
    });

    expect(await screen.findByText('Your email address is verified')).toBeInTheDocument();
    expect(refreshTokens).not.toHaveBeenCalled();
  });

  it('offers a new link when the link expired', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      AccountVerifyEmail: refused('TOKEN_EXPIRED'),
      AccountVerifyEmailResend: () => ({
        data: { accountVerifyEmailResend: { __typename: 'AccountVerifyEmailResendPayload', userErrors: [] } },
      }),
    });
    renderWithProviders(<VerifyEmailView />, { fetch, url: '/verify-email?token=old', path: '/verify-email' });

    expect(await screen.findByText('This link has expired')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Send me a new link' }));
    expect(await screen.findByText('We sent you a new link. Check your inbox.')).toBeInTheDocument();
    expect(sent.map((op) => op.operationName)).toEqual(['AccountVerifyEmail', 'AccountVerifyEmailResend']);
  });

  it('explains a used or unknown link, and asks a visitor to sign in for a new one', async () => {
    const { fetch } = fakeGraphqlFetch({ AccountVerifyEmail: refused('INVALID_TOKEN') });
    renderWithProviders(<VerifyEmailView />, {
      fetch,
      session: createMemorySession(),
      url: '/verify-email?token=used',
      path: '/verify-email',
    });

    expect(await screen.findByText('This link does not work')).toBeInTheDocument();
    expect(screen.getByText(/not valid or was already used/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Sign in to ask for a new link' })).toBeInTheDocument();
  });

  it('sends nothing without a token', () => {
    const { fetch, sent } = fakeGraphqlFetch({});
    renderWithProviders(<VerifyEmailView />, { fetch, url: '/verify-email', path: '/verify-email' });

    expect(screen.getByText('This link does not work')).toBeInTheDocument();
    expect(sent).toEqual([]);
  });
});
