import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Dashboard } from './dashboard';

const admin = { id: 'VXNlcjox', email: 'admin@flashmart.test', role: 'ADMIN', isActive: true } as const;

describe('Dashboard', () => {
  it('asks an anonymous visitor to sign in', () => {
    render(<Dashboard viewer={null} serverTime={null} />);

    expect(screen.getByText('Sign in as an administrator to use the console')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Dashboard' })).not.toBeInTheDocument();
  });

  it('refuses a customer account', () => {
    render(<Dashboard viewer={{ ...admin, role: 'CUSTOMER' }} serverTime={null} />);

    expect(screen.getByText('This account cannot use the console')).toBeInTheDocument();
    expect(screen.queryByRole('heading', { name: 'Dashboard' })).not.toBeInTheDocument();
  });

  it('shows the dashboard to an active administrator', () => {
    render(<Dashboard viewer={admin} serverTime="2030-01-01T12:00:00Z" />);

    expect(screen.getByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(screen.getByText('admin@flashmart.test')).toBeInTheDocument();
  });
});
