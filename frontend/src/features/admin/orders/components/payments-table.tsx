import { Table, Tag } from 'antd';
import type { AdminOrderDetailFragment, PaymentStatus } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';

type Payment = AdminOrderDetailFragment['payments'][number];

const paymentStatus: Record<PaymentStatus, { label: string; color: string }> = {
  PENDING: { label: 'Pending', color: 'gold' },
  SUCCEEDED: { label: 'Succeeded', color: 'green' },
  FAILED: { label: 'Failed', color: 'red' },
  REFUNDED: { label: 'Refunded', color: 'purple' },
};

/** Every payment attempt of one order, with its provider and outcome. */
export function PaymentsTable({ payments }: { payments: readonly Payment[] }) {
  return (
    <Table<Payment>
      aria-label="Payments"
      rowKey="id"
      pagination={false}
      size="small"
      scroll={{ x: 'max-content' }}
      dataSource={payments}
      locale={{ emptyText: 'No payment was started' }}
      columns={[
        { key: 'opened', title: 'Opened', render: (_, payment) => formatDateTime(payment.createdAt) },
        { key: 'provider', title: 'Provider', dataIndex: 'provider' },
        { key: 'amount', title: 'Amount', align: 'right', render: (_, payment) => formatMoney(payment.amount) },
        {
          key: 'status',
          title: 'Status',
          render: (_, payment) => <Tag color={paymentStatus[payment.status].color}>{paymentStatus[payment.status].label}</Tag>,
        },
        {
          key: 'settled',
          title: 'Settled',
          render: (_, payment) => (payment.settledAt ? formatDateTime(payment.settledAt) : '—'),
        },
      ]}
    />
  );
}
