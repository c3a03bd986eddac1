import { makeOperation, type Exchange } from '@urql/core';
import { pipe, tap } from 'wonka';
import { BUSY_CODE, normalizeError } from './errors';

/** Times one query is sent again after SERVICE_UNAVAILABLE before its error stays. */
export const MAX_QUERY_RETRIES = 5;

// While Redis or the database is down the API answers SERVICE_UNAVAILABLE with `retryAfter`.
// A query so answered is sent again after that many seconds (while a view still watches it);
// its error still reaches the view meanwhile, which shows "Busy, retrying in N s" (QueryState).
// Mutations are never repeated here: one that met a timeout may have been applied. The flash-sale
// buy retries itself, visibly (use-seckill-buy), where the per-shopper limit makes that safe.
export function busyRetryExchange(): Exchange {
  return ({ client, forward }) =>
    (operations$) => {
      const retries = new Map<number, number>();
      return pipe(
        forward(operations$),
        tap(({ operation, error }) => {
          if (operation.kind !== 'query') return;
          if (!error) {
            retries.delete(operation.key);
            return;
          }
          const { code, retryAfter } = normalizeError(error);
          const done = retries.get(operation.key) ?? 0;
          if (code !== BUSY_CODE || done >= MAX_QUERY_RETRIES) return;
          retries.set(operation.key, done + 1);
          setTimeout(
            () => {
              const again = makeOperation(operation.kind, operation, { ...operation.context, requestPolicy: 'network-only' });
              client.reexecuteOperation(again);
            },
            Math.max(1, retryAfter ?? 1) * 1000,
          );
        }),
      );
    };
}
