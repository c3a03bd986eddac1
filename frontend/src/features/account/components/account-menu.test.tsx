import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import type { ViewerFragment } from '@/gql/graphql';
import { renderWithProviders } from '@/testing/render';
import { AccountMenu } from './account-menu';

const viewer = { __typename: 'User', id: 'VXNlcjox', email: 'ada@example.com', role: 'SHOPPER' } as unknown as ViewerFragment;

describe('AccountMenu', () => {
  it('links a visitor to sign in and register', () => {
    renderWithProviders(<AccountMenu signedIn={false} viewer={null} onSignOut={() => undefined} returnTo="/cart" />);
    expect(screen.getByRole('link', { name: 'Sign in' })).toHaveAttribute('href', '/sign-in?next=%2Fcart');
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  it("opens the shopper's menu on the first click (its code loads then) and goes where picked", async () => {
    renderWithProviders(<AccountMenu signedIn viewer={viewer} onSignOut={() => undefined} />);
    expect(screen.queryByRole('menu')).not.toBeInTheDocument();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Account menu for ada@example.com' }));
    });
    fireEvent.click(await screen.findByRole('menuitem', { name: 'My orders' }));
    expect(await screen.findByText('Now at /account/orders')).toBeInTheDocument();
  });

  it('signs out from the menu', async () => {
    const onSignOut = vi.fn();
    renderWithProviders(<AccountMenu signedIn viewer={viewer} onSignOut={onSignOut} />);
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Account menu for ada@example.com' }));
    });
    fireEvent.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    expect(onSignOut).toHaveBeenCalledTimes(1);
  });

  it('keeps the focus on the button when the keyboard opens the menu the first time', async () => {
    renderWithProviders(<AccountMenu signedIn viewer={viewer} onSignOut={() => undefined} />);
    const button = screen.getByRole('button', { name: 'Account menu for ada@example.com' });
    button.focus();
    act(() => {
      fireEvent.click(button);
    });
    expect(await screen.findByRole('menuitem', { name: 'My orders' })).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole('button', { name: 'Account menu for ada@example.com' })).toHaveFocus());
  });
});
