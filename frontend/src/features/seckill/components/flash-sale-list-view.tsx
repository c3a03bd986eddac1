import { PageSection } from '@/components/page-section';
import { QueryState } from '@/components/query-state';
import { useFlashSales } from '../hooks/use-flash-sales';
import { FlashSaleList } from './flash-sale-list';

export function FlashSaleListView({ first = 10 }: { first?: number }) {
  const { events, fetching, error } = useFlashSales(first);
  return (
    <PageSection title="Flash sales">
      <QueryState
        loadingLabel="Loading flash sales"
        emptyDescription="No flash sales right now"
        fetching={fetching}
        error={error}
        isEmpty={events.length === 0}
      >
        <FlashSaleList events={events} />
      </QueryState>
    </PageSection>
  );
}
