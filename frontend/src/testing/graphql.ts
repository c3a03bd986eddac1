import { vi } from 'vitest';

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
