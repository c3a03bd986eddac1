import { Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useOrders } from '../hooks/use-orders';
import { OrdersList } from './orders-list';

export function OrdersView({ pageSize = 10 }: { pageSize?: number }) {
  const { orders, totalCount, fetching, error, ...pager } = useOrders(pageSize);
  const navigate = useNavigate();
  return (
    <PageSection title="My orders" extra={totalCount > 0 ? <span>{totalCount} in total</span> : undefined}>
      <QueryState
        loadingLabel="Loading orders"
        fetching={fetching && orders.length === 0}
        error={error}
        isEmpty={orders.length === 0}
        emptyDescription="No orders yet"
        emptyExtra={
          <Button type="primary" onClick={() => void navigate(paths.products)}>
            Start shopping
          </Button>
        }
      >
        <OrdersList orders={orders} />
        <Pager
          label="Order pages"
          page={pager.page}
          pageCount={pager.pageCount}
          hasPrevious={pager.hasPrevious}
          hasNext={pager.hasNext}
          onPrevious={pager.previous}
          onNext={pager.next}
        />
      </QueryState>
    </PageSection>
  );
}
