import { createClient, type Client as WsClient } from 'graphql-ws';
import { currentLanguage, i18n } from './i18n';

export interface SubscriptionClientOptions {
  url: string;
  getAccessToken: () => string | null;
  /** Subscribe to token changes (refresh, sign-in, sign-out); returns an unsubscribe function. */
  onTokenChange: (listener: () => void) => () => void;
  /** A WebSocket class; the browser's by default (tests pass a fake). */
  webSocketImpl?: unknown;
  /** The page's language, sent in `connection_init`; i18n's by default. */
  language?: () => string;
  /** Subscribe to language switches; returns an unsubscribe function. i18n's by default. */
  onLanguageChange?: (listener: () => void) => () => void;
}

function onI18nLanguageChange(listener: () => void): () => void {
  i18n.on('languageChanged', listener);
  return () => i18n.off('languageChanged', listener);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** First retry quickly (a token change or a blip), then back off up to 30 s, with jitter. */
export function reconnectDelay(retries: number, random = Math.random): number {
  const base = retries === 0 ? 100 : Math.min(30_000, 1000 * 2 ** (retries - 1));
  return Math.round(base * (1 + random() / 2));
}

/**
 * The graphql-transport-ws client. The token and the page's language travel in `connection_init`
 * (the server writes its messages for people in that language, not the browser's), which the
 * server reads once per connection, so a new token or a language switch means a new connection:
 * we drop the socket and graphql-ws reconnects (and resubscribes every live subscription) with the
 * fresh `connectionParams`.
 */
export function createSubscriptionClient({
  url,
  getAccessToken,
  onTokenChange,
  webSocketImpl,
  language = currentLanguage,
  onLanguageChange = onI18nLanguageChange,
}: SubscriptionClientOptions): WsClient {
  let connected = false;
  let connectedWith: string | null = null;
  let connectedIn = '';
  const client = createClient({
    url,
    webSocketImpl,
    connectionParams: () => {
      const token = getAccessToken();
      connectedWith = token;
      connectedIn = language();
      return token ? { authorization: `Bearer ${token}`, language: connectedIn } : { language: connectedIn };
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
  onLanguageChange(() => {
    if (connected && language() !== connectedIn) client.terminate();
  });
  return client;
}
