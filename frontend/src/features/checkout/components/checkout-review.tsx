import type { ReactNode } from 'react';
import { Card, Flex, Typography } from 'antd';
import { SimpleTable } from '@/components/simple-table';
import type { CheckoutPreviewQuery } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { useTranslation } from 'react-i18next';

export type Preview = NonNullable<CheckoutPreviewQuery['checkoutPreview']>;
type Line = Preview['lines'][number];

export interface CheckoutReviewProps {
  preview: Preview;
  /** The address picker. */
  address: ReactNode;
  /** The confirm button. */
  confirm: ReactNode;
}

/** The review before an order: its lines, subtotal, shipping and total, where it ships, confirm. */
export function CheckoutReview({ preview, address, confirm }: CheckoutReviewProps) {
  const { t } = useTranslation('shop');
  return (
    <Flex vertical gap={16}>
      <Card title={t('checkout.items')}>
        <SimpleTable<Line>
          label={t('checkout.itemsToOrder')}
          rowKey={(line) => line.product.id}
          size="small"
          rows={preview.lines}
          columns={[
            { key: 'product', title: t('checkout.product'), render: (line) => line.product.name },
            { key: 'quantity', title: t('checkout.quantity'), align: 'end', render: (line) => line.quantity },
            { key: 'unit', title: t('checkout.unitPrice'), align: 'end', render: (line) => formatMoney(line.unitPrice) },
            { key: 'total', title: t('checkout.total'), align: 'end', render: (line) => formatMoney(line.total) },
          ]}
        />
        <dl className="checkout-sums" aria-label={t('checkout.sums')}>
          <dt>{t('checkout.subtotal')}</dt>
          <dd>{formatMoney(preview.subtotal)}</dd>
          <dt>{t('checkout.shipping')}</dt>
          <dd>{Number(preview.shipping.amount) === 0 ? t('checkout.free') : formatMoney(preview.shipping)}</dd>
          <dt>
            <strong>{t('checkout.orderTotal')}</strong>
          </dt>
          <dd>
            <strong>{formatMoney(preview.total)}</strong>
          </dd>
        </dl>
      </Card>
      <Card title={t('checkout.shipTo')}>{address}</Card>
      <Flex justify="end">{confirm}</Flex>
      <Typography.Text type="secondary" style={{ textAlign: 'end' }}>
        {t('checkout.recheck')}
      </Typography.Text>
    </Flex>
  );
}
