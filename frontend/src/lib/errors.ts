import type { CombinedError } from '@urql/core';
import type { ErrorCode } from '@/gql/graphql';
import { i18n } from '@/lib/i18n';
import type commonEn from '@/locales/en/common.json';

export interface NormalizedError {
  /** `extensions.code` of the first GraphQL error, or NETWORK_ERROR / RATE_LIMITED / UNKNOWN. */
  code: string;
  /** What to tell the shopper: our wording for a known code, else the server's message. */
  message: string;
  /** Seconds to wait before trying again, when the server said so. */
  retryAfter: number | null;
}

/** Codes of top-level GraphQL errors (`extensions.code`) and of the transport. */
export type TopLevelCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'RATE_LIMITED'
  | 'QUERY_TOO_COMPLEX'
  | 'BAD_USER_INPUT'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK_ERROR';

// The one place that words errors for shoppers: every code of the schema's ErrorCode enum and every
// top-level code has an entry (the Record type makes a new code a compile error until it is worded
// in src/locales/<language>/common.json under `errors`). Codes whose server message carries the
// detail (which field, which rule) map to null: the server's message is shown. The API writes those
// for people, in the page's language: the GraphQL client sends `Accept-Language` with the language
// shown (graphql-client.ts) and the API answers userErrors and its BAD_USER_INPUT messages in
// English or 简体中文 accordingly (the codes stay the same). An unknown code also shows the message.
type ErrorKey = Exclude<keyof typeof commonEn.errors, 'tryAgainIn' | 'busyRetrying'>;
const messages: Record<ErrorCode | TopLevelCode, ErrorKey | null> = {
  // top level
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  RATE_LIMITED: 'RATE_LIMITED',
  QUERY_TOO_COMPLEX: 'QUERY_TOO_COMPLEX',
  BAD_USER_INPUT: null,
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  NETWORK_ERROR: 'NETWORK_ERROR',
  // userErrors
  INVALID: null,
  REQUIRED: 'REQUIRED',
  NOT_FOUND: 'NOT_FOUND',
  UNIQUE: null,
  INVALID_STATE: 'INVALID_STATE',
  EMAIL_TAKEN: 'EMAIL_TAKEN',
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  PASSWORD_TOO_SHORT: 'PASSWORD_TOO_SHORT',
  PASSWORD_TOO_LONG: 'PASSWORD_TOO_LONG',
  PASSWORD_TOO_SIMILAR: 'PASSWORD_TOO_SIMILAR',
  INVALID_TOKEN: 'INVALID_TOKEN',
  TOKEN_EXPIRED: 'TOKEN_EXPIRED',
  EMAIL_NOT_VERIFIED: 'EMAIL_NOT_VERIFIED',
  ACCOUNT_DISABLED: 'ACCOUNT_DISABLED',
  ALREADY_REQUESTED: 'ALREADY_REQUESTED',
  INSUFFICIENT_STOCK: 'INSUFFICIENT_STOCK',
  PRODUCT_UNAVAILABLE: 'PRODUCT_UNAVAILABLE',
  CART_EMPTY: 'CART_EMPTY',
  NOT_STARTED: 'NOT_STARTED',
  ENDED: 'ENDED',
  SOLD_OUT: 'SOLD_OUT',
  ALREADY_PURCHASED: 'ALREADY_PURCHASED',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  FILE_TOO_LARGE: 'FILE_TOO_LARGE',
  UNSUPPORTED_FILE_TYPE: 'UNSUPPORTED_FILE_TYPE',
  CATEGORY_NOT_EMPTY: null, // the server says what is still in the category
  PAYMENT_PROVIDER_ERROR: 'PAYMENT_PROVIDER_ERROR',
  NOT_ADMITTED: 'NOT_ADMITTED',
  NOT_IN_JOIN_WINDOW: 'NOT_IN_JOIN_WINDOW',
  NOT_WAITING_ROOM: 'NOT_WAITING_ROOM',
  ADDRESS_REQUIRED: 'ADDRESS_REQUIRED',
};

/** The shopper-facing sentence for an error code, or `fallback` (the server's message) when we have none. */
export function messageForCode(code: string, fallback: string): string {
  const key = (messages as Partial<Record<string, ErrorKey | null>>)[code];
  return key ? i18n.t(`errors.${key}`) : fallback;
}

/** "Too many requests. Please wait a moment. Try again in 3 s." — one line for toasts and inline alerts. */
export function describeError({ message, retryAfter }: Pick<NormalizedError, 'message' | 'retryAfter'>): string {
  return retryAfter === null ? message : `${message} ${tryAgainIn(retryAfter)}`;
}

/** SERVICE_UNAVAILABLE (Redis or the database is down): the server says when to try again. */
export const BUSY_CODE = 'SERVICE_UNAVAILABLE';

/** What a view that retries by itself shows while it waits: "Busy, retrying in 3 s". */
export function busyRetryMessage(seconds: number): string {
  return i18n.t('errors.busyRetrying', { seconds });
}

/** "Try again in 3 s." */
export function tryAgainIn(seconds: number): string {
  return i18n.t('errors.tryAgainIn', { seconds });
}

export interface UserErrorLike {
  field?: readonly string[] | null;
  message: string;
  code: string;
}

/** A mutation's userErrors as shopper-facing sentences (duplicates dropped). */
export function userErrorMessages(errors: readonly UserErrorLike[]): string[] {
  return [...new Set(errors.map((error) => messageForCode(error.code, error.message)))];
}

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
    const known = typeof code === 'string' && code !== '' ? code : 'UNKNOWN';
    return {
      code: known,
      message: messageForCode(known, first.message),
      retryAfter: toSeconds(retryAfter) ?? retryAfterHeader(error),
    };
  }
  const rateLimited = error.response instanceof Response && error.response.status === 429;
  return {
    code: rateLimited ? 'RATE_LIMITED' : 'NETWORK_ERROR',
    message: messageForCode(rateLimited ? 'RATE_LIMITED' : 'NETWORK_ERROR', ''),
    retryAfter: retryAfterHeader(error),
  };
}
