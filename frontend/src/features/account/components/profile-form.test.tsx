import { fireEvent, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { ProfileForm } from './profile-form';

const viewer = { __typename: 'User', id: 'VXNlcjox', email: 'ann@shop.test', role: 'CUSTOMER', emailVerified: true };
const answer = (userErrors: unknown[], user: unknown = null) => ({
  data: { accountUpdate: { __typename: 'AccountUpdatePayload', user, userErrors } },
});

describe('ProfileForm', () => {
  it('saves the display name and phone, trimmed', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      AccountUpdate: () => answer([], { ...viewer, displayName: 'Ann', phone: '+86 138 0000 0000' }),
    });
    renderWithProviders(<ProfileForm displayName={null} phone="12345" />, { fetch });

    expect(screen.getByLabelText('Phone')).toHaveValue('12345');
    fireEvent.change(screen.getByLabelText('Display name'), { target: { value: '  Ann ' } });
    fireEvent.change(screen.getByLabelText('Phone'), { target: { value: '+86 138 0000 0000' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));

    expect(await screen.findByText('Profile saved')).toBeInTheDocument();
    expect(sent[0]?.variables).toEqual({ input: { displayName: 'Ann', phone: '+86 138 0000 0000' } });
  });

  it('checks the phone before sending and shows what the server refused', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      AccountUpdate: () =>
        answer([{ __typename: 'UserError', field: ['input', 'displayName'], message: 'At most 80 printable characters', code: 'INVALID' }]),
    });
    renderWithProviders(<ProfileForm displayName="Ann" phone={null} />, { fetch });

    fireEvent.change(screen.getByLabelText('Phone'), { target: { value: 'call me' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByText('Digits, spaces, dashes and brackets, optionally a leading +')).toBeInTheDocument();
    expect(sent).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Phone'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save profile' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('At most 80 printable characters');
    await vi.waitFor(() => expect(sent).toHaveLength(1));
  });
});
