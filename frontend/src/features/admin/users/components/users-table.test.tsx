import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithProviders } from '@/testing/render';
import { UsersTable, type UserRow } from './users-table';

const user = (overrides: Partial<UserRow>): UserRow => ({
  __typename: 'User',
  id: 'VXNlcjoy',
  email: 'ann@example.com',
  displayName: null,
  phone: null,
  role: 'CUSTOMER',
  isActive: true,
  emailVerified: true,
  createdAt: '2026-11-01T10:00:00Z',
  ...overrides,
});

describe('UsersTable', () => {
  it('shows whether each email is verified', () => {
    renderWithProviders(
      <UsersTable
        users={[user({}), user({ id: 'VXNlcjoz', email: 'bob@example.com', emailVerified: false })]}
        viewerId={null}
        onChangeRole={vi.fn()}
        onSetActive={vi.fn()}
      />,
    );

    const [, ann, bob] = screen.getAllByRole('row');
    expect(within(ann ?? document.body).getByText('Verified')).toBeInTheDocument();
    expect(within(bob ?? document.body).getByText('Not verified')).toBeInTheDocument();
    expect(screen.getByRole('columnheader', { name: 'Email verified' })).toBeInTheDocument();
  });

  it('changes role and deactivates only after confirmation', async () => {
    const onChangeRole = vi.fn();
    const onSetActive = vi.fn();
    renderWithProviders(
      <UsersTable users={[user({})]} viewerId="VXNlcjox" onChangeRole={onChangeRole} onSetActive={onSetActive} />,
    );

    fireEvent.click(screen.getByRole('button', { name: 'Deactivate ann@example.com' }));
    expect(onSetActive).not.toHaveBeenCalled();
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, deactivate' }));
    expect(onSetActive).toHaveBeenCalledWith(expect.objectContaining({ email: 'ann@example.com' }), false);

    fireEvent.click(screen.getByRole('button', { name: 'Make administrator: ann@example.com' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, make administrator' }));
    expect(onChangeRole).toHaveBeenCalledWith(expect.objectContaining({ id: 'VXNlcjoy' }), 'ADMIN');
  });

  it('offers reactivation for a deactivated account and nothing on your own row', () => {
    renderWithProviders(
      <UsersTable
        users={[user({ isActive: false }), user({ id: 'VXNlcjox', email: 'me@example.com', role: 'ADMIN' })]}
        viewerId="VXNlcjox"
        onChangeRole={vi.fn()}
        onSetActive={vi.fn()}
      />,
    );

    const ann = screen.getByRole('row', { name: /ann@example.com/ });
    expect(within(ann).getByText('Deactivated')).toBeInTheDocument();
    expect(within(ann).getByRole('button', { name: 'Reactivate ann@example.com' })).toBeInTheDocument();
    const me = screen.getByRole('row', { name: /me@example.com/ });
    expect(within(me).queryByRole('button')).toBeNull();
    expect(within(me).getByText('You')).toBeInTheDocument();
  });

  it('shows a busy state only on the row being changed', () => {
    renderWithProviders(
      <UsersTable
        users={[user({}), user({ id: 'VXNlcjoz', email: 'bob@example.com' })]}
        viewerId="VXNlcjox"
        busyId="VXNlcjoy"
        onChangeRole={vi.fn()}
        onSetActive={vi.fn()}
      />,
    );

    const ann = screen.getByRole('row', { name: /ann@example.com/ });
    const bob = screen.getByRole('row', { name: /bob@example.com/ });
    expect(within(ann).getByRole('button', { name: /Deactivate ann@example.com/ })).toHaveClass('ant-btn-loading');
    expect(within(ann).getByRole('button', { name: /Make administrator: ann@example.com/ })).toHaveClass('ant-btn-loading');
    expect(within(bob).getByRole('button', { name: 'Deactivate bob@example.com' })).not.toHaveClass('ant-btn-loading');
    expect(within(bob).getByRole('button', { name: 'Make administrator: bob@example.com' })).not.toHaveClass('ant-btn-loading');
  });
});
