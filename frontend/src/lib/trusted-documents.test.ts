import { gql } from '@urql/core';
import { Kind } from 'graphql';
import type { Client as WsClient } from 'graphql-ws';
import { describe, expect, it, vi } from 'vitest';
import * as generated from '@/gql/graphql';
import { skeletonOf } from '../../build/document-skeleton';
import { fakeGraphqlFetch } from '@/testing/graphql';
import { createGraphqlClient } from './graphql-client';
import { createMemorySession } from './session';
import { createTokenRefresher, TokenRefreshMutation } from './token-refresh';
import { documentIdOf } from './trusted-documents';

const SHA256_ID = /^sha256:[0-9a-f]{64}$/;

// The storefront's live stock (features/seckill), as codegen generates it.
const LiveStockSubscription = generated.FlashSaleUpdatedDocument;

const sentBody = (fetch: ReturnType<typeof fakeGraphqlFetch>['fetch'], call = 0): Record<string, unknown> =>
  JSON.parse(fetch.mock.calls[call]?.[1]?.body as string) as Record<string, unknown>;

describe('trusted documents', () => {
  it('every generated operation carries its sha256 id', () => {
    const documents = Object.values(generated).filter(
      (value): value is typeof TokenRefreshMutation =>
        typeof value === 'object' &&
        value !== null &&
        'definitions' in value &&
        (value as typeof TokenRefreshMutation).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION),
    );
    expect(documents.length).toBeGreaterThan(20);
    for (const document of documents) expect(documentIdOf(document)).toMatch(SHA256_ID);
  });

  it('sends a generated document by its id, name and variables, without its text', async () => {
    const { fetch } = fakeGraphqlFetch({
      TokenRefresh: () => ({ data: { tokenRefresh: { accessToken: 'a', refreshToken: 'r', userErrors: [] } } }),
    });
    const client = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: createMemorySession(), fetch });

    const result = await client.mutation(TokenRefreshMutation, { refreshToken: 'r1' }).toPromise();

    expect(result.data?.tokenRefresh.accessToken).toBe('a');
    const body = sentBody(fetch);
    expect(body).toEqual({
      documentId: documentIdOf(TokenRefreshMutation),
      operationName: 'TokenRefresh',
      variables: { refreshToken: 'r1' },
    });
    expect(body.documentId).toMatch(SHA256_ID);
    expect(body).not.toHaveProperty('query');
  });

  it('works the same with the skeleton of each document that the build keeps (no selections)', async () => {
    const cart = { data: { cart: { __typename: 'Cart', id: 'c1', lines: [] } } };
    const added = { data: { cartAddItem: { __typename: 'CartAddItemPayload', cart: cart.data.cart, userErrors: [] } } };
    const { fetch, sent } = fakeGraphqlFetch({ Cart: () => cart, CartAddItem: () => added });
    const client = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: createMemorySession(), fetch });
    const CartQuery = skeletonOf(generated.CartDocument);
    const AddItem = skeletonOf(generated.CartAddItemDocument);

    expect((await client.query(CartQuery, {}).toPromise()).data).toEqual(cart.data);
    expect(sentBody(fetch)).toEqual({ documentId: documentIdOf(generated.CartDocument), operationName: 'Cart', variables: {} });
    // Cached: urql's document cache keys the skeleton by its printed name...
    expect((await client.query(CartQuery, {}).toPromise()).data).toEqual(cart.data);
    expect(sent.map((op) => op.operationName)).toEqual(['Cart']);
    // ...and a mutation whose answer names the Cart type clears it: typenames come from answers.
    await client.mutation(AddItem, { productId: 'p1', quantity: 1 }).toPromise();
    expect(sentBody(fetch, 1)).toMatchObject({ documentId: documentIdOf(generated.CartAddItemDocument), operationName: 'CartAddItem' });
    await client.query(CartQuery, {}).toPromise();
    expect(sent.map((op) => op.operationName)).toEqual(['Cart', 'CartAddItem', 'Cart']);
  });

  it('sends a document that codegen did not generate as text', async () => {
    const { fetch } = fakeGraphqlFetch({ Adhoc: () => ({ data: { serverTime: '2030-01-01T00:00:00Z' } }) });
    const client = createGraphqlClient({ httpUrl: 'http://shop.test/graphql', tokens: createMemorySession(), fetch });

    await client.query(gql`query Adhoc { serverTime }`, {}).toPromise();

    const body = sentBody(fetch);
    expect(body.query).toContain('query Adhoc');
    expect(body).not.toHaveProperty('documentId');
  });

  it('subscribes over graphql-ws by id, with the empty query graphql-ws insists on', () => {
    const subscribe = vi.fn(() => () => undefined);
    const client = createGraphqlClient({
      httpUrl: 'http://shop.test/graphql',
      tokens: createMemorySession(),
      subscriptions: { subscribe } as unknown as WsClient,
    });

    const subscription = client.subscription(LiveStockSubscription, { id: 'U2Vja2lsbEV2ZW50OjE=' }).subscribe(() => undefined);

    return vi.waitFor(() => {
      expect(subscribe).toHaveBeenCalledOnce();
      expect(subscribe.mock.calls[0]).toEqual([
        {
          documentId: documentIdOf(LiveStockSubscription),
          operationName: 'FlashSaleUpdated',
          query: '',
          variables: { id: 'U2Vja2lsbEV2ZW50OjE=' },
        },
        expect.anything(),
      ]);
      subscription.unsubscribe();
    });
  });

  it('refreshes the token by id too', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(() =>
      Promise.resolve(Response.json({ data: { tokenRefresh: { accessToken: 'a2', refreshToken: 'r2', userErrors: [] } } })),
    );

    const tokens = await createTokenRefresher({ httpUrl: 'http://shop.test/graphql', fetch })('r1');

    expect(tokens).toEqual({ accessToken: 'a2', refreshToken: 'r2' });
    expect(JSON.parse(fetch.mock.calls[0]?.[1]?.body as string)).toEqual({
      operationName: 'TokenRefresh',
      documentId: documentIdOf(TokenRefreshMutation),
      variables: { refreshToken: 'r1' },
    });
  });
});
