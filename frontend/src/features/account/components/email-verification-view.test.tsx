import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { EmailVerificationView } from './email-verification-view';

const viewer = (emailVerified: boolean, enabled = true) => () => ({
  data: {
    me: { __typename: 'User', id: 'VXNlcjox', email: 'ann@shop.test', role: 'CUSTOMER', emailVerified },
    emailVerificationEnabled: enabled,
  },
});

describe('EmailVerificationView', () => {
  it('asks an unverified shopper to open the link, and sends another', async () => {
    const { fetch } = fakeGraphqlFetch({
      Viewer: viewer(false),
      AccountVerifyEmailResend: () => ({
        data: { accountVerifyEmailResend: { __typename: 'AccountVerifyEmailResendPayload', userErrors: [] } },
      }),
    });
    renderWithProviders(<EmailVerificationView title="Please verify your email address" />, { fetch });

    expect(await screen.findByText('Please verify your email address')).toBeInTheDocument();
    expect(screen.getByText('ann@shop.test')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Send the link again' }));
    expect(await screen.findByRole('status')).toHaveTextContent('We sent you a new link.');
  });

  it('says when to try again once the resends are used up', async () => {
    const { fetch } = fakeGraphqlFetch({
      Viewer: viewer(false),
      AccountVerifyEmailResend: () => ({
        data: null,
        errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', retryAfter: 1200 } }],
      }),
    });
    renderWithProviders(<EmailVerificationView title="Verify your email to take part" always />, { fetch });

    fireEvent.click(await screen.findByRole('button', { name: 'Send the link again' }));
    expect(await screen.findByRole('status')).toHaveTextContent('Try again in 1200 s.');
  });

  it('shows nothing to a verified shopper, nor (unless asked) when the shop does not verify', async () => {
    const verified = fakeGraphqlFetch({ Viewer: viewer(true) });
    const first = renderWithProviders(<EmailVerificationView title="Verify" always />, { fetch: verified.fetch });
    await waitFor(() => expect(verified.fetch).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('button', { name: 'Send the link again' })).toBeNull();
    first.unmount();

    const off = fakeGraphqlFetch({ Viewer: viewer(false, false) });
    renderWithProviders(<EmailVerificationView title="Verify" />, { fetch: off.fetch });
    await waitFor(() => expect(off.fetch).toHaveBeenCalled());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(screen.queryByRole('button', { name: 'Send the link again' })).toBeNull();
  });
});
