import { vi } from 'vitest';
import type { Client as WsClient } from 'graphql-ws';

export interface SentOperation {
  operationName: string;
  variables: Record<string, unknown>;
  authorization: string | null;
  acceptLanguage: string | null;
}

type Handler = (operation: SentOperation) => unknown;

/**
 * A fake `fetch` for the GraphQL endpoint: answers each operation by name with the handler's JSON
 * (a `{ data, errors }` body, or a Response for full control). Records what was sent.
 */
export function fakeGraphqlFetch(handlers: Record<string, Handler>) {
  const sent: SentOperation[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
    const body = JSON.parse(init?.body as string) as { operationName: string; variables?: Record<string, unknown> };
    const operation: SentOperation = {
      operationName: body.operationName,
      variables: body.variables ?? {},
      authorization: new Headers(init?.headers).get('Authorization'),
      acceptLanguage: new Headers(init?.headers).get('Accept-Language'),
    };
    sent.push(operation);
    const handler = handlers[operation.operationName];
    if (!handler) throw new Error(`No fake for operation ${operation.operationName}`);
    const answer = await handler(operation);
    return answer instanceof Response ? answer : Response.json(answer);
  });
  return { fetch, sent };
}

export const unauthenticated = {
  data: null,
  errors: [{ message: 'Invalid or expired access token', extensions: { code: 'UNAUTHENTICATED' } }],
};

interface SubscriptionSink {
  next: (value: { data?: unknown; errors?: unknown }) => void;
  error: (errors: unknown) => void;
  complete: () => void;
}

type SocketEvent = 'connected' | 'closed' | 'error';

/**
 * A fake graphql-ws client: records each subscription by operation name and lets the test push
 * `next` messages to them, as the server would over the WebSocket. Its socket starts down;
 * `connect()` and `drop()` emit graphql-ws's `connected` and `closed` events (subscriptions stay,
 * as graphql-ws resubscribes them on reconnect). A `connected` listener added while the socket is
 * up hears it at once, as if it had been listening since the socket opened.
 */
export function fakeSubscriptions() {
  const active: { operationName: string; variables: Record<string, unknown>; sink: SubscriptionSink }[] = [];
  const subscribe = (
    payload: { query: string; operationName?: string | null; variables?: Record<string, unknown> | null },
    sink: SubscriptionSink,
  ) => {
    const operationName = payload.operationName ?? /subscription\s+(\w+)/.exec(payload.query)?.[1] ?? '';
    const entry = { operationName, variables: payload.variables ?? {}, sink };
    active.push(entry);
    return () => {
      active.splice(active.indexOf(entry), 1);
    };
  };
  const listeners: { event: SocketEvent; listener: () => void }[] = [];
  let connected = false;
  const on = (event: SocketEvent, listener: () => void) => {
    const entry = { event, listener };
    listeners.push(entry);
    if (event === 'connected' && connected) listener();
    return () => {
      listeners.splice(listeners.indexOf(entry), 1);
    };
  };
  const emit = (event: SocketEvent) => {
    connected = event === 'connected';
    for (const entry of [...listeners]) if (entry.event === event) entry.listener();
  };
  const client = {
    subscribe,
    on,
    dispose: () => undefined,
    terminate: () => undefined,
  } as unknown as WsClient;
  return {
    client,
    /** Variables of every live subscription named `operationName`. */
    subscribed: (operationName: string) => active.filter((a) => a.operationName === operationName).map((a) => a.variables),
    /** The socket (re)connects: graphql-ws's `connected` event. */
    connect: () => emit('connected'),
    /** The socket is lost: graphql-ws's `closed` event. */
    drop: () => emit('closed'),
    /** Send `data` to the live subscriptions named `operationName` whose variables match `where`. */
    push(operationName: string, data: unknown, where: Record<string, unknown> = {}) {
      for (const entry of [...active]) {
        const matches = Object.entries(where).every(([key, value]) => entry.variables[key] === value);
        if (entry.operationName === operationName && matches) entry.sink.next({ data });
      }
    },
    /** The server ends the live subscriptions named `operationName` with an error, as graphql-ws reports it. */
    fail(operationName: string, message: string) {
      for (const entry of active.filter((a) => a.operationName === operationName)) {
        active.splice(active.indexOf(entry), 1);
        entry.sink.error([{ message }]);
      }
    },
  };
}
