import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormErrors } from '@/components/form-errors';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { useRefundRequests } from '../hooks/use-refund-requests';
import { RefundFilters } from './refund-filters';
import { RefundRequestsTable } from './refund-requests-table';

/** The console's after-sales page: refund requests, newest first, and their decisions. */
export function AdminAfterSalesView() {
  const list = useRefundRequests();
  const { t } = useTranslation('console');
  return (
    <>
      <Typography.Title level={2}>{t('afterSales.title')}</Typography.Title>
      <RefundFilters value={list.filter} onChange={list.setFilter} />
      <FormErrors messages={list.actionErrors} />
      <QueryState
        loadingLabel={t('afterSales.loading')}
        fetching={list.fetching}
        error={list.error}
        isEmpty={list.requests.length === 0}
        emptyDescription={t('afterSales.noMatch')}
      >
        <Typography.Paragraph type="secondary">
          {t('afterSales.count', { count: list.totalCount })}
        </Typography.Paragraph>
        <RefundRequestsTable
          requests={list.requests}
          busy={list.busy}
          onApprove={(id) => void list.approve(id)}
          onRefund={(id) => void list.refund(id)}
          onDecline={list.decline}
        />
        <Pager
          label={t('afterSales.pages')}
          page={list.page}
          pageCount={list.pageCount}
          hasPrevious={list.hasNewer}
          hasNext={list.hasOlder}
          onPrevious={list.newer}
          onNext={list.older}
        />
      </QueryState>
    </>
  );
}
