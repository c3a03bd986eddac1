import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Provider as UrqlProvider } from 'urql';
import { env } from '@/config/env';
import { createGraphqlClient } from '@/lib/graphql-client';
import { createRefreshQueue } from '@/lib/refresh-queue';
import { createSession } from '@/lib/session';
import { SessionProvider, useSession } from '@/lib/session-context';
import { SocketStatusProvider, watchSocket } from '@/lib/socket-status';
import { createSubscriptionClient } from '@/lib/subscription-client';
import { createTokenRefresher } from '@/lib/token-refresh';
import { webLock } from '@/lib/web-lock';

function createAuth() {
  const session = createSession({
    storage: window.localStorage,
    accessKey: env.accessTokenStorageKey,
    refreshKey: env.refreshTokenStorageKey,
    events: window,
  });
  const refreshQueue = createRefreshQueue({
    store: session,
    refresh: createTokenRefresher({ httpUrl: env.graphqlHttpUrl }),
    withLock: webLock(env.refreshLockName),
  });
  const subscriptions = createSubscriptionClient({
    url: env.graphqlWsUrl,
    getAccessToken: session.getAccessToken,
    onTokenChange: session.onTokenChange,
  });
  // A refresh asked for by the page (not by a refused request): the current token is the one to replace.
  const refreshTokens = () => refreshQueue.recover(session.getAccessToken());
  return { session, refreshQueue, refreshTokens, subscriptions, socketStatus: watchSocket(subscriptions) };
}

type Auth = ReturnType<typeof createAuth>;

/** A fresh urql client (and so an empty cache) whenever the person signed in changes. */
function GraphqlProvider({ auth, children }: { auth: Auth; children: ReactNode }) {
  const { generation } = useSession();
  const client = useMemo(
    () =>
      createGraphqlClient({
        httpUrl: env.graphqlHttpUrl,
        tokens: auth.session,
        refreshQueue: auth.refreshQueue,
        subscriptions: auth.subscriptions,
      }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- a new generation is the reason for a new client
    [auth, generation],
  );
  return <UrqlProvider value={client}>{children}</UrqlProvider>;
}

export function AppProvider({ children }: { children: ReactNode }) {
  // Lives as long as the page: the session, the one refresh queue and the websocket (with its status).
  const [auth] = useState(createAuth);
  useTranslation(); // re-render on a language change
  // No antd here: its ConfigProvider (the theme, src/config/theme.ts, and the language's antd
  // locale) wraps the routes that use antd (src/components/antd-scope.tsx, src/app/router.tsx),
  // so the shell and the flash-sale page load without antd. dayjs follows the language in
  // src/lib/dayjs.ts, with the console's date pickers. antd's App (the context of
  // `App.useApp()`'s message, notification and modal: ~10 KB gzipped) wraps only the pages that
  // show such messages (the account settings and address book, src/app/routes/storefront/account.tsx,
  // and the console's layout); the text colour, size and font it sets are in src/app/styles.css.
  return (
    <SessionProvider session={auth.session} refresh={auth.refreshTokens}>
      <SocketStatusProvider status={auth.socketStatus}>
        <GraphqlProvider auth={auth}>{children}</GraphqlProvider>
      </SocketStatusProvider>
    </SessionProvider>
  );
}
