import type { CombinedError } from '@urql/core';
import type { ErrorCode } from '@/gql/graphql';

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
// top-level code has an entry (the Record type makes a new code a compile error until it is worded).
// Codes whose server message carries the detail (which field, which rule) map to null: the server's
// message is shown, and the API writes those for people too. An unknown code also shows it.
const messages: Record<ErrorCode | TopLevelCode, string | null> = {
  // top level
  UNAUTHENTICATED: 'Please sign in to continue.',
  FORBIDDEN: 'Your account is not allowed to do that.',
  RATE_LIMITED: 'Too many requests. Please wait a moment.',
  QUERY_TOO_COMPLEX: 'That request was too large. Try narrowing it down.',
  BAD_USER_INPUT: null,
  SERVICE_UNAVAILABLE: 'The shop is busy right now.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Please try again.',
  NETWORK_ERROR: 'Cannot reach the server. Check your connection and try again.',
  // userErrors
  INVALID: null,
  REQUIRED: 'Please fill in this field.',
  NOT_FOUND: 'We could not find that. It may have been removed.',
  UNIQUE: null,
  INVALID_STATE: 'That is no longer possible: its status has changed. Reload to see the latest.',
  EMAIL_TAKEN: 'An account with this email already exists. Sign in instead?',
  INVALID_CREDENTIALS: 'Wrong email or password.',
  PASSWORD_TOO_SHORT: 'The password is too short: use at least 8 characters.',
  PASSWORD_TOO_LONG: 'The password is too long: use at most 128 characters.',
  PASSWORD_TOO_SIMILAR: 'The password is too similar to your email. Choose another one.',
  INVALID_TOKEN: 'Your session has ended. Please sign in again.',
  TOKEN_EXPIRED: 'This link has expired. Ask for a new one.',
  EMAIL_NOT_VERIFIED: 'Verify your email address to take part in this sale.',
  ACCOUNT_DISABLED: 'This account has been deactivated. Contact support to restore it.',
  ALREADY_REQUESTED: 'This order already has an open refund request.',
  INSUFFICIENT_STOCK: 'Not enough stock left for that quantity.',
  PRODUCT_UNAVAILABLE: 'This product is no longer available.',
  CART_EMPTY: 'Your cart is empty. Add something first.',
  NOT_STARTED: 'This flash sale has not started yet.',
  ENDED: 'This flash sale has ended.',
  SOLD_OUT: 'Sold out: every unit of this flash sale is taken.',
  ALREADY_PURCHASED: 'You already bought this flash sale item.',
  LIMIT_EXCEEDED: 'That is more than the limit per shopper for this sale.',
  FILE_TOO_LARGE: 'That file is too large.',
  UNSUPPORTED_FILE_TYPE: 'That file type is not supported.',
  CATEGORY_NOT_EMPTY: null, // the server says what is still in the category
  PAYMENT_PROVIDER_ERROR: 'The payment service did not answer. Please try again in a moment.',
  NOT_ADMITTED: 'This sale admits shoppers from its waiting room: wait for your turn.',
  NOT_IN_JOIN_WINDOW: 'The waiting room of this sale is not open for joining now.',
  NOT_WAITING_ROOM: 'This sale has no waiting room: buy when it starts.',
  ADDRESS_REQUIRED: 'Choose a shipping address first.',
};

/** The shopper-facing sentence for an error code, or `fallback` (the server's message) when we have none. */
export function messageForCode(code: string, fallback: string): string {
  return (messages as Partial<Record<string, string | null>>)[code] ?? fallback;
}

/** "Too many requests. Please wait a moment. Try again in 3 s." — one line for toasts and inline alerts. */
export function describeError({ message, retryAfter }: Pick<NormalizedError, 'message' | 'retryAfter'>): string {
  return retryAfter === null ? message : `${message} Try again in ${String(retryAfter)} s.`;
}

/** SERVICE_UNAVAILABLE (Redis or the database is down): the server says when to try again. */
export const BUSY_CODE = 'SERVICE_UNAVAILABLE';

/** What a view that retries by itself shows while it waits: "Busy, retrying in 3 s". */
export function busyRetryMessage(seconds: number): string {
  return `Busy, retrying in ${String(seconds)} s`;
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

const NETWORK_MESSAGE = messages.NETWORK_ERROR ?? '';

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
    message: rateLimited ? messageForCode('RATE_LIMITED', '') : NETWORK_MESSAGE,
    retryAfter: retryAfterHeader(error),
  };
}
