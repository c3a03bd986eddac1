import type { ReactNode } from 'react';
import { Result } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths, signInPath } from '@/config/paths';
import { normalizeError } from '@/lib/errors';
import { useServerClock } from '@/lib/server-time';
import { useSession } from '@/lib/session-context';
import { useFlashSale } from '../hooks/use-flash-sale';
import { useSeckillBuy } from '../hooks/use-seckill-buy';
import { FlashSaleDetail } from './flash-sale-detail';

export interface FlashSaleViewProps {
  eventId: string;
  /** What a sale for verified accounts only shows a shopper who is not (composed by the route). */
  verification?: ReactNode;
  /** The signed-in shopper's email is verified (as the server says now, not the access token). */
  emailVerified?: boolean;
}

function NotFound() {
  return <Result status="404" title="Flash sale not found" extra={<Link to={paths.home}>Back to the shop</Link>} />;
}

export function FlashSaleView({ eventId, verification = null, emailVerified = false }: FlashSaleViewProps) {
  const { event, fetching, error } = useFlashSale(eventId);
  const { now } = useServerClock();
  const { buy, buying, ticket, errors } = useSeckillBuy(eventId, { emailVerified });
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const onBuy = () => {
    if (signedIn) void buy();
    else void navigate(signInPath(location.pathname + location.search));
  };
  // A malformed id in the URL is "not found" to a shopper, not an error (as on product pages).
  if (error && normalizeError(error).code === 'BAD_USER_INPUT') return <NotFound />;
  return (
    <QueryState loadingLabel="Loading flash sale" fetching={fetching} error={error}>
      {event ? (
        <FlashSaleDetail
          event={event}
          now={now}
          onBuy={onBuy}
          buying={buying}
          errors={errors}
          ticket={ticket}
          verification={verification}
        />
      ) : (
        <NotFound />
      )}
    </QueryState>
  );
}
