import { stringifyDocument } from '@urql/core';
import { graphql } from '@/gql';
import { RefreshRefused } from './refresh-queue';
import type { Tokens } from './session';
import { documentIdOf } from './trusted-documents';

// The refresh goes around the urql client on purpose: it must never wait behind, or be retried
// by, the auth exchange whose failures it repairs.

export const TokenRefreshMutation = graphql(`
  mutation TokenRefresh($refreshToken: String!) {
    tokenRefresh(refreshToken: $refreshToken) {
      accessToken
      refreshToken
      userErrors {
        ...UserErrorFields
      }
    }
  }
`);

interface TokenRefreshResponse {
  data?: {
    tokenRefresh?: {
      accessToken: string | null;
      refreshToken: string | null;
      userErrors: { code: string }[];
    } | null;
  } | null;
  errors?: unknown[];
}

/** `tokenRefresh` over plain HTTP: new tokens, RefreshRefused when the server said no, any other error when unsure. */
export function createTokenRefresher({
  httpUrl,
  fetch = globalThis.fetch,
}: {
  httpUrl: string;
  fetch?: typeof globalThis.fetch;
}): (refreshToken: string) => Promise<Tokens> {
  // By id, as the client sends every generated document (trusted-documents.ts).
  const documentId = documentIdOf(TokenRefreshMutation);
  const document = documentId ? { documentId } : { query: stringifyDocument(TokenRefreshMutation) };
  return async (refreshToken) => {
    const response = await fetch(httpUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/graphql-response+json, application/json' },
      body: JSON.stringify({ operationName: 'TokenRefresh', ...document, variables: { refreshToken } }),
    });
    const body = (await response.json()) as TokenRefreshResponse;
    const payload = body.data?.tokenRefresh;
    if (payload?.accessToken && payload.refreshToken) {
      return { accessToken: payload.accessToken, refreshToken: payload.refreshToken };
    }
    if (payload && payload.userErrors.length > 0) throw new RefreshRefused();
    throw new Error(`Token refresh failed (HTTP ${String(response.status)})`);
  };
}
