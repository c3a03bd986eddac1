import { afterEach, describe, expect, it } from 'vitest';
import { createMemorySession } from './session';
import { createSubscriptionClient, reconnectDelay } from './subscription-client';

interface Message {
  type: string;
  id?: string;
  payload?: Record<string, unknown>;
}

/** Just enough of a graphql-transport-ws server on the other end of a fake WebSocket. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  static sockets: FakeSocket[] = [];

  readyState = FakeSocket.CONNECTING;
  protocol = 'graphql-transport-ws';
  sent: Message[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: string }) => void) | null = null;
  onclose: ((event: { code: number; reason: string; wasClean: boolean }) => void) | null = null;
  onerror: ((event: unknown) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.sockets.push(this);
    setTimeout(() => {
      this.readyState = FakeSocket.OPEN;
      this.onopen?.();
    });
  }

  send(data: string) {
    const message = JSON.parse(data) as Message;
    this.sent.push(message);
    if (message.type === 'connection_init') this.reply({ type: 'connection_ack' });
  }

  close(code = 1000, reason = '') {
    if (this.readyState === FakeSocket.CLOSED) return;
    this.readyState = FakeSocket.CLOSED;
    setTimeout(() => this.onclose?.({ code, reason, wasClean: true }));
  }

  reply(message: Message) {
    setTimeout(() => this.onmessage?.({ data: JSON.stringify(message) }));
  }

  get init() {
    return this.sent.find((m) => m.type === 'connection_init')?.payload;
  }
}

const until = async (check: () => boolean, ms = 3000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

afterEach(() => {
  FakeSocket.sockets = [];
});

describe('createSubscriptionClient', () => {
  it('connects with the access token and reconnects with the new one after a refresh, resubscribing', async () => {
    const session = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const client = createSubscriptionClient({
      url: 'ws://shop.test/graphql',
      getAccessToken: session.getAccessToken,
      onTokenChange: session.onTokenChange,
      webSocketImpl: FakeSocket,
    });
    const stop = client.subscribe({ query: 'subscription { orderUpdated(id: "1") { id } }' }, {
      next: () => undefined,
      error: () => undefined,
      complete: () => undefined,
    });
    await until(() => FakeSocket.sockets[0]?.sent.some((m) => m.type === 'subscribe') ?? false);
    expect(FakeSocket.sockets[0]?.init).toEqual({ authorization: 'Bearer a1' });

    session.setTokens({ accessToken: 'a2', refreshToken: 'r2' });

    await until(() => FakeSocket.sockets[1]?.sent.some((m) => m.type === 'subscribe') ?? false);
    expect(FakeSocket.sockets[0]?.readyState).toBe(FakeSocket.CLOSED);
    expect(FakeSocket.sockets[1]?.init).toEqual({ authorization: 'Bearer a2' });
    stop();
    await client.dispose();
  });

  it('keeps the connection when the token did not change', async () => {
    const session = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const client = createSubscriptionClient({
      url: 'ws://shop.test/graphql',
      getAccessToken: session.getAccessToken,
      onTokenChange: session.onTokenChange,
      webSocketImpl: FakeSocket,
    });
    const stop = client.subscribe({ query: 'subscription { x }' }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await until(() => FakeSocket.sockets[0]?.sent.some((m) => m.type === 'subscribe') ?? false);

    session.setTokens({ accessToken: 'a1', refreshToken: 'r1' });
    await new Promise((resolve) => setTimeout(resolve, 300));

    expect(FakeSocket.sockets).toHaveLength(1);
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
