import type { ReactNode } from 'react';
import { Alert, Button, Card, Flex, Typography } from 'antd';
import { formatCountdown, secondsUntil } from '@/lib/server-time';
import { formatMoney } from '@/utils/format';
import type { OpenPayment } from '../hooks/use-payment';

export interface PaymentStepProps {
  /** When the unpaid order expires (server time). */
  expiresAt: string | null;
  /** Server "now" in ms. */
  now: number;
  payment: OpenPayment | null;
  opening: boolean;
  errors: readonly string[];
  onOpen: () => void;
  /** Where the order ships, picked before paying (an order without an address). */
  address?: ReactNode;
  /** False while paying is not possible yet (no address chosen). */
  canOpen?: boolean;
}

/** An SVG document from our API as an image: never injected as markup, so it cannot run scripts. */
export function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function PaymentStep({ expiresAt, now, payment, opening, errors, onOpen, address, canOpen = true }: PaymentStepProps) {
  const left = expiresAt ? secondsUntil(expiresAt, now) : null;
  const expired = left === 0;
  return (
    <Card title="Payment" aria-label="Payment">
      <Flex vertical gap={12}>
        {left !== null && (
          <Typography.Text role="timer" aria-label="Time left to pay" type={expired ? 'danger' : undefined}>
            {expired ? 'The time to pay is over.' : `Pay within ${formatCountdown(left)}`}
          </Typography.Text>
        )}
        {errors.map((message) => (
          <Alert key={message} type="error" showIcon title={message} />
        ))}
        {payment ? (
          <Flex gap={16} wrap align="center">
            <img src={svgDataUrl(payment.qrCodeSvg)} alt="QR code to pay with your phone" width={180} height={180} />
            <Flex vertical gap={8}>
              <Typography.Text>
                Scan the code or open the payment page to pay <strong>{formatMoney(payment.amount)}</strong>.
              </Typography.Text>
              <Button type="primary" href={payment.payUrl} disabled={expired}>
                Open payment page
              </Button>
              <Typography.Text type="secondary">This page updates by itself once the payment is confirmed.</Typography.Text>
            </Flex>
          </Flex>
        ) : (
          <>
            {address && (
              <Flex vertical gap={8} role="group" aria-label="Ship to">
                <Typography.Text strong>Ship to</Typography.Text>
                {address}
              </Flex>
            )}
            <Button type="primary" onClick={onOpen} loading={opening} disabled={expired || !canOpen}>
              Pay now
            </Button>
          </>
        )}
      </Flex>
    </Card>
  );
}
