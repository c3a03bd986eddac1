import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';
import { afterFromParams, filtersToSearchParams, parseFilters, type ProductFilters } from '../utils/filters';

/** History state of a product list page: the `after` cursors of the pages before it ('' = first page). */
interface PagerState {
  cursors: string[];
}

function cursorsOf(state: unknown): string[] | null {
  const cursors = (state as Partial<PagerState> | null)?.cursors;
  return Array.isArray(cursors) && cursors.every((c) => typeof c === 'string') ? cursors : null;
}

/**
 * Filters and page live in the URL (shareable; every change is a history entry, so back works).
 * The cursors of earlier pages ride along in history state, so "Previous" knows where to go.
 */
export function useProductFilters() {
  const [params, setParams] = useSearchParams();
  const state: unknown = useLocation().state;
  const filters = useMemo(() => parseFilters(params), [params]);
  const after = afterFromParams(params);
  const cursors = cursorsOf(state);

  const setFilters = useCallback(
    (next: ProductFilters) => setParams(filtersToSearchParams(next)),
    [setParams],
  );
  const nextPage = useCallback(
    (endCursor: string) =>
      setParams(filtersToSearchParams(filters, endCursor), {
        state: { cursors: [...(cursors ?? []), after ?? ''] } satisfies PagerState,
      }),
    [setParams, filters, cursors, after],
  );
  const previousPage = useCallback(() => {
    // Arrived by a shared link deep in the list: we know no earlier cursor, so start over.
    const stack = cursors ?? [''];
    setParams(filtersToSearchParams(filters, stack.at(-1) || null), {
      state: { cursors: stack.slice(0, -1) } satisfies PagerState,
    });
  }, [setParams, filters, cursors]);

  return {
    filters,
    after,
    /** 1-based; null when the page is unknown (a shared link to a later page). */
    page: after === null ? 1 : cursors === null ? null : cursors.length + 1,
    hasPrevious: after !== null,
    setFilters,
    nextPage,
    previousPage,
  };
}
