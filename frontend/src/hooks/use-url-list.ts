import { useCallback, useMemo } from 'react';
import { useLocation, useSearchParams } from 'react-router-dom';

/** How one list keeps its filters and page cursor in the URL. Both functions are pure. */
export interface UrlListCodec<F> {
  /** The filters a URL asks for; unknown or malformed values are ignored, never an error. */
  parse: (params: URLSearchParams) => F;
  /** The URL for `filters` (defaults left out), optionally on the page at `cursor`. */
  toParams: (filters: F, cursor: string | null) => URLSearchParams;
  /** The page cursor in the URL (null: first page). */
  cursorOf: (params: URLSearchParams) => string | null;
}

/** History state of a list page: the cursors of the pages before it ('' = first page). */
interface PagerState {
  cursors: string[];
}

function cursorsOf(state: unknown): string[] | null {
  const cursors = (state as Partial<PagerState> | null)?.cursors;
  return Array.isArray(cursors) && cursors.every((c) => typeof c === 'string') ? cursors : null;
}

/**
 * Filters and page live in the URL (shareable; every change is a history entry, so back works,
 * also from a page opened out of the list). The cursors of earlier pages ride along in history
 * state, so "Previous" knows where to go. `codec` must be a stable (module-level) object.
 */
export function useUrlList<F>(codec: UrlListCodec<F>) {
  const [params, setParams] = useSearchParams();
  const state: unknown = useLocation().state;
  const filters = useMemo(() => codec.parse(params), [codec, params]);
  const cursor = codec.cursorOf(params);
  const cursors = cursorsOf(state);

  const setFilters = useCallback((next: F) => setParams(codec.toParams(next, null)), [codec, setParams]);
  const nextPage = useCallback(
    (nextCursor: string) =>
      setParams(codec.toParams(filters, nextCursor), {
        state: { cursors: [...(cursors ?? []), cursor ?? ''] } satisfies PagerState,
      }),
    [codec, setParams, filters, cursors, cursor],
  );
  const previousPage = useCallback(() => {
    // Arrived by a shared link deep in the list: we know no earlier cursor, so start over.
    const stack = cursors ?? [''];
    setParams(codec.toParams(filters, stack.at(-1) || null), {
      state: { cursors: stack.slice(0, -1) } satisfies PagerState,
    });
  }, [codec, setParams, filters, cursors]);

  return {
    filters,
    /** The current page's cursor; null on the first page. */
    cursor,
    /** 1-based; null when the page is unknown (a shared link to a later page). */
    page: cursor === null ? 1 : cursors === null ? null : cursors.length + 1,
    hasPrevious: cursor !== null,
    setFilters,
    nextPage,
    previousPage,
  };
}

/**
 * Paging of a list read newest first with `last`/`before` (the URL's cursor is the page's
 * `before`): "older" walks back from the page's first row, "newer" returns along history.
 */
export function newestFirstPages(
  list: Pick<ReturnType<typeof useUrlList>, 'page' | 'hasPrevious' | 'nextPage' | 'previousPage'>,
  pageInfo: { hasPreviousPage: boolean; startCursor?: string | null } | undefined,
  totalCount: number,
  pageSize: number,
) {
  return {
    page: list.page,
    pageCount: Math.max(1, Math.ceil(totalCount / pageSize)),
    hasOlder: pageInfo?.hasPreviousPage ?? false,
    hasNewer: list.hasPrevious,
    older: () => {
      const start = pageInfo?.startCursor;
      if (start) list.nextPage(start);
    },
    newer: list.previousPage,
  };
}
