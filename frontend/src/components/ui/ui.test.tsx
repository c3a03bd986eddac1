import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Alert } from './alert';
import { Button } from './button';
import { Empty } from './empty';
import { Progress } from './progress';
import { Tag } from './tag';

describe('ui components', () => {
  it('Button: a real button that ignores clicks while loading, and none when disabled', () => {
    const onClick = vi.fn();
    const { rerender } = render(
      <Button variant="primary" onClick={onClick}>
        Buy now
      </Button>,
    );
    const button = screen.getByRole('button', { name: 'Buy now' });
    expect(button).toHaveAttribute('type', 'button');
    fireEvent.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
    rerender(
      <Button variant="primary" onClick={onClick} loading>
        Buy now
      </Button>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Buy now' }));
    expect(onClick).toHaveBeenCalledTimes(1);
    rerender(
      <Button variant="primary" onClick={onClick} disabled>
        Buy now
      </Button>,
    );
    expect(screen.getByRole('button', { name: 'Buy now' })).toBeDisabled();
  });

  it('Alert: announced as an alert unless told otherwise, with its description and action', () => {
    const { rerender } = render(<Alert type="error" title="Sold out" description="Try the next sale" action={<a href="/">Home</a>} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Sold out');
    expect(alert).toHaveTextContent('Try the next sale');
    expect(screen.getByRole('link', { name: 'Home' })).toBeInTheDocument();
    rerender(<Alert type="warning" role="region" aria-label="Verify" title="Verify your email" />);
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(screen.getByRole('region', { name: 'Verify' })).toHaveTextContent('Verify your email');
  });

  it('Progress: a named progressbar with its value, the percentage written only when asked', () => {
    const { rerender } = render(<Progress percent={74.6} showInfo={false} aria-label="Sold" />);
    const bar = screen.getByRole('progressbar', { name: 'Sold' });
    expect(bar).toHaveAttribute('aria-valuenow', '75');
    expect(bar).not.toHaveTextContent('%');
    rerender(<Progress percent={40} aria-label="Queue moved" />);
    expect(screen.getByRole('progressbar', { name: 'Queue moved' })).toHaveTextContent('40%');
  });

  it('Empty says "No data" in the page language unless given words, and Tag writes its label', () => {
    const { rerender } = render(<Empty />);
    expect(screen.getByText('No data')).toBeInTheDocument();
    rerender(<Empty description="Your cart is empty">{<a href="/products">Shop</a>}</Empty>);
    expect(screen.getByText('Your cart is empty')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Shop' })).toBeInTheDocument();
    rerender(<Tag color="green">Live</Tag>);
    expect(screen.getByText('Live')).toBeInTheDocument();
  });
});
