import { cacheExchange, Client, fetchExchange, subscriptionExchange } from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';

export interface GraphqlClientOptions {
  httpUrl: string;
  wsUrl: string;
  getToken: () => string | null;
  /** Injected in tests; the browser's fetch otherwise. */
  fetch?: typeof fetch;
}

const bearer = (token: string) => `Bearer ${token}`;

/** The one GraphQL client: queries and mutations over HTTP, subscriptions over graphql-ws. */
export function createGraphqlClient({ httpUrl, wsUrl, getToken, fetch }: GraphqlClientOptions): Client {
  const ws = createWsClient({
    url: wsUrl,
    // Read on every (re)connect, so a new login is picked up.
    connectionParams: () => {
      const token = getToken();
      return token ? { authorization: bearer(token) } : {};
    },
  });

  return new Client({
    url: httpUrl,
    fetch,
    // urql 6 sends queries as GET by default; keep every operation a JSON POST
    // (uncacheable by proxies, and the API can insist on a non-simple content type against CSRF).
    preferGetMethod: false,
    fetchOptions: () => {
      const token = getToken();
      return token ? { headers: { Authorization: bearer(token) } } : {};
    },
    exchanges: [
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              return { unsubscribe: ws.subscribe(input, sink) };
            },
          };
        },
      }),
    ],
  });
}
