import type { CombinedError } from '@urql/core';

export interface NormalizedError {
  /** `extensions.code` of the first GraphQL error, or NETWORK_ERROR / RATE_LIMITED / UNKNOWN. */
  code: string;
  message: string;
  /** Seconds to wait before trying again, when the server said so. */
  retryAfter: number | null;
}

const NETWORK_MESSAGE = 'Cannot reach the server. Check your connection and try again.';

function toSeconds(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value;
  if (typeof value !== 'string' || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds : null;
  // Retry-After may also be an HTTP date.
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

function retryAfterHeader(error: CombinedError): number | null {
  const response: unknown = error.response;
  if (response instanceof Response) return toSeconds(response.headers.get('Retry-After'));
  return null;
}

/** Turn urql's CombinedError into one plain value the UI can show. No side effects. */
export function normalizeError(error: CombinedError): NormalizedError {
  const [first] = error.graphQLErrors;
  if (first) {
    const { code, retryAfter } = first.extensions;
    return {
      code: typeof code === 'string' && code !== '' ? code : 'UNKNOWN',
      message: first.message,
      retryAfter: toSeconds(retryAfter) ?? retryAfterHeader(error),
    };
  }
  const rateLimited = error.response instanceof Response && error.response.status === 429;
  return {
    code: rateLimited ? 'RATE_LIMITED' : 'NETWORK_ERROR',
    message: rateLimited ? 'Too many requests. Please wait a moment.' : NETWORK_MESSAGE,
    retryAfter: retryAfterHeader(error),
  };
}
