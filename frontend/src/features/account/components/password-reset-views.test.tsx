import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { createMemorySession } from '@/lib/session';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { ForgotPasswordView, ResetPasswordView } from './password-reset-views';

const userError = (code: string, message: string, field: string[] | null = null) => ({ __typename: 'UserError', field, message, code });
const confirmed = (userErrors: unknown[] = []) => ({
  data: { passwordResetConfirm: { __typename: 'PasswordResetConfirmPayload', userErrors } },
});

function fillPasswords(password: string, repeat = password) {
  fireEvent.change(screen.getByLabelText('New password'), { target: { value: password } });
  fireEvent.change(screen.getByLabelText('Repeat new password'), { target: { value: repeat } });
  fireEvent.click(screen.getByRole('button', { name: 'Set new password' }));
}

describe('ForgotPasswordView', () => {
  it('asks for a link without a token and says the same whatever the email', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      PasswordResetRequest: () => ({ data: { passwordResetRequest: { __typename: 'PasswordResetRequestPayload', userErrors: [] } } }),
    });
    renderWithProviders(<ForgotPasswordView />, { fetch, session: createMemorySession(), url: '/forgot-password' });

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ann@shop.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect(await screen.findByRole('status')).toHaveTextContent('If an account exists for ann@shop.test');
    expect(sent[0]).toMatchObject({ operationName: 'PasswordResetRequest', variables: { email: 'ann@shop.test' }, authorization: null });
  });

  it('says when to try again once rate limited', async () => {
    const { fetch } = fakeGraphqlFetch({
      PasswordResetRequest: () => ({
        data: null,
        errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED', retryAfter: 60 } }],
      }),
    });
    renderWithProviders(<ForgotPasswordView />, { fetch, session: createMemorySession(), url: '/forgot-password' });

    fireEvent.change(screen.getByLabelText('Email'), { target: { value: 'ann@shop.test' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send reset link' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Try again in 60 s.');
  });
});

describe('ResetPasswordView', () => {
  it('sets the new password with the token of the link', async () => {
    const { fetch, sent } = fakeGraphqlFetch({ PasswordResetConfirm: () => confirmed() });
    renderWithProviders(<ResetPasswordView />, { fetch, session: createMemorySession(), url: '/reset-password?token=abc123', path: '/reset-password' });

    fillPasswords('a brand new passphrase');

    expect(await screen.findByText('Your new password is set')).toBeInTheDocument();
    expect(sent[0]).toMatchObject({ variables: { token: 'abc123', newPassword: 'a brand new passphrase' } });
  });

  it('refuses two different passwords before asking the server', async () => {
    const { fetch, sent } = fakeGraphqlFetch({ PasswordResetConfirm: () => confirmed() });
    renderWithProviders(<ResetPasswordView />, { fetch, session: createMemorySession(), url: '/reset-password?token=abc', path: '/reset-password' });

    fillPasswords('a brand new passphrase', 'something else');

    expect(await screen.findByText('The two passwords differ')).toBeInTheDocument();
    expect(sent).toHaveLength(0);
  });

  it("shows the server's words for a used link and offers a new one", async () => {
    const { fetch } = fakeGraphqlFetch({
      PasswordResetConfirm: () =>
        confirmed([userError('INVALID_TOKEN', 'This reset link is not valid or was already used; ask for a new one', ['token'])]),
    });
    renderWithProviders(<ResetPasswordView />, { fetch, session: createMemorySession(), url: '/reset-password?token=used', path: '/reset-password' });

    fillPasswords('a brand new passphrase');

    expect(await screen.findByRole('alert')).toHaveTextContent('This reset link is not valid or was already used');
    expect(screen.getByRole('link', { name: 'Ask for a new link' })).toBeInTheDocument();
  });

  it('explains a link without its token', () => {
    renderWithProviders(<ResetPasswordView />, { session: createMemorySession(), url: '/reset-password', path: '/reset-password' });
    expect(screen.getByText('This link is incomplete')).toBeInTheDocument();
  });
});
