import { Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AdminOrderDetailFragment, PaymentStatus } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';

type Payment = AdminOrderDetailFragment['payments'][number];

// Colours; the words are console.json's `payments.<status>`.
const paymentStatusColor: Record<PaymentStatus, string> = {
  PENDING: 'gold',
  SUCCEEDED: 'green',
  FAILED: 'red',
  REFUNDED: 'purple',
};

/** Every payment attempt of one order, with its provider and outcome. */
export function PaymentsTable({ payments }: { payments: readonly Payment[] }) {
  const { t } = useTranslation('console');
  return (
    <Table<Payment>
      aria-label={t('payments.label')}
      rowKey="id"
      pagination={false}
      size="small"
      scroll={{ x: 'max-content' }}
      dataSource={payments}
      locale={{ emptyText: t('payments.none') }}
      columns={[
        { key: 'opened', title: t('payments.opened'), render: (_, payment) => formatDateTime(payment.createdAt) },
        { key: 'provider', title: t('payments.provider'), dataIndex: 'provider' },
        { key: 'amount', title: t('payments.amount'), align: 'right', render: (_, payment) => formatMoney(payment.amount) },
        {
          key: 'status',
          title: t('payments.status'),
          render: (_, payment) => <Tag color={paymentStatusColor[payment.status]}>{t(`payments.${payment.status}`)}</Tag>,
        },
        {
          key: 'settled',
          title: t('payments.settled'),
          render: (_, payment) => (payment.settledAt ? formatDateTime(payment.settledAt) : '—'),
        },
      ]}
    />
  );
}
