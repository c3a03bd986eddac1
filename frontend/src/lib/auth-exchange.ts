import { makeOperation, type CombinedError, type Exchange, type Operation, type OperationResult } from '@urql/core';
import { empty, filter, fromPromise, fromValue, makeSubject, map, merge, mergeMap, pipe, share, takeUntil } from 'wonka';
import type { RecoveryOutcome } from './refresh-queue';

// Puts the bearer token on every query and mutation, and when the API answers UNAUTHENTICATED,
// asks the refresh queue to repair the session and sends the operation once more:
// with the new token after a refresh, or anonymously once the session is over
// (so public pages keep working for a visitor whose session expired).

export interface AuthExchangeOptions {
  getAccessToken: () => string | null;
  recover: (failedToken: string | null) => Promise<RecoveryOutcome>;
}

/** Operation context for requests that must go without a token (sign-in, sign-up, sign-out). */
export const withoutAuth = { flashmartAuth: 'skip' } as const;

interface AuthContext {
  flashmartAuth?: 'skip';
  /** The token this attempt carried (null: none). */
  flashmartSentToken?: string | null;
  /** Set on the one retry after a refresh. */
  flashmartRetried?: boolean;
}

const authContext = (operation: Operation) => operation.context as AuthContext;

export function isAuthError(error: CombinedError | undefined): boolean {
  if (!error) return false;
  if (error.graphQLErrors.some((e) => e.extensions.code === 'UNAUTHENTICATED')) return true;
  const response: unknown = error.response;
  return response instanceof Response && response.status === 401;
}

const handlesAuth = (operation: Operation) =>
  (operation.kind === 'query' || operation.kind === 'mutation') && authContext(operation).flashmartAuth !== 'skip';

function headersWithoutAuthorization(init: HeadersInit | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  new Headers(init).forEach((value, key) => {
    if (key !== 'authorization') headers[key] = value;
  });
  return headers;
}

function withToken(operation: Operation, token: string | null): Operation {
  const { fetchOptions } = operation.context;
  const base = (typeof fetchOptions === 'function' ? fetchOptions() : fetchOptions) ?? {};
  const headers = headersWithoutAuthorization(base.headers);
  if (token) headers.Authorization = `Bearer ${token}`;
  return makeOperation(operation.kind, operation, {
    ...operation.context,
    fetchOptions: { ...base, headers },
    flashmartSentToken: token,
  });
}

export function authExchange({ getAccessToken, recover }: AuthExchangeOptions): Exchange {
  return ({ forward }) =>
    (operations$) => {
      const shared$ = pipe(operations$, share);
      const retries = makeSubject<Operation>();

      const outgoing$ = pipe(
        merge([shared$, retries.source]),
        map((operation) => (handlesAuth(operation) ? withToken(operation, getAccessToken()) : operation)),
      );

      const repair = (result: OperationResult) => {
        const { operation } = result;
        const sentToken = authContext(operation).flashmartSentToken ?? null;
        // Torn down while we wait: the retry would answer nobody.
        const teardown$ = pipe(
          shared$,
          filter((op) => op.kind === 'teardown' && op.key === operation.key),
        );
        return pipe(
          fromPromise(recover(sentToken)),
          mergeMap((outcome) => {
            if (outcome === 'failed' || (outcome === 'signed-out' && sentToken === null)) return fromValue(result);
            retries.next(makeOperation(operation.kind, operation, { ...operation.context, flashmartRetried: true }));
            return empty;
          }),
          takeUntil(teardown$),
        );
      };

      return pipe(
        forward(outgoing$),
        mergeMap((result) => {
          const { operation } = result;
          const repairable =
            handlesAuth(operation) &&
            !authContext(operation).flashmartRetried &&
            isAuthError(result.error) &&
            // Anonymous and still anonymous: nothing a refresh could change.
            (authContext(operation).flashmartSentToken != null || getAccessToken() !== null);
          return repairable ? repair(result) : fromValue(result);
        }),
      );
    };
}
