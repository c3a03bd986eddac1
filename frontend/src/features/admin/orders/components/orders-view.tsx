import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Pager } from '@/components/pager';
import { QueryState } from '@/components/query-state';
import { useReturnState } from '@/hooks/use-return-link';
import { useAdminOrders } from '../hooks/use-admin-orders';
import { OrderFilters } from './order-filters';
import { OrdersTable } from './orders-table';

export function AdminOrdersView() {
  const orders = useAdminOrders();
  const { t } = useTranslation('console');
  const returnState = useReturnState();
  return (
    <>
      <Typography.Title level={2}>{t('orders.title')}</Typography.Title>
      <OrderFilters value={orders.filter} onChange={orders.setFilter} />
      <QueryState
        loadingLabel={t('orders.loading')}
        fetching={orders.fetching}
        error={orders.error}
        isEmpty={orders.orders.length === 0}
        emptyDescription={t('orders.noMatch')}
      >
        <Typography.Paragraph type="secondary">{t('orders.count', { count: orders.totalCount })}</Typography.Paragraph>
        <OrdersTable orders={orders.orders} linkState={returnState} />
        <Pager
          label={t('orders.pages')}
          page={orders.page}
          pageCount={orders.pageCount}
          hasPrevious={orders.hasNewer}
          hasNext={orders.hasOlder}
          onPrevious={orders.newer}
          onNext={orders.older}
        />
      </QueryState>
    </>
  );
}
