import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PaymentStep, svgDataUrl } from './payment-step';

const now = Date.parse('2030-05-01T10:00:00Z');
const payment = {
  __typename: 'Payment' as const,
  id: 'UGF5bWVudDox',
  status: 'PENDING' as const,
  payUrl: 'http://shop.test/sandbox/pay/abc',
  qrCodeSvg: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
  amount: { __typename: 'Money' as const, amount: '19.99', currency: 'USD' },
};

describe('PaymentStep', () => {
  it('offers to pay with a countdown to the expiry by server time', () => {
    const onOpen = vi.fn();
    render(
      <PaymentStep expiresAt="2030-05-01T10:15:00Z" now={now} payment={null} opening={false} errors={[]} onOpen={onOpen} />,
    );
    expect(screen.getByRole('timer', { name: 'Time left to pay' })).toHaveTextContent('Pay within 15:00');
    fireEvent.click(screen.getByRole('button', { name: 'Pay now' }));
    expect(onOpen).toHaveBeenCalledOnce();
  });

  it('shows the QR code as an image (never as markup) and the payment page link', () => {
    render(
      <PaymentStep expiresAt="2030-05-01T10:15:00Z" now={now} payment={payment} opening={false} errors={[]} onOpen={vi.fn()} />,
    );
    const img = screen.getByRole('img', { name: 'QR code to pay with your phone' });
    expect(img).toHaveAttribute('src', svgDataUrl(payment.qrCodeSvg));
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml;charset=utf-8,%3Csvg/);
    expect(document.querySelector('script')).toBeNull();
    const link = screen.getByRole('link', { name: 'Open payment page' });
    expect(link).toHaveAttribute('href', payment.payUrl);
    // A new tab: the shop stays open and follows the payment.
    expect(link).toHaveAttribute('target', '_blank');
    expect(link).toHaveAttribute('rel', 'noopener');
    expect(screen.getByText('$19.99')).toBeInTheDocument();
  });

  describe('at phone width', () => {
    const desktop = window.matchMedia.bind(window);
    afterEach(() => {
      window.matchMedia = desktop;
    });

    it('leads with the payment page button and keeps the QR code for paying from another device', () => {
      // antd's xs breakpoint is (max-width: 575px).
      window.matchMedia = (query: string) => ({ ...desktop(query), matches: query.includes('max-width: 575') });
      render(
        <PaymentStep expiresAt="2030-05-01T10:15:00Z" now={now} payment={payment} opening={false} errors={[]} onOpen={vi.fn()} />,
      );
      const link = screen.getByRole('link', { name: 'Open payment page' });
      expect(link).toHaveAttribute('target', '_blank');
      const code = screen.getByRole('group', { name: 'Paying from another device? Scan this code with it.' });
      expect(code).toContainElement(screen.getByRole('img', { name: 'QR code to pay with your phone' }));
      expect(link.compareDocumentPosition(code) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
      expect(screen.getByText(/on this phone/)).toHaveTextContent('Open the payment page to pay $19.99 on this phone.');
    });
  });

  it('says when the time to pay is over', () => {
    render(
      <PaymentStep expiresAt="2030-05-01T09:59:00Z" now={now} payment={null} opening={false} errors={['Oops']} onOpen={vi.fn()} />,
    );
    expect(screen.getByRole('timer')).toHaveTextContent('The time to pay is over.');
    expect(screen.getByRole('button', { name: 'Pay now' })).toBeDisabled();
    expect(screen.getByText('Oops')).toBeInTheDocument();
  });

  it('asks where to ship before paying an order without an address', () => {
    const onOpen = vi.fn();
    const { rerender } = render(
      <PaymentStep
        expiresAt="2030-05-01T10:15:00Z"
        now={now}
        payment={null}
        opening={false}
        errors={[]}
        onOpen={onOpen}
        address={<p>Address picker</p>}
        canOpen={false}
      />,
    );
    expect(screen.getByRole('group', { name: 'Ship to' })).toHaveTextContent('Address picker');
    expect(screen.getByRole('button', { name: 'Pay now' })).toBeDisabled();

    rerender(
      <PaymentStep
        expiresAt="2030-05-01T10:15:00Z"
        now={now}
        payment={null}
        opening={false}
        errors={[]}
        onOpen={onOpen}
        address={<p>Address picker</p>}
        canOpen
      />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Pay now' }));
    expect(onOpen).toHaveBeenCalledOnce();
  });
});
