import { Button } from 'antd';
import { useNavigate } from 'react-router-dom';
import { PageSection } from '@/components/page-section';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useOrders } from '../hooks/use-orders';
import { OrdersList } from './orders-list';
import { useTranslation } from 'react-i18next';

export function OrdersView({ pageSize = 10 }: { pageSize?: number }) {
  const { orders, totalCount, fetching, error, ...pager } = useOrders(pageSize);
  const navigate = useNavigate();
  const { t } = useTranslation('shop');
  return (
    <PageSection title={t('orders.title')} extra={totalCount > 0 ? <span>{t('orders.inTotal', { count: totalCount })}</span> : undefined}>
      <QueryState
        loadingLabel={t('orders.loading')}
        fetching={fetching && orders.length === 0}
        error={error}
        isEmpty={orders.length === 0}
        emptyDescription={t('orders.none')}
        emptyExtra={
          <Button type="primary" onClick={() => void navigate(paths.products)}>
            {t('orders.startShopping')}
          </Button>
        }
      >
        <OrdersList orders={orders} />
        <Pager
          label={t('orders.pages')}
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
