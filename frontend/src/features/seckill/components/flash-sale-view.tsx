import { useEffect, type ReactNode } from 'react';
import { Result } from '@/components/result';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths, signInPath } from '@/config/paths';
import { normalizeError } from '@/lib/errors';
import { useServerClock } from '@/lib/server-time';
import { useSession } from '@/lib/session-context';
import { useFlashSale } from '../hooks/use-flash-sale';
import { useSeckillBuy } from '../hooks/use-seckill-buy';
import { useWaitingRoom } from '../hooks/use-waiting-room';
import { FlashSaleDetail } from './flash-sale-detail';
import { useTranslation } from 'react-i18next';

const SEED_READ_DELAY_MS = 2000;
const SEED_READ_SPREAD_MS = 3000;

export interface FlashSaleViewProps {
  eventId: string;
  /** What a sale for verified accounts only shows a shopper who is not (composed by the route). */
  verification?: ReactNode;
  /** The signed-in shopper's email is verified (as the server says now, not the access token). */
  emailVerified?: boolean;
}

function NotFound() {
  const { t } = useTranslation('shop');
  return (
    <Result status="404" title={t('seckill.notFound')} extra={<Link to={paths.home}>{t('seckill.backToShop')}</Link>} />
  );
}

export function FlashSaleView({ eventId, verification = null, emailVerified = false }: FlashSaleViewProps) {
  const { event, fetching, error, refresh } = useFlashSale(eventId);
  const { now } = useServerClock();
  const { t } = useTranslation('shop');
  const { buy, buying, ticket, errors } = useSeckillBuy(eventId, { emailVerified });
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const room = useWaitingRoom(eventId);
  const signInFirst = (then: () => Promise<void>) => () => {
    if (signedIn) void then();
    else void navigate(signInPath(location.pathname + location.search));
  };
  const onBuy = signInFirst(buy);
  const onJoin = signInFirst(room.join);

  // The seed is published right after the draw: read the sale again once the shopper's place
  // arrives (spread over a few seconds, so that a room's shoppers do not all ask at once).
  // A ticket used the grant: the server may end the subscription without saying so.
  const usedGrant = ticket !== null && ticket.status !== 'FAILED' && room.entry?.state === 'ADMITTED';
  const entry = usedGrant && room.entry ? { ...room.entry, grantExpiresAt: null } : room.entry;

  const drawn = room.entry?.position != null;
  const seedMissing = !event?.drawSeed;
  useEffect(() => {
    if (!drawn || !seedMissing) return undefined;
    const timer = setTimeout(refresh, SEED_READ_DELAY_MS + Math.random() * SEED_READ_SPREAD_MS);
    return () => clearTimeout(timer);
  }, [drawn, seedMissing, refresh]);

  // A malformed id in the URL is "not found" to a shopper, not an error (as on product pages).
  if (error && normalizeError(error).code === 'BAD_USER_INPUT') return <NotFound />;
  return (
    <QueryState loadingLabel={t('seckill.loading')} fetching={fetching} error={error}>
      {event ? (
        <FlashSaleDetail
          event={event}
          now={now}
          onBuy={onBuy}
          buying={buying}
          errors={errors}
          ticket={ticket}
          verification={verification}
          room={{
            entry,
            firstAhead: room.firstAhead,
            joining: room.joining,
            onJoin,
            errors: room.errors,
          }}
        />
      ) : (
        <NotFound />
      )}
    </QueryState>
  );
}
