import { Alert, Descriptions, List, Tag } from 'antd';
import type { FlashSaleAuditQuery } from '@/gql/graphql';

type Audit = NonNullable<FlashSaleAuditQuery['seckillEventAudit']>;

/** The invariants of one sale checked against Redis and the database. */
export function AuditResult({ audit }: { audit: Audit }) {
  return (
    <section aria-label="Audit result">
      <Alert
        type={audit.passed ? 'success' : 'error'}
        showIcon
        title={audit.passed ? 'Audit passed' : 'Audit failed'}
        style={{ marginBottom: 12 }}
      />
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'total', label: 'Total stock', children: audit.totalStock },
          { key: 'remaining', label: 'Remaining', children: audit.remaining },
          { key: 'sold', label: 'Sold', children: audit.sold },
          { key: 'pending', label: 'Pending', children: audit.pending },
          { key: 'orders', label: 'Orders', children: audit.orders },
          { key: 'succeeded', label: 'Tickets succeeded', children: audit.ticketsSucceeded },
          { key: 'failed', label: 'Tickets failed', children: audit.ticketsFailed },
          { key: 'oversold', label: 'Oversold', children: audit.oversold },
          { key: 'undersold', label: 'Undersold', children: audit.undersold },
          { key: 'max', label: 'Most bought by one shopper', children: audit.maxPerUser },
        ]}
      />
      <List
        size="small"
        dataSource={audit.checks}
        renderItem={(check) => (
          <List.Item>
            <Tag color={check.passed ? 'green' : 'red'}>{check.passed ? 'Pass' : 'Fail'}</Tag>
            {check.name}: {check.detail}
          </List.Item>
        )}
      />
    </section>
  );
}
