import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Client as WsClient } from 'graphql-ws';
import { clientOverFakeSockets, FakeSocket, until } from '@/testing/fake-socket';
import { createMemorySession } from './session';
import { watchSocket } from './socket-status';

afterEach(() => {
  FakeSocket.sockets = [];
});

describe('watchSocket', () => {
  it('is down until graphql-ws connects, down when the socket is lost, up again once it reconnects', async () => {
    const session = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const client = clientOverFakeSockets(session);
    const status = watchSocket(client);
    const changed = vi.fn();
    status.onChange(changed);
    expect(status.connected()).toBe(false);

    const stop = client.subscribe({ query: 'subscription { x }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await until(() => status.connected());
    expect(changed).toHaveBeenCalledTimes(1);

    FakeSocket.sockets[0]?.close(1012, 'Service Restart');
    await until(() => !status.connected());
    await until(() => status.connected());
    expect(FakeSocket.sockets).toHaveLength(2);
    expect(changed).toHaveBeenCalledTimes(3);
    stop();
    await client.dispose();
  });

  it('is down after a socket error and tells each listener once per change', () => {
    const listeners: Record<string, () => void> = {};
    const client = {
      on: (event: string, listener: () => void) => {
        listeners[event] = listener;
        return () => undefined;
      },
    } as unknown as WsClient;
    const status = watchSocket(client);
    const changed = vi.fn();
    const unsubscribe = status.onChange(changed);

    listeners.connected?.();
    listeners.connected?.();
    expect(status.connected()).toBe(true);
    listeners.error?.();
    listeners.closed?.();
    expect(status.connected()).toBe(false);
    expect(changed).toHaveBeenCalledTimes(2);

    unsubscribe();
    listeners.connected?.();
    expect(changed).toHaveBeenCalledTimes(2);
  });
});
