import { createClient, type Client as WsClient } from 'graphql-ws';

export interface SubscriptionClientOptions {
  url: string;
  getAccessToken: () => string | null;
  /** Subscribe to token changes (refresh, sign-in, sign-out); returns an unsubscribe function. */
  onTokenChange: (listener: () => void) => () => void;
  /** A WebSocket class; the browser's by default (tests pass a fake). */
  webSocketImpl?: unknown;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** First retry quickly (a token change or a blip), then back off up to 30 s, with jitter. */
export function reconnectDelay(retries: number, random = Math.random): number {
  const base = retries === 0 ? 100 : Math.min(30_000, 1000 * 2 ** (retries - 1));
  return Math.round(base * (1 + random() / 2));
}

/**
 * The graphql-transport-ws client. The token travels in `connection_init`, which the server reads
 * once per connection, so a new token means a new connection: we drop the socket and graphql-ws
 * reconnects (and resubscribes every live subscription) with the fresh `connectionParams`.
 */
export function createSubscriptionClient({
  url,
  getAccessToken,
  onTokenChange,
  webSocketImpl,
}: SubscriptionClientOptions): WsClient {
  let connected = false;
  let connectedWith: string | null = null;
  const client = createClient({
    url,
    webSocketImpl,
    connectionParams: () => {
      const token = getAccessToken();
      connectedWith = token;
      return token ? { authorization: `Bearer ${token}` } : {};
    },
    retryAttempts: Infinity,
    shouldRetry: () => true,
    retryWait: (retries) => sleep(reconnectDelay(retries)),
    on: {
      connected: () => {
        connected = true;
      },
      closed: () => {
        connected = false;
      },
    },
  });
  onTokenChange(() => {
    if (connected && getAccessToken() !== connectedWith) client.terminate();
  });
  return client;
}
