import { gql } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { fakeGraphqlFetch, unauthenticated } from '@/testing/graphql';
import { createGraphqlClient } from './graphql-client';
import { withoutAuth } from './auth-exchange';
import { i18n, i18nReady } from './i18n';
import { createRefreshQueue, RefreshRefused } from './refresh-queue';
import { createMemorySession } from './session';

const ServerTime = gql`
  query ServerTime {
    serverTime
  }
`;
const Me = gql`
  query Me($n: Int) {
    me {
      id
    }
  }
`;
const Rename = gql`
  mutation Rename($name: String!) {
    productCreate(input: { name: $name }) {
      userErrors {
        message
      }
    }
  }
`;
const time = { data: { serverTime: '2030-01-01T00:00:00Z' } };

describe('createGraphqlClient', () => {
  it('sends the stored token as a bearer Authorization header in a JSON POST', async () => {
    const { fetch } = fakeGraphqlFetch({ ServerTime: () => time });
    const client = createGraphqlClient({
      httpUrl: 'http://shop.test/graphql',
      tokens: createMemorySession({ accessToken: 'secret-token' }),
      fetch,
    });

    const result = await client.query(ServerTime, {}).toPromise();

    expect(result.data).toEqual({ serverTime: '2030-01-01T00:00:00Z' });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe('http://shop.test/graphql');
    expect(init?.method).toBe('POST');
    const headers = new Headers(init?.headers);
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Authorization')).toBe('Bearer secret-token');
    expect(JSON.parse(init?.body as string)).toMatchObject({ operationName: 'ServerTime', variables: {} });
  });

  it('sends no Authorization header without a token, or when the operation asks for none', async () => {
    const { fetch, sent } = fakeGraphqlFetch({ ServerTime: () => time });
    const anonymous = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: createMemorySession(), fetch });
    const signedIn = createGraphqlClient({
      httpUrl: 'http://shop.test/graphql',
      tokens: createMemorySession({ accessToken: 'secret-token' }),
      fetch,
    });

    await anonymous.query(ServerTime, {}).toPromise();
    await signedIn.query(ServerTime, {}, withoutAuth).toPromise();

    expect(sent.map((op) => op.authorization)).toEqual([null, null]);
  });

  it("sends the page's language as Accept-Language and follows a switch without a new client", async () => {
    await i18nReady;
    const { fetch, sent } = fakeGraphqlFetch({
      ServerTime: () => time,
      Me: () => ({ data: { me: null } }),
      Rename: () => ({ data: { productCreate: { userErrors: [] } } }),
    });
    const client = createGraphqlClient({
      httpUrl: 'http://shop.test/graphql',
      tokens: createMemorySession({ accessToken: 'secret-token' }),
      fetch,
    });
    try {
      await i18n.changeLanguage('zh-CN');
      await client.query(ServerTime, {}).toPromise();
      await i18n.changeLanguage('en');
      await client.query(Me, { n: 1 }).toPromise();
      await i18n.changeLanguage('zh-CN');
      await client.mutation(Rename, { name: 'x' }).toPromise();
    } finally {
      await i18n.changeLanguage('en');
    }

    expect(sent.map((op) => [op.operationName, op.acceptLanguage, op.authorization])).toEqual([
      ['ServerTime', 'zh-CN', 'Bearer secret-token'],
      ['Me', 'en', 'Bearer secret-token'],
      ['Rename', 'zh-CN', 'Bearer secret-token'],
    ]);
  });
});

describe('silent token refresh through the client', () => {
  function setup({ refreshAnswer }: { refreshAnswer: 'ok' | 'refused' }) {
    const session = createMemorySession({ accessToken: 'old-access', refreshToken: 'refresh-1' });
    let refreshes = 0;
    const refreshQueue = createRefreshQueue({
      store: session,
      refresh: async (refreshToken) => {
        refreshes += 1;
        expect(refreshToken).toBe('refresh-1');
        await new Promise((resolve) => setTimeout(resolve, 10));
        if (refreshAnswer === 'refused') throw new RefreshRefused();
        return { accessToken: 'new-access', refreshToken: 'refresh-2' };
      },
    });
    const { fetch, sent } = fakeGraphqlFetch({
      Me: ({ authorization }) =>
        authorization === 'Bearer new-access' ? { data: { me: { __typename: 'User', id: 'VXNlcjox' } } } : unauthenticated,
      ServerTime: ({ authorization }) => (authorization === 'Bearer old-access' ? unauthenticated : time),
    });
    const client = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: session, refreshQueue, fetch });
    return { client, session, sent, refreshCount: () => refreshes };
  }

  it('refreshes once for many failed operations, stores the new tokens and retries each once', async () => {
    const { client, session, sent, refreshCount } = setup({ refreshAnswer: 'ok' });

    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => client.query(Me, { n }, { requestPolicy: 'network-only' }).toPromise()),
    );

    expect(refreshCount()).toBe(1);
    expect(results.every((result) => result.error === undefined && result.data !== undefined)).toBe(true);
    expect(session.getAccessToken()).toBe('new-access');
    expect(session.getRefreshToken()).toBe('refresh-2');
    expect(sent.filter((op) => op.authorization === 'Bearer old-access')).toHaveLength(5);
    expect(sent.filter((op) => op.authorization === 'Bearer new-access')).toHaveLength(5);
  });

  it('signs out when the refresh is refused, and retries public operations anonymously', async () => {
    const { client, session, sent, refreshCount } = setup({ refreshAnswer: 'refused' });

    const [me, serverTime] = await Promise.all([
      client.query(Me, {}).toPromise(),
      client.query(ServerTime, {}).toPromise(),
    ]);

    expect(refreshCount()).toBe(1);
    expect(session.getAccessToken()).toBeNull();
    expect(session.getRefreshToken()).toBeNull();
    expect(session.getSnapshot().signedIn).toBe(false);
    expect(serverTime.data).toEqual(time.data);
    expect(me.error?.graphQLErrors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(sent.filter((op) => op.authorization === null)).toHaveLength(2);
  });

  it('does not loop: an operation still refused after the refresh comes back as an error', async () => {
    const session = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    let refreshes = 0;
    const refreshQueue = createRefreshQueue({
      store: session,
      refresh: () => {
        refreshes += 1;
        return Promise.resolve({ accessToken: `a${String(refreshes + 1)}`, refreshToken: `r${String(refreshes + 1)}` });
      },
    });
    const { fetch, sent } = fakeGraphqlFetch({ Me: () => unauthenticated });
    const client = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: session, refreshQueue, fetch });

    const result = await client.query(Me, {}).toPromise();

    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(refreshes).toBe(1);
    expect(sent).toHaveLength(2);
  });
});
