import { Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useAdminOrder } from '../hooks/use-admin-order';
import { PackingSlip } from './packing-slip';

/** The printable packing slip page of one order (print CSS hides the console around it). */
export function PackingSlipView({ id }: { id: string }) {
  const { order, fetching, error } = useAdminOrder(id);
  const { t } = useTranslation('console');
  return (
    <>
      <Link className="no-print" to={paths.admin.order(id)}>
        {t('slip.backToOrder')}
      </Link>
      <QueryState loadingLabel={t('order.loading')} fetching={fetching} error={error}>
        {order ? <PackingSlip order={order} onPrint={() => window.print()} /> : <Result status="404" title={t('order.notFound')} />}
      </QueryState>
    </>
  );
}
