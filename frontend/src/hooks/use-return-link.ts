import { useLocation } from 'react-router-dom';

/** Where a page opened from a list leads back to: that list with its filters, page and history state. */
export interface ReturnLink {
  to: string;
  state: unknown;
}

interface ReturnState {
  returnTo: ReturnLink;
}

/** Link state for the rows of the list on screen, so the page a row opens can lead back here. */
export function useReturnState(): ReturnState {
  const location = useLocation();
  const state: unknown = location.state;
  return { returnTo: { to: `${location.pathname}${location.search}`, state } };
}

/** The list this page was opened from, or `fallback` (e.g. opened by a shared link). */
export function useReturnLink(fallback: string): ReturnLink {
  const state = useLocation().state as Partial<ReturnState> | null;
  const back = state?.returnTo;
  return back && typeof back.to === 'string' && back.to.startsWith('/') ? back : { to: fallback, state: null };
}
