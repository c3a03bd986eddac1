import { gql } from '@urql/core';
import { describe, expect, it, vi } from 'vitest';
import { createGraphqlClient } from './graphql-client';

const ServerTime = gql`
  query ServerTime {
    serverTime
  }
`;

function setup(token: string | null) {
  const fetch = vi.fn<typeof globalThis.fetch>(() =>
    Promise.resolve(Response.json({ data: { serverTime: '2030-01-01T00:00:00Z' } })),
  );
  const client = createGraphqlClient({
    httpUrl: 'http://shop.test/graphql',
    wsUrl: 'ws://shop.test/graphql',
    getToken: () => token,
    fetch,
  });
  return { client, fetch };
}

function sentRequest(fetch: ReturnType<typeof setup>['fetch']) {
  const [url, init] = fetch.mock.calls[0] ?? [];
  return { url, method: init?.method, headers: new Headers(init?.headers), body: init?.body };
}

describe('createGraphqlClient', () => {
  it('sends the stored token as a bearer Authorization header', async () => {
    const { client, fetch } = setup('secret-token');

    const result = await client.query(ServerTime, {}).toPromise();

    expect(result.data).toEqual({ serverTime: '2030-01-01T00:00:00Z' });
    expect(fetch).toHaveBeenCalledOnce();
    const request = sentRequest(fetch);
    expect(request.url).toBe('http://shop.test/graphql');
    expect(request.method).toBe('POST');
    expect(request.headers.get('Content-Type')).toBe('application/json');
    expect(request.headers.get('Authorization')).toBe('Bearer secret-token');
    expect(JSON.parse(request.body as string)).toMatchObject({ operationName: 'ServerTime', variables: {} });
  });

  it('sends no Authorization header without a token', async () => {
    const { client, fetch } = setup(null);

    await client.query(ServerTime, {}).toPromise();

    expect(sentRequest(fetch).headers.has('Authorization')).toBe(false);
  });
});
