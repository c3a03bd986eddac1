import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { AdminAccess } from './admin-access';

const admin = { __typename: 'User', id: 'VXNlcjox', email: 'admin@flashmart.test', role: 'ADMIN', isActive: true } as const;

describe('AdminAccess', () => {
  it('asks a visitor to sign in', () => {
    renderWithProviders(<AdminAccess viewer={null}>secret</AdminAccess>, { url: '/admin' });

    expect(screen.getByText('Sign in as an administrator to use the console')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.queryByText('secret')).not.toBeInTheDocument();
  });

  it('sends a shopper back to the shop', async () => {
    renderWithProviders(<AdminAccess viewer={{ ...admin, role: 'CUSTOMER' }}>secret</AdminAccess>, {
      url: '/admin',
    });

    expect(await screen.findByText('Now at /')).toBeInTheDocument();
    expect(screen.queryByText('secret')).not.toBeInTheDocument();
  });

  it('lets an active administrator in', () => {
    renderWithProviders(<AdminAccess viewer={admin}>secret</AdminAccess>, { url: '/admin' });

    expect(screen.getByText('secret')).toBeInTheDocument();
  });
});
