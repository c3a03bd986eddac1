import { vi } from 'vitest';
import type { Client as WsClient } from 'graphql-ws';

export interface SentOperation {
  operationName: string;
  variables: Record<string, unknown>;
  authorization: string | null;
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
  complete: () => void;
}

/**
 * A fake graphql-ws client: records each subscription by operation name and lets the test push
 * `next` messages to them, as the server would over the WebSocket.
 */
export function fakeSubscriptions() {
  const active: { operationName: string; variables: Record<string, unknown>; sink: SubscriptionSink }[] = [];
  const subscribe = (payload: { query: string; variables?: Record<string, unknown> | null }, sink: SubscriptionSink) => {
    const operationName = /subscription\s+(\w+)/.exec(payload.query)?.[1] ?? '';
    const entry = { operationName, variables: payload.variables ?? {}, sink };
    active.push(entry);
    return () => {
      active.splice(active.indexOf(entry), 1);
    };
  };
  const client = {
    subscribe,
    on: () => () => undefined,
    dispose: () => undefined,
    terminate: () => undefined,
  } as unknown as WsClient;
  return {
    client,
    /** Variables of every live subscription named `operationName`. */
    subscribed: (operationName: string) => active.filter((a) => a.operationName === operationName).map((a) => a.variables),
    /** Send `data` to the live subscriptions named `operationName` whose variables match `where`. */
    push(operationName: string, data: unknown, where: Record<string, unknown> = {}) {
      for (const entry of [...active]) {
        const matches = Object.entries(where).every(([key, value]) => entry.variables[key] === value);
        if (entry.operationName === operationName && matches) entry.sink.next({ data });
      }
    },
  };
}
