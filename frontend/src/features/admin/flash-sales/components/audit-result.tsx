import { Alert, Descriptions, List, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { FlashSaleAuditQuery } from '@/gql/graphql';

type Audit = NonNullable<FlashSaleAuditQuery['seckillEventAudit']>;

/** The invariants of one sale checked against Redis and the database. */
export function AuditResult({ audit }: { audit: Audit }) {
  const { t } = useTranslation('console');
  return (
    <section aria-label={t('audit.result')}>
      <Alert
        type={audit.passed ? 'success' : 'error'}
        showIcon
        title={audit.passed ? t('audit.passed') : t('audit.failed')}
        style={{ marginBottom: 12 }}
      />
      <Descriptions
        size="small"
        column={2}
        items={[
          { key: 'total', label: t('audit.totalStock'), children: audit.totalStock },
          { key: 'remaining', label: t('audit.remaining'), children: audit.remaining },
          { key: 'sold', label: t('audit.sold'), children: audit.sold },
          { key: 'pending', label: t('audit.pending'), children: audit.pending },
          { key: 'orders', label: t('audit.orders'), children: audit.orders },
          { key: 'succeeded', label: t('audit.ticketsSucceeded'), children: audit.ticketsSucceeded },
          { key: 'failed', label: t('audit.ticketsFailed'), children: audit.ticketsFailed },
          { key: 'oversold', label: t('audit.oversold'), children: audit.oversold },
          { key: 'undersold', label: t('audit.undersold'), children: audit.undersold },
          { key: 'max', label: t('audit.maxPerUser'), children: audit.maxPerUser },
        ]}
      />
      <List
        size="small"
        dataSource={audit.checks}
        renderItem={(check) => (
          <List.Item>
            <Tag color={check.passed ? 'green' : 'red'}>{check.passed ? t('audit.pass') : t('audit.fail')}</Tag>
            {check.name}: {check.detail}
          </List.Item>
        )}
      />
    </section>
  );
}
