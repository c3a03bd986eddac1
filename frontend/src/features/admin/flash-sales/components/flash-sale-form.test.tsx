import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { FlashSaleForm, type FlashSaleFormProps, type FlashSaleFormValues } from './flash-sale-form';

const sale: FlashSaleFormValues = {
  productId: 'UHJvZHVjdDox',
  price: '9.90',
  totalStock: 100,
  startsAt: '2030-01-01T10:00:00.000Z',
  endsAt: '2030-01-01T11:00:00.000Z',
  perUserLimit: 1,
  requiresVerifiedAccount: false,
  admissionMode: 'FIRST_COME',
  roomOpensAt: null,
  lotteryWindowSeconds: 60,
  grantTtlSeconds: 120,
  admissionFactor: 3,
};
const products = [{ id: 'UHJvZHVjdDox', name: 'Phone', stock: 250 }];

function renderForm(props: Partial<FlashSaleFormProps> = {}) {
  const onSubmit = vi.fn();
  const view = render(
    <FlashSaleForm mode="edit" initial={sale} products={products} onSubmit={onSubmit} onCancel={vi.fn()} {...props} />,
  );
  return { ...view, onSubmit };
}

describe('FlashSaleForm', () => {
  it('shows what is missing next to each field and submits nothing', async () => {
    const { onSubmit } = renderForm({ mode: 'create', initial: undefined });

    fireEvent.click(screen.getByRole('button', { name: 'Create flash sale' }));

    expect(await screen.findByText('Choose the product on sale')).toBeInTheDocument();
    expect(screen.getByText('Enter the sale price')).toBeInTheDocument();
    expect(screen.getByText('Enter how many units the sale offers')).toBeInTheDocument();
    expect(screen.getByLabelText('Sale price')).toHaveAttribute('aria-invalid', 'true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a malformed price before asking the server', async () => {
    const { onSubmit } = renderForm();

    fireEvent.change(screen.getByLabelText('Sale price'), { target: { value: '1.999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    expect(await screen.findByText('Use a positive amount with at most 2 decimals, e.g. 9.90')).toBeInTheDocument();
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('keeps Enter in a date field from submitting the form', () => {
    const { onSubmit } = renderForm();

    for (const label of ['Starts at', 'Ends at']) {
      const input = screen.getByLabelText(label);
      fireEvent.change(input, { target: { value: '2030-01-02 10:00' } });
      // false: the default action, the browser's implicit form submission, was prevented
      expect(fireEvent.keyDown(input, { key: 'Enter', code: 'Enter' })).toBe(false);
    }
    expect(fireEvent.keyDown(screen.getByLabelText('Sale price'), { key: 'Enter' })).toBe(true);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('submits the values as the API takes them', async () => {
    const { onSubmit } = renderForm();

    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith(sale));
  });

  it("puts the server's userErrors next to their fields and the rest above the form", async () => {
    const { rerender } = renderForm();
    rerender(
      <FlashSaleForm
        mode="edit"
        initial={sale}
        products={products}
        onSubmit={vi.fn()}
        onCancel={vi.fn()}
        userErrors={[
          { field: ['totalStock'], message: 'Stock is fixed once the sale is warm or live', code: 'INVALID_STATE' },
          { field: ['input', 'endsAt'], message: 'The sale must end after it starts', code: 'INVALID' },
          { field: ['id'], message: 'An ended sale cannot change', code: 'INVALID_STATE' },
        ]}
      />,
    );

    await waitFor(() =>
      expect(screen.getByLabelText('Total stock')).toHaveAccessibleDescription(
        /^Stock is fixed once the sale is warm or live/,
      ),
    );
    expect(screen.getByLabelText('Total stock')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Ends at')).toHaveAccessibleDescription('The sale must end after it starts');
    expect(screen.getByRole('alert')).toHaveTextContent('An ended sale cannot change');
    // Editing the field clears the server's verdict on it.
    fireEvent.change(screen.getByLabelText('Total stock'), { target: { value: '90' } });
    await waitFor(() => expect(screen.queryByText('Stock is fixed once the sale is warm or live')).toBeNull());
  });

  it('says why a save failed outside userErrors', () => {
    renderForm({ failure: 'Your account is not allowed to do that.' });

    expect(screen.getByRole('alert')).toHaveTextContent('Your account is not allowed to do that.');
  });

  it('asks for verified accounts only when the box is ticked, and shows the saved choice', async () => {
    const { onSubmit, unmount } = renderForm();

    fireEvent.click(screen.getByRole('checkbox', { name: 'Verified accounts only' }));
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() => expect(onSubmit).toHaveBeenCalledWith({ ...sale, requiresVerifiedAccount: true }));
    unmount();
    renderForm({ initial: { ...sale, requiresVerifiedAccount: true } });
    expect(screen.getByRole('checkbox', { name: 'Verified accounts only' })).toBeChecked();
  });

  it('keeps the product fixed when editing', () => {
    renderForm();

    expect(screen.getByLabelText('Product')).toBeDisabled();
    expect(screen.getByText('Phone (250 in stock)')).toBeInTheDocument();
  });

  it('offers first come by default and shows no room fields for it', () => {
    renderForm({ mode: 'create', initial: undefined });

    expect(screen.getByRole('radio', { name: 'First come, first served' })).toBeChecked();
    expect(screen.queryByLabelText('Lottery window (seconds)')).not.toBeInTheDocument();
    expect(screen.queryByLabelText('Room opens at')).not.toBeInTheDocument();
  });

  it("takes a waiting room's settings and submits them", async () => {
    const { onSubmit } = renderForm();

    fireEvent.click(screen.getByRole('radio', { name: 'Waiting room' }));
    expect(await screen.findByLabelText('Lottery window (seconds)')).toHaveValue('60');
    expect(screen.getByLabelText('Time to buy (seconds)')).toHaveValue('120');
    expect(screen.getByLabelText('Admission factor')).toHaveValue('3');
    fireEvent.change(screen.getByLabelText('Lottery window (seconds)'), { target: { value: '30' } });
    fireEvent.change(screen.getByLabelText('Time to buy (seconds)'), { target: { value: '90' } });
    fireEvent.change(screen.getByLabelText('Admission factor'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));

    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({
        ...sale,
        admissionMode: 'WAITING_ROOM',
        lotteryWindowSeconds: 30,
        grantTtlSeconds: 90,
        admissionFactor: 5,
      }),
    );
  });

  it("shows a saved room's opening, keeps Enter in its picker and refuses an opening after the start", async () => {
    const { onSubmit } = renderForm({
      initial: { ...sale, admissionMode: 'WAITING_ROOM', roomOpensAt: '2030-01-01T09:30:00.000Z' },
    });
    expect(screen.getByRole('radio', { name: 'Waiting room' })).toBeChecked();
    const opens = screen.getByLabelText('Room opens at');
    expect(opens).not.toHaveValue('');
    expect(fireEvent.keyDown(opens, { key: 'Enter', code: 'Enter' })).toBe(false);

    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    await waitFor(() =>
      expect(onSubmit).toHaveBeenCalledWith({ ...sale, admissionMode: 'WAITING_ROOM', roomOpensAt: '2030-01-01T09:30:00.000Z' }),
    );
  });

  it("puts the server's userErrors on the room's fields", async () => {
    const room = { ...sale, admissionMode: 'WAITING_ROOM' as const };
    const { rerender } = renderForm({ initial: room });
    rerender(
      <FlashSaleForm
        mode="edit"
        initial={room}
        products={products}
        onSubmit={vi.fn()}
        onCancel={vi.fn()}
        userErrors={[
          { field: ['input', 'grantTtlSeconds'], message: 'An admission grant lasts 1 to 3600 seconds', code: 'INVALID' },
          { field: ['input', 'roomOpensAt'], message: 'The room must open before the sale starts', code: 'INVALID' },
          { field: ['admissionMode'], message: 'The admission mode is fixed once the sale is warm or live', code: 'INVALID_STATE' },
        ]}
      />,
    );

    await waitFor(() =>
      expect(screen.getByLabelText('Time to buy (seconds)')).toHaveAccessibleDescription(
        /^An admission grant lasts 1 to 3600 seconds/,
      ),
    );
    expect(screen.getByLabelText('Room opens at')).toHaveAccessibleDescription(/^The room must open before the sale starts/);
    expect(screen.getByText('The admission mode is fixed once the sale is warm or live')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});
