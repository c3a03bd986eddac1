import { createContext, use, useSyncExternalStore, type ReactNode } from 'react';
import type { Client as WsClient } from 'graphql-ws';

/**
 * Whether the graphql-ws socket is up, so that pages poll only while their subscriptions cannot
 * reach them (not yet connected, lost, reconnecting) instead of beside them.
 */
export interface SocketStatus {
  connected: () => boolean;
  /** Calls `listener` whenever `connected()` changes; returns an unsubscribe function. */
  onChange: (listener: () => void) => () => void;
}

/** Follows `client` through its `connected`, `closed` and `error` events; call it before the first subscription. */
export function watchSocket(client: Pick<WsClient, 'on'>): SocketStatus {
  let connected = false;
  const listeners = new Set<() => void>();
  const set = (next: boolean) => {
    if (next === connected) return;
    connected = next;
    for (const listener of [...listeners]) listener();
  };
  client.on('connected', () => set(true));
  client.on('closed', () => set(false));
  client.on('error', () => set(false));
  return {
    connected: () => connected,
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}

/** No subscriptions at all (the default without a provider): never connected, so pages keep polling. */
export const noSocket: SocketStatus = { connected: () => false, onChange: () => () => undefined };

const SocketStatusContext = createContext<SocketStatus>(noSocket);

export function SocketStatusProvider({ status, children }: { status: SocketStatus; children: ReactNode }) {
  return <SocketStatusContext value={status}>{children}</SocketStatusContext>;
}

/** True while the graphql-ws socket is connected; re-renders when it connects or drops. */
export function useSocketConnected(): boolean {
  const status = use(SocketStatusContext);
  return useSyncExternalStore(status.onChange, status.connected);
}
