import { cacheExchange, Client, subscriptionExchange, type Exchange } from '@urql/core';
import type { Client as WsClient } from 'graphql-ws';
import { authExchange } from './auth-exchange';
import { busyRetryExchange } from './busy-retry-exchange';
import { currentLanguage } from './i18n';
import { createRefreshQueue, type RefreshQueue } from './refresh-queue';
import type { TokenStore } from './session';
import { requestBody, trustedFetchExchange } from './trusted-documents';

export interface GraphqlClientOptions {
  httpUrl: string;
  /** Where the tokens live; the exchange reads the access token per request. */
  tokens: Pick<TokenStore, 'getAccessToken'>;
  /** Repairs the session after UNAUTHENTICATED; one per app, shared by every client it creates. */
  refreshQueue?: RefreshQueue;
  /** Subscriptions go here; without it the client does queries and mutations only. */
  subscriptions?: WsClient;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
  /** The page's language, read for every request (`Accept-Language`); i18n's by default. */
  language?: () => string;
}

const noRefresh: RefreshQueue = createRefreshQueue({
  store: { getAccessToken: () => null, getRefreshToken: () => null, setTokens: () => undefined, clear: () => undefined },
  refresh: () => Promise.reject(new Error('no refresh configured')),
});

/**
 * The one GraphQL client: queries and mutations over HTTP with the bearer token, subscriptions over
 * graphql-ws. Codegen's documents travel by id, not text (`trusted-documents.ts`). Each HTTP request
 * says the language the page is shown in now (`Accept-Language: en` or `zh-CN`), so the messages
 * the API writes for people (userErrors, BAD_USER_INPUT) come in it, also after a language switch.
 */
export function createGraphqlClient({
  httpUrl,
  tokens,
  refreshQueue = noRefresh,
  subscriptions,
  fetch,
  language = currentLanguage,
}: GraphqlClientOptions): Client {
  const exchanges: Exchange[] = [
    cacheExchange,
    busyRetryExchange(), // queries answered SERVICE_UNAVAILABLE are sent again after retryAfter
    authExchange({ getAccessToken: () => tokens.getAccessToken(), recover: (token) => refreshQueue.recover(token) }),
    trustedFetchExchange,
  ];
  if (subscriptions) {
    exchanges.push(
      subscriptionExchange({
        forwardSubscription(_request, operation) {
          // graphql-ws insists on a `query` string: an empty one beside a `documentId` counts as none.
          const body = requestBody(operation);
          const input = { ...body, query: body.query ?? '' };
          return {
            subscribe(sink) {
              return { unsubscribe: subscriptions.subscribe(input, sink) };
            },
          };
        },
      }),
    );
  }
  return new Client({
    url: httpUrl,
    fetch,
    // urql 6 sends queries as GET by default; keep every operation a JSON POST
    // (uncacheable by proxies, and the API can insist on a non-simple content type against CSRF).
    preferGetMethod: false,
    // A function: called for each operation as it is sent (authExchange keeps these headers).
    fetchOptions: () => ({ headers: { 'Accept-Language': language() } }),
    exchanges,
  });
}
