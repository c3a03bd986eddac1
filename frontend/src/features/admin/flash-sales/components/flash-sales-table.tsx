import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { AdminFlashSaleFieldsFragment, SeckillStatus } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { AuditButton } from './audit-panel';

export type FlashSaleRow = AdminFlashSaleFieldsFragment;

// The storefront's colours for the same states; their words (the shop's: Upcoming, Live, Ended)
// are console.json's `saleStatus.<status>`.
export const flashSaleStatusColor: Record<SeckillStatus, string> = {
  SCHEDULED: 'blue',
  ACTIVE: 'green',
  SOLD_OUT: 'red',
  ENDED: 'default',
};
export const flashSaleStatuses = Object.keys(flashSaleStatusColor) as SeckillStatus[];

export interface FlashSalesTableProps {
  events: FlashSaleRow[];
  onWarmUp: (event: FlashSaleRow) => void;
  warmingUp: boolean;
}

/** Flash sales with their status, stock and window, and the actions on each. */
export function FlashSalesTable({ events, onWarmUp, warmingUp }: FlashSalesTableProps) {
  const { t } = useTranslation('console');
  return (
    <Table<FlashSaleRow>
      rowKey="id"
      dataSource={events}
      pagination={false}
      aria-label={t('flashSales.table.label')}
      columns={[
        { title: t('flashSales.table.product'), key: 'product', render: (_, event) => event.product.name },
        {
          title: t('flashSales.table.status'),
          key: 'status',
          render: (_, event) => (
            <Tag color={flashSaleStatusColor[event.status]} data-status={event.status}>
              {t(`saleStatus.${event.status}`)}
            </Tag>
          ),
        },
        { title: t('flashSales.table.price'), key: 'price', render: (_, event) => formatMoney(event.price) },
        {
          title: t('flashSales.table.stockLeft'),
          key: 'stock',
          render: (_, event) => `${String(event.remainingStock)} / ${String(event.totalStock)}`,
        },
        { title: t('flashSales.table.perShopper'), dataIndex: 'perUserLimit' },
        { title: t('flashSales.table.starts'), key: 'startsAt', render: (_, event) => formatDateTime(event.startsAt) },
        { title: t('flashSales.table.ends'), key: 'endsAt', render: (_, event) => formatDateTime(event.endsAt) },
        {
          title: t('flashSales.table.actions'),
          key: 'actions',
          render: (_, event) => (
            <Space wrap>
              <Popconfirm
                title={t('flashSales.table.warmUpConfirm')}
                description={t('flashSales.table.warmUpDescription')}
                okText={t('flashSales.table.warmUp')}
                onConfirm={() => onWarmUp(event)}
                disabled={event.status === 'ENDED'}
              >
                <Button
                  size="small"
                  loading={warmingUp}
                  disabled={event.status === 'ENDED'}
                  aria-label={t('flashSales.table.warmUpNamed', { name: event.product.name })}
                >
                  {t('flashSales.table.warmUp')}
                </Button>
              </Popconfirm>
              {event.status !== 'ENDED' && (
                <Link to={paths.admin.flashSale(event.id)} aria-label={t('flashSales.table.editNamed', { name: event.product.name })}>
                  {t('flashSales.table.edit')}
                </Link>
              )}
              <AuditButton id={event.id} productName={event.product.name} />
              <Link to={paths.admin.controlRoom(event.id)} aria-label={t('flashSales.table.controlRoomNamed', { name: event.product.name })}>
                {t('flashSales.table.controlRoom')}
              </Link>
            </Space>
          ),
        },
      ]}
    />
  );
}
