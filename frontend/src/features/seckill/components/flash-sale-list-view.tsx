import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import type { FlashSaleFragment } from '@/gql/graphql';
import { useServerClock } from '@/lib/server-time';
import { useFlashSales } from '../hooks/use-flash-sales';
import { useLiveSale } from '../hooks/use-live-sale';
import { FlashSaleCard, FlashSaleList } from './flash-sale-list';
import { useTranslation } from 'react-i18next';

/** One card whose stock and status follow `seckillEventUpdated`. */
function LiveFlashSaleCard({ event, now }: { event: FlashSaleFragment; now: number }) {
  return <FlashSaleCard event={useLiveSale(event)} now={now} />;
}

/** Live sales first, then upcoming ones, each counting down on the server's clock with live stock. */
export function FlashSaleListView({ first = 6 }: { first?: number }) {
  const { events, fetching, error } = useFlashSales(first);
  const { now } = useServerClock();
  const { t } = useTranslation('shop');
  return (
    <PageSection title={t('seckill.flashSales')}>
      <QueryState
        loadingLabel={t('seckill.loadingList')}
        emptyDescription={t('seckill.none')}
        fetching={fetching}
        error={error}
        isEmpty={events.length === 0}
      >
        <FlashSaleList
          events={events}
          now={now}
          renderEvent={(event) => <LiveFlashSaleCard event={event} now={now} />}
        />
      </QueryState>
    </PageSection>
  );
}
