import { Result } from 'antd';
import { Link } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import { useAdminOrder } from '../hooks/use-admin-order';
import { PackingSlip } from './packing-slip';

/** The printable packing slip page of one order (print CSS hides the console around it). */
export function PackingSlipView({ id }: { id: string }) {
  const { order, fetching, error } = useAdminOrder(id);
  return (
    <>
      <Link className="no-print" to={paths.admin.order(id)}>
        ← Back to the order
      </Link>
      <QueryState loadingLabel="Loading order" fetching={fetching} error={error}>
        {order ? <PackingSlip order={order} onPrint={() => window.print()} /> : <Result status="404" title="No such order" />}
      </QueryState>
    </>
  );
}
