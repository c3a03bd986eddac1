import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { AdminFlashSaleFieldsFragment, SeckillStatus } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';
import { AuditButton } from './audit-panel';

export type FlashSaleRow = AdminFlashSaleFieldsFragment;

// The storefront's words and colours for the same states (features/seckill: Upcoming, Live).
export const flashSaleStatus: Record<SeckillStatus, { label: string; color: string }> = {
  SCHEDULED: { label: 'Upcoming', color: 'blue' },
  ACTIVE: { label: 'Live', color: 'green' },
  SOLD_OUT: { label: 'Sold out', color: 'red' },
  ENDED: { label: 'Ended', color: 'default' },
};

export interface FlashSalesTableProps {
  events: FlashSaleRow[];
  onWarmUp: (event: FlashSaleRow) => void;
  warmingUp: boolean;
}

/** Flash sales with their status, stock and window, and the actions on each. */
export function FlashSalesTable({ events, onWarmUp, warmingUp }: FlashSalesTableProps) {
  return (
    <Table<FlashSaleRow>
      rowKey="id"
      dataSource={events}
      pagination={false}
      aria-label="Flash sales"
      columns={[
        { title: 'Product', key: 'product', render: (_, event) => event.product.name },
        {
          title: 'Status',
          key: 'status',
          render: (_, event) => (
            <Tag color={flashSaleStatus[event.status].color} data-status={event.status}>
              {flashSaleStatus[event.status].label}
            </Tag>
          ),
        },
        { title: 'Price', key: 'price', render: (_, event) => formatMoney(event.price) },
        {
          title: 'Stock left',
          key: 'stock',
          render: (_, event) => `${String(event.remainingStock)} / ${String(event.totalStock)}`,
        },
        { title: 'Per shopper', dataIndex: 'perUserLimit' },
        { title: 'Starts', key: 'startsAt', render: (_, event) => formatDateTime(event.startsAt) },
        { title: 'Ends', key: 'endsAt', render: (_, event) => formatDateTime(event.endsAt) },
        {
          title: 'Actions',
          key: 'actions',
          render: (_, event) => (
            <Space wrap>
              <Popconfirm
                title="Warm up this sale?"
                description="Loads its stock into Redis now; a running sale is never reset."
                okText="Warm up"
                onConfirm={() => onWarmUp(event)}
                disabled={event.status === 'ENDED'}
              >
                <Button
                  size="small"
                  loading={warmingUp}
                  disabled={event.status === 'ENDED'}
                  aria-label={`Warm up ${event.product.name}`}
                >
                  Warm up
                </Button>
              </Popconfirm>
              {event.status !== 'ENDED' && (
                <Link to={paths.admin.flashSale(event.id)} aria-label={`Edit ${event.product.name}`}>
                  Edit
                </Link>
              )}
              <AuditButton id={event.id} productName={event.product.name} />
              <Link to={paths.admin.controlRoom(event.id)} aria-label={`Control room for ${event.product.name}`}>
                Control room
              </Link>
            </Space>
          ),
        },
      ]}
    />
  );
}
