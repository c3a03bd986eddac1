import { gql, type OperationResult } from '@urql/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { MAX_QUERY_RETRIES } from './busy-retry-exchange';
import { createGraphqlClient } from './graphql-client';
import { createMemorySession } from './session';

const ServerTime = gql`
  query ServerTime {
    serverTime
  }
`;
const Touch = gql`
  mutation Touch {
    serverTime
  }
`;
const busy = (retryAfter: number) => ({
  data: null,
  errors: [{ message: 'Service temporarily unavailable', extensions: { code: 'SERVICE_UNAVAILABLE', retryAfter } }],
});
const time = { data: { serverTime: '2030-01-01T00:00:00Z' } };

function client(handlers: Parameters<typeof fakeGraphqlFetch>[0]) {
  const { fetch, sent } = fakeGraphqlFetch(handlers);
  const graphql = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: createMemorySession(), fetch });
  return { graphql, sent };
}

describe('busyRetryExchange', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends a query answered SERVICE_UNAVAILABLE again after retryAfter, while it is watched', async () => {
    const answers = [busy(2), time];
    const { graphql, sent } = client({ ServerTime: () => answers.shift() });
    const results: OperationResult[] = [];
    const watching = graphql.query(ServerTime, {}).subscribe((result) => results.push(result));
    await vi.advanceTimersByTimeAsync(10);
    expect(results.at(-1)?.error?.graphQLErrors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    expect(sent).toHaveLength(1);

    await vi.advanceTimersByTimeAsync(1900);
    expect(sent).toHaveLength(1); // not before retryAfter
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(2);
    expect(results.at(-1)?.data).toEqual({ serverTime: '2030-01-01T00:00:00Z' });
    watching.unsubscribe();
  });

  it(`stops after ${String(MAX_QUERY_RETRIES)} retries`, async () => {
    const { graphql, sent } = client({ ServerTime: () => busy(1) });
    const watching = graphql.query(ServerTime, {}).subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync((MAX_QUERY_RETRIES + 5) * 1000);
    expect(sent).toHaveLength(MAX_QUERY_RETRIES + 1);
    watching.unsubscribe();
  });

  it('never repeats a mutation', async () => {
    const { graphql, sent } = client({ Touch: () => busy(1) });
    const result = await graphql.mutation(Touch, {}).toPromise();
    expect(result.error?.graphQLErrors[0]?.extensions.code).toBe('SERVICE_UNAVAILABLE');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toHaveLength(1);
  });
});
