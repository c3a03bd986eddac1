import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { AddressBookView } from './address-book-view';

const address = (id: string, street: string, isDefault: boolean) => ({
  __typename: 'Address',
  id,
  recipient: 'Li Lei',
  phone: '13800138000',
  region: 'Zhejiang',
  city: 'Hangzhou',
  district: '',
  street,
  postcode: '310012',
  isDefault,
});
const home = address('QWRkcmVzczox', '1 Home Road', true);
const office = address('QWRkcmVzczoy', '2 Office Road', false);
const book = (...addresses: object[]) => ({ __typename: 'AddressPayload', addresses, userErrors: [] });

function entry(street: string) {
  return screen.getAllByRole('listitem').find((item) => item.textContent?.includes(street))!;
}

describe('AddressBookView', () => {
  it('lists the book with the default marked, and makes another the default', async () => {
    let addresses = [home, office];
    const { fetch, sent } = fakeGraphqlFetch({
      Addresses: () => ({ data: { addresses } }),
      AddressSetDefault: () => {
        addresses = [{ ...office, isDefault: true }, { ...home, isDefault: false }];
        return { data: { addressSetDefault: book(...addresses) } };
      },
    });
    renderWithProviders(<AddressBookView />, { fetch });

    await screen.findByText(/1 Home Road/);
    expect(within(entry('1 Home Road')).getByText('Default')).toBeInTheDocument();
    expect(within(entry('1 Home Road')).queryByRole('button', { name: 'Make default' })).toBeNull();
    fireEvent.click(within(entry('2 Office Road')).getByRole('button', { name: 'Make default' }));

    await waitFor(() => expect(within(entry('2 Office Road')).getByText('Default')).toBeInTheDocument());
    expect(sent.find((op) => op.operationName === 'AddressSetDefault')?.variables).toEqual({ id: office.id });
  });

  it('deletes an address only after confirming', async () => {
    let addresses = [home, office];
    const { fetch, sent } = fakeGraphqlFetch({
      Addresses: () => ({ data: { addresses } }),
      AddressDelete: () => {
        addresses = [home];
        return { data: { addressDelete: book(home) } };
      },
    });
    renderWithProviders(<AddressBookView />, { fetch });

    await screen.findByText(/2 Office Road/);
    fireEvent.click(within(entry('2 Office Road')).getByRole('button', { name: 'Delete' }));
    expect(sent.some((op) => op.operationName === 'AddressDelete')).toBe(false);
    fireEvent.click(await screen.findByRole('button', { name: 'Yes, delete' }));

    await waitFor(() => expect(screen.queryByText(/2 Office Road/)).toBeNull());
    expect(sent.find((op) => op.operationName === 'AddressDelete')?.variables).toEqual({ id: office.id });
  });

  it('edits an address in the form, with the values it had', async () => {
    const { fetch, sent } = fakeGraphqlFetch({
      Addresses: () => ({ data: { addresses: [home] } }),
      AddressUpdate: () => ({
        data: { addressUpdate: { ...book({ ...home, city: 'Ningbo' }), address: { ...home, city: 'Ningbo' } } },
      }),
    });
    renderWithProviders(<AddressBookView />, { fetch });

    fireEvent.click(await screen.findByRole('button', { name: 'Edit' }));
    expect(screen.getByLabelText(/City/)).toHaveValue('Hangzhou');
    fireEvent.change(screen.getByLabelText(/City/), { target: { value: 'Ningbo' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save address' }));

    await waitFor(() => expect(sent.some((op) => op.operationName === 'AddressUpdate')).toBe(true));
    const update = sent.find((op) => op.operationName === 'AddressUpdate');
    expect(update?.variables).toMatchObject({ id: home.id, input: { city: 'Ningbo', street: '1 Home Road' } });
  });
});
