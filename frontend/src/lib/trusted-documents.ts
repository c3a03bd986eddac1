import type { Exchange, Operation } from '@urql/core';
import { makeFetchBody, makeFetchOptions, makeFetchSource, makeFetchURL, type FetchBody } from '@urql/core/internal';
import { filter, merge, mergeMap, pipe, takeUntil } from 'wonka';

/*
 * Trusted documents (docs/security.md "Trusted documents"). Codegen gives every document of this
 * app an id, `sha256:<hex>` of its normalised text (`__meta__.documentId` on the generated
 * document), and writes id → text to `persisted-documents.json`, which the API loads. The app
 * sends the id instead of the text: `{ documentId, operationName, variables }`, over HTTP and in
 * the graphql-transport-ws `subscribe` payload. With TRUSTED_DOCUMENTS_ONLY on (production) the
 * API runs nothing else for visitors and shoppers.
 */

/** The id codegen gave this document, if it is one of the app's generated documents. */
export function documentIdOf(query: Operation['query']): string | undefined {
  const meta = (query as { __meta__?: { documentId?: unknown } }).__meta__;
  return typeof meta?.documentId === 'string' ? meta.documentId : undefined;
}

/** What the API receives for `operation`: its document's id instead of its text when it has one. */
export function requestBody(operation: Operation): FetchBody {
  const body = makeFetchBody(operation);
  const documentId = documentIdOf(operation.query);
  return documentId ? { ...body, query: undefined, documentId } : body;
}

/**
 * urql's `fetchExchange` with `requestBody` (built from urql's own fetch utilities): queries and
 * mutations as JSON POSTs (multipart with files) that carry the document's id and name, no text.
 */
export const trustedFetchExchange: Exchange =
  ({ forward }) =>
  (operations$) => {
    const fetched$ = pipe(
      operations$,
      filter((operation) => operation.kind === 'query' || operation.kind === 'mutation'),
      mergeMap((operation) => {
        const body = requestBody(operation);
        const url = makeFetchURL(operation, body);
        const torndown$ = pipe(
          operations$,
          filter((next) => next.kind === 'teardown' && next.key === operation.key),
        );
        return pipe(makeFetchSource(operation, url, makeFetchOptions(operation, body)), takeUntil(torndown$));
      }),
    );
    const forwarded$ = forward(
      pipe(
        operations$,
        filter((operation) => operation.kind === 'teardown' || operation.kind === 'subscription'),
      ),
    );
    return merge([fetched$, forwarded$]);
  };
