import { Button, Flex, Table, Typography } from 'antd';
import { Trans, useTranslation } from 'react-i18next';
import { ShippingAddress } from '@/components/shipping-address';
import type { AdminOrderDetailFragment } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';

type Line = AdminOrderDetailFragment['lines'][number];

/** What goes in the parcel: order number, ship-to address and lines (no prices), printable. */
export function PackingSlip({ order, onPrint }: { order: AdminOrderDetailFragment; onPrint: () => void }) {
  const { t } = useTranslation('console');
  return (
    <article className="packing-slip" aria-label={t('slip.label')}>
      <Flex justify="space-between" align="baseline" wrap>
        <Typography.Title level={2}>{t('slip.title')}</Typography.Title>
        <Button className="no-print" onClick={onPrint}>
          {t('slip.print')}
        </Button>
      </Flex>
      <p>
        <Trans
          t={t}
          i18nKey="slip.orderPlaced"
          values={{ number: order.number, placed: formatDateTime(order.createdAt) }}
          components={{ strong: <strong /> }}
        />
      </p>
      <section aria-label={t('slip.shipTo')}>
        <Typography.Title level={4}>{t('slip.shipTo')}</Typography.Title>
        {order.shippingAddress ? (
          <ShippingAddress address={order.shippingAddress} />
        ) : (
          <Typography.Text type="danger">{t('slip.noAddress')}</Typography.Text>
        )}
      </section>
      {order.shipment && (
        <p>
          {t('slip.tracking', { carrier: order.shipment.carrier, number: order.shipment.trackingNumber })}
        </p>
      )}
      <Table<Line>
        aria-label={t('slip.items')}
        rowKey="id"
        pagination={false}
        size="small"
        dataSource={order.lines}
        columns={[
          { key: 'product', title: t('slip.product'), dataIndex: 'productName' },
          { key: 'quantity', title: t('slip.quantity'), dataIndex: 'quantity', align: 'right' },
          { key: 'check', title: t('slip.packed'), render: () => '☐', align: 'center' },
        ]}
      />
    </article>
  );
}
