import { afterEach, describe, expect, it } from 'vitest';
import { clientOverFakeSockets, FakeSocket, until } from '@/testing/fake-socket';
import { createMemorySession } from './session';
import { reconnectDelay } from './subscription-client';

afterEach(() => {
  FakeSocket.sockets = [];
});

describe('createSubscriptionClient', () => {
  it('connects with the access token and reconnects with the new one after a refresh, resubscribing', async () => {
    const session = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const client = clientOverFakeSockets(session);
    const stop = client.subscribe({ query: 'subscription { orderUpdated(id: "1") { id } }' }, {
      next: () => undefined,
      error: () => undefined,
      complete: () => undefined,
    });
    await until(() => FakeSocket.sockets[0]?.sent.some((m) => m.type === 'subscribe') ?? false);
    expect(FakeSocket.sockets[0]?.init).toEqual({ authorization: 'Bearer a1', language: 'en' });

    session.setTokens({ accessToken: 'a2', refreshToken: 'r2' });

    await until(() => FakeSocket.sockets[1]?.sent.some((m) => m.type === 'subscribe') ?? false);
    expect(FakeSocket.sockets[0]?.readyState).toBe(FakeSocket.CLOSED);
    expect(FakeSocket.sockets[1]?.init).toEqual({ authorization: 'Bearer a2', language: 'en' });
    stop();
    await client.dispose();
  });

  it('keeps the connection when the token did not change', async () => {
    const session = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const client = clientOverFakeSockets(session);
    const stop = client.subscribe({ query: 'subscription { x }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await until(() => FakeSocket.sockets[0]?.sent.some((m) => m.type === 'subscribe') ?? false);

    session.setTokens({ accessToken: 'a1', refreshToken: 'r1' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(FakeSocket.sockets).toHaveLength(1);
    stop();
    await client.dispose();
  });

  it("sends the page's language and reconnects in the new one after a switch, not for the same one", async () => {
    const session = createMemorySession();
    let shown = 'zh-CN';
    const listeners = new Set<() => void>();
    const client = clientOverFakeSockets(session, {
      language: () => shown,
      onLanguageChange: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    });
    const stop = client.subscribe({ query: 'subscription { x }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await until(() => FakeSocket.sockets[0]?.sent.some((m) => m.type === 'subscribe') ?? false);
    expect(FakeSocket.sockets[0]?.init).toEqual({ language: 'zh-CN' });

    listeners.forEach((listener) => listener()); // the same language: the socket stays
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(FakeSocket.sockets).toHaveLength(1);

    shown = 'en';
    listeners.forEach((listener) => listener());
    await until(() => FakeSocket.sockets[1]?.sent.some((m) => m.type === 'subscribe') ?? false);
    expect(FakeSocket.sockets[0]?.readyState).toBe(FakeSocket.CLOSED);
    expect(FakeSocket.sockets[1]?.init).toEqual({ language: 'en' });
    stop();
    await client.dispose();
  });

  it('reconnects fast the first time, then backs off to 30 s plus up to half again of jitter', () => {
    expect(reconnectDelay(0, () => 0)).toBe(100);
    expect(reconnectDelay(1, () => 0)).toBe(1000);
    expect(reconnectDelay(3, () => 0)).toBe(4000);
    expect(reconnectDelay(20, () => 1)).toBe(45_000);
  });
});
