import type { Session } from '@/lib/session';
import { createSubscriptionClient } from '@/lib/subscription-client';

interface Message {
  type: string;
  id?: string;
  payload?: Record<string, unknown>;
}

/** Just enough of a graphql-transport-ws server on the other end of a fake WebSocket. */
export class FakeSocket {
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

/** Waits (in real time) until `check` holds. */
export const until = async (check: () => boolean, ms = 3000) => {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};


/** The app's graphql-ws client (`createSubscriptionClient`) over `FakeSocket`s, with `session`'s tokens. */
export function clientOverFakeSockets(session: Session, languages?: { language: () => string; onLanguageChange: (listener: () => void) => () => void }) {
  return createSubscriptionClient({
    url: 'ws://shop.test/graphql',
    getAccessToken: session.getAccessToken,
    onTokenChange: session.onTokenChange,
    webSocketImpl: FakeSocket,
    ...languages,
  });
}
