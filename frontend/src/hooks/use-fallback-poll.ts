import { useEffect, useRef } from 'react';
import { useSocketConnected } from '@/lib/socket-status';

/** urql's `reexecute` from `useQuery`. */
type Refetch = (context: { requestPolicy: 'network-only' }) => void;

export interface FallbackPollOptions {
  /** False once there is nothing left to watch (e.g. a final status); true by default. */
  active?: boolean;
  /** The page's subscription ended in an error: it will bring nothing more, so poll anyway. */
  liveFailed?: boolean;
}

/**
 * Polling as the fallback of a subscription, not beside it: `refetch` runs every `intervalMs` only
 * while the graphql-ws socket is down (not yet connected, lost, reconnecting) or the subscription
 * failed, and once when the socket (re)connects, so a message missed during the gap never leaves
 * the page stale. With the socket up, the subscription alone keeps the page current.
 */
export function useFallbackPoll(
  refetch: Refetch,
  intervalMs: number,
  { active = true, liveFailed = false }: FallbackPollOptions = {},
) {
  const connected = useSocketConnected();
  const wasConnected = useRef(connected);

  useEffect(() => {
    const reconnected = connected && !wasConnected.current;
    wasConnected.current = connected;
    if (!active) return;
    if (reconnected) refetch({ requestPolicy: 'network-only' });
    if (connected && !liveFailed) return;
    const id = setInterval(() => refetch({ requestPolicy: 'network-only' }), intervalMs);
    return () => clearInterval(id);
  }, [connected, active, liveFailed, refetch, intervalMs]);
}
