import type { ReactNode } from 'react';
import { Alert, Button, Card, Flex, Grid, Typography } from 'antd';
import { secondsUntil } from '@/lib/server-time';
import { formatCountdown } from '@/utils/duration';
import { formatMoney } from '@/utils/format';
import type { OpenPayment } from '../hooks/use-payment';
import { Trans, useTranslation } from 'react-i18next';

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
  const { t } = useTranslation('shop');
  const left = expiresAt ? secondsUntil(expiresAt, now) : null;
  const expired = left === 0;
  // On a phone the shopper pays on this device: the button leads; the code is for paying from another one.
  const phone = Grid.useBreakpoint().xs === true;
  const qr = (size: number) => (
    <img src={svgDataUrl(payment?.qrCodeSvg ?? '')} alt={t('payment.qr')} width={size} height={size} />
  );
  // The provider's page opens in a new tab, so the shop (which follows the payment) stays open.
  const openButton = payment && (
    <Button
      type="primary"
      href={payment.payUrl}
      target="_blank"
      rel="noopener"
      disabled={expired}
      block={phone}
      size={phone ? 'large' : undefined}
    >
      {t('payment.open')}
    </Button>
  );
  return (
    <Card title={t('payment.title')} aria-label={t('payment.title')}>
      <Flex vertical gap={12}>
        {left !== null && (
          <Typography.Text role="timer" aria-label={t('payment.timeLeft')} type={expired ? 'danger' : undefined}>
            {expired ? t('payment.over') : t('payment.payWithin', { time: formatCountdown(left) })}
          </Typography.Text>
        )}
        {errors.map((message) => (
          <Alert key={message} type="error" showIcon title={message} />
        ))}
        {payment && phone && (
          <Flex vertical gap={12}>
            <Typography.Text>
              <Trans
                t={t}
                i18nKey="payment.payOnPhone"
                values={{ amount: formatMoney(payment.amount) }}
                components={{ strong: <strong /> }}
              />
            </Typography.Text>
            {openButton}
            <Typography.Text type="secondary">{t('payment.updates')}</Typography.Text>
            <Flex vertical align="center" gap={4} role="group" aria-label={t('payment.otherDevice')}>
              <Typography.Text type="secondary">{t('payment.otherDevice')}</Typography.Text>
              {qr(140)}
            </Flex>
          </Flex>
        )}
        {payment && !phone && (
          <Flex gap={16} wrap align="center">
            {qr(180)}
            <Flex vertical gap={8}>
              <Typography.Text>
                <Trans
                  t={t}
                  i18nKey="payment.scan"
                  values={{ amount: formatMoney(payment.amount) }}
                  components={{ strong: <strong /> }}
                />
              </Typography.Text>
              {openButton}
              <Typography.Text type="secondary">{t('payment.updates')}</Typography.Text>
            </Flex>
          </Flex>
        )}
        {!payment && (
          <>
            {address && (
              <Flex vertical gap={8} role="group" aria-label={t('payment.shipTo')}>
                <Typography.Text strong>{t('payment.shipTo')}</Typography.Text>
                {address}
              </Flex>
            )}
            <Button type="primary" onClick={onOpen} loading={opening} disabled={expired || !canOpen}>
              {t('payment.payNow')}
            </Button>
          </>
        )}
      </Flex>
    </Card>
  );
}
