import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { renderWithProviders } from '@/testing/render';
import { AddressPicker } from './address-picker';

const address = (id: string, street: string, isDefault: boolean) => ({
  __typename: 'Address',
  id,
  recipient: 'Li Lei',
  phone: '13800138000',
  region: 'Zhejiang',
  city: 'Hangzhou',
  district: 'Xihu',
  street,
  postcode: '310012',
  isDefault,
});
const home = address('QWRkcmVzczox', '1 Home Road', false);
const office = address('QWRkcmVzczoy', '2 Office Road', true);

function Harness() {
  const [value, setValue] = useState<string | null>(null);
  return (
    <>
      <AddressPicker value={value} onChange={setValue} />
      <output aria-label="Chosen">{value ?? 'none'}</output>
    </>
  );
}

function fill(label: RegExp, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('AddressPicker', () => {
  it('preselects the default address and lets the shopper pick another', async () => {
    const { fetch } = fakeGraphqlFetch({ Addresses: () => ({ data: { addresses: [office, home] } }) });
    renderWithProviders(<Harness />, { fetch });

    await waitFor(() => expect(screen.getByLabelText('Chosen')).toHaveTextContent(office.id));
    fireEvent.click(screen.getByRole('radio', { name: /1 Home Road/ }));
    expect(screen.getByLabelText('Chosen')).toHaveTextContent(home.id);
  });

  it('adds a new address inline, checks it first, and chooses it', async () => {
    const created = address('QWRkcmVzczoz', '3 New Street', false);
    const { fetch, sent } = fakeGraphqlFetch({
      Addresses: () => ({ data: { addresses: [office] } }),
      AddressCreate: () => ({
        data: { addressCreate: { __typename: 'AddressPayload', address: created, addresses: [office, created], userErrors: [] } },
      }),
    });
    renderWithProviders(<Harness />, { fetch });

    fireEvent.click(await screen.findByRole('button', { name: 'Add new address' }));
    fill(/Recipient/, 'Han Meimei');
    fill(/Phone/, '12345');
    fill(/Province/, 'Zhejiang');
    fill(/City/, 'Hangzhou');
    fill(/Street address/, '3 New Street');
    fill(/Postcode/, '310012');
    fireEvent.click(screen.getByRole('button', { name: 'Use this address' }));
    expect(await screen.findByText('11 digits starting with 1, optionally after +86')).toBeInTheDocument();
    expect(sent.filter((op) => op.operationName === 'AddressCreate')).toHaveLength(0);

    fill(/Phone/, '+86 139 0000 0000');
    fireEvent.click(screen.getByRole('button', { name: 'Use this address' }));
    await waitFor(() => expect(screen.getByLabelText('Chosen')).toHaveTextContent(created.id));
    const [create] = sent.filter((op) => op.operationName === 'AddressCreate');
    expect(create?.variables.input).toMatchObject({ recipient: 'Han Meimei', street: '3 New Street', district: '' });
  });

  it('puts the API\'s field errors on their fields', async () => {
    const { fetch } = fakeGraphqlFetch({
      Addresses: () => ({ data: { addresses: [] } }),
      AddressCreate: () => ({
        data: {
          addressCreate: {
            __typename: 'AddressPayload',
            address: null,
            addresses: null,
            userErrors: [{ __typename: 'UserError', field: ['input', 'postcode'], message: 'Enter a postcode: six digits', code: 'INVALID' }],
          },
        },
      }),
    });
    renderWithProviders(<Harness />, { fetch });

    await screen.findByLabelText(/Recipient/); // an empty book opens the form at once
    fill(/Recipient/, 'Li Lei');
    fill(/Phone/, '13800138000');
    fill(/Province/, 'Zhejiang');
    fill(/City/, 'Hangzhou');
    fill(/Street address/, '1 Road');
    fill(/Postcode/, '310012');
    fireEvent.click(screen.getByRole('button', { name: 'Use this address' }));
    expect(await screen.findByText('Enter a postcode: six digits')).toBeInTheDocument();
    expect(screen.getByLabelText('Chosen')).toHaveTextContent('none');
  });
});
