import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ShipDialog } from './ship-dialog';

function fill(label: string, value: string) {
  fireEvent.change(screen.getByLabelText(label), { target: { value } });
}

describe('ShipDialog', () => {
  it('asks for carrier and tracking number, checks the number, then ships', async () => {
    const onShip = vi.fn(() => Promise.resolve([] as string[]));
    render(<ShipDialog onShip={onShip} />);

    fireEvent.click(screen.getByRole('button', { name: 'Ship…' }));
    fill('Carrier', 'SF Express');
    fill('Tracking number', 'a b');
    fireEvent.click(screen.getByRole('button', { name: 'Ship order' }));
    expect(await screen.findByText('4 to 40 letters, digits and dashes')).toBeInTheDocument();
    expect(onShip).not.toHaveBeenCalled();

    fill('Tracking number', 'SF1234567890');
    fireEvent.click(screen.getByRole('button', { name: 'Ship order' }));
    await waitFor(() => expect(onShip).toHaveBeenCalledWith({ carrier: 'SF Express', trackingNumber: 'SF1234567890' }));
  });

  it('keeps the dialog open with the reason when the API refuses', async () => {
    const onShip = vi.fn(() => Promise.resolve(['An order that is SHIPPED cannot become SHIPPED']));
    render(<ShipDialog onShip={onShip} />);

    fireEvent.click(screen.getByRole('button', { name: 'Ship…' }));
    fill('Carrier', 'SF Express');
    fill('Tracking number', 'SF1234');
    fireEvent.click(screen.getByRole('button', { name: 'Ship order' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('cannot become SHIPPED');
    expect(screen.getByLabelText('Carrier')).toHaveValue('SF Express');
  });
});
