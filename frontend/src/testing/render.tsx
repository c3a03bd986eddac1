import type { ReactElement } from 'react';
import type { Client as WsClient } from 'graphql-ws';
import { render } from '@testing-library/react';
import { App as AntdApp } from 'antd';
import { createMemoryRouter, RouterProvider, useLocation, type RouteObject } from 'react-router-dom';
import { Provider } from 'urql';
import { createGraphqlClient } from '@/lib/graphql-client';
import { createMemorySession, type Session } from '@/lib/session';
import { SessionProvider, type RefreshTokens } from '@/lib/session-context';
import { noSocket, SocketStatusProvider, watchSocket } from '@/lib/socket-status';

export interface RenderOptions {
  /** The network answer; the real client and exchanges run on top of it. */
  fetch?: typeof globalThis.fetch;
  session?: Session;
  /** Where the router starts. */
  url?: string;
  /** The route pattern `ui` is mounted at (e.g. "/products/:productId"); other routes render their path. */
  path?: string;
  extraRoutes?: RouteObject[];
  /**
   * A graphql-ws client for subscriptions (e.g. `fakeSubscriptions()`), whose socket status the
   * pages follow; none by default (then pages poll as if the socket were down).
   */
  subscriptions?: WsClient;
  /** What `useSession().refreshTokens` does (by default: nothing, "failed"). */
  refreshTokens?: RefreshTokens;
}

/** Render a view the way the app does: session, GraphQL client, antd App and a router. */
export function renderWithProviders(ui: ReactElement, options: RenderOptions = {}) {
  const session = options.session ?? createMemorySession({ accessToken: 'token', refreshToken: 'refresh' });
  const fetch =
    options.fetch ?? (() => Promise.reject(new Error('This test made a request it did not expect')));
  const client = createGraphqlClient({
    httpUrl: 'http://shop.test/graphql',
    tokens: session,
    fetch,
    subscriptions: options.subscriptions,
  });
  const socketStatus = options.subscriptions ? watchSocket(options.subscriptions) : noSocket;
  const url = options.url ?? '/';
  const router = createMemoryRouter(
    [
      { path: options.path ?? url.split('?')[0], element: ui },
      ...(options.extraRoutes ?? []),
      { path: '*', Component: CurrentPath },
    ],
    { initialEntries: [url] },
  );
  const result = render(
    <SessionProvider session={session} refresh={options.refreshTokens}>
      <SocketStatusProvider status={socketStatus}>
        <Provider value={client}>
          <AntdApp>
            <RouterProvider router={router} />
          </AntdApp>
        </Provider>
      </SocketStatusProvider>
    </SessionProvider>,
  );
  return { ...result, router, session, client };
}

/** Any other route: shows where navigation led, for assertions like `getByText('Now at /cart')`. */
function CurrentPath() {
  const { pathname, search } = useLocation();
  return (
    <p>
      Now at {pathname}
      {search}
    </p>
  );
}
