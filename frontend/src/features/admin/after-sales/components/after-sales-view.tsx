import { Typography } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { useRefundRequests } from '../hooks/use-refund-requests';
import { RefundFilters } from './refund-filters';
import { RefundRequestsTable } from './refund-requests-table';

/** The console's after-sales page: refund requests, newest first, and their decisions. */
export function AdminAfterSalesView() {
  const list = useRefundRequests();
  return (
    <>
      <Typography.Title level={2}>After-sales</Typography.Title>
      <RefundFilters value={list.filter} onChange={list.setFilter} />
      <FormErrors messages={list.actionErrors} />
      <QueryState
        loadingLabel="Loading refund requests"
        fetching={list.fetching}
        error={list.error}
        isEmpty={list.requests.length === 0}
        emptyDescription="No refund requests match these filters"
      >
        <Typography.Paragraph type="secondary">
          {list.totalCount === 1 ? '1 request' : `${String(list.totalCount)} requests`}, newest first
        </Typography.Paragraph>
        <RefundRequestsTable
          requests={list.requests}
          busy={list.busy}
          onApprove={(id) => void list.approve(id)}
          onRefund={(id) => void list.refund(id)}
          onDecline={list.decline}
        />
        <Pager
          label="Refund request pages"
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
