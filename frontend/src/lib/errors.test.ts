import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { describeError, messageForCode, normalizeError, userErrorMessages } from './errors';

describe('normalizeError', () => {
  it('takes the code from the first GraphQL error and words it for shoppers', () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } },
        { message: 'second', extensions: { code: 'OTHER' } },
      ],
    });

    expect(normalizeError(error)).toEqual({
      code: 'UNAUTHENTICATED',
      message: 'Please sign in to continue.',
      retryAfter: null,
    });
  });

  it("keeps the server's message for a code it has no wording for", () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'The catalog is resting', extensions: { code: 'SOMETHING_NEW' } }],
    });

    expect(normalizeError(error)).toEqual({ code: 'SOMETHING_NEW', message: 'The catalog is resting', retryAfter: null });
  });

  it('reads retryAfter from the error extensions', () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 3 } }],
    });

    expect(normalizeError(error)).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3 });
  });

  it('falls back to the Retry-After header when the extensions have none', () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED' } }],
      response: new Response(null, { status: 200, headers: { 'Retry-After': '7' } }),
    });

    expect(normalizeError(error).retryAfter).toBe(7);
  });

  it('uses UNKNOWN when the server sent no code', () => {
    const error = new CombinedError({ graphQLErrors: [{ message: 'Boom' }] });

    expect(normalizeError(error)).toEqual({ code: 'UNKNOWN', message: 'Boom', retryAfter: null });
  });

  it('reports a network failure without leaking the transport message', () => {
    const error = new CombinedError({ networkError: new TypeError('Failed to fetch') });

    const normalized = normalizeError(error);

    expect(normalized.code).toBe('NETWORK_ERROR');
    expect(normalized.message).toMatch(/cannot reach the server/i);
    expect(normalized.message).not.toContain('Failed to fetch');
    expect(normalized.retryAfter).toBeNull();
  });

  it('recognises an HTTP 429 and its Retry-After date', () => {
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const error = new CombinedError({
      networkError: new Error('Too Many Requests'),
      response: new Response(null, { status: 429, headers: { 'Retry-After': inTenSeconds } }),
    });

    const normalized = normalizeError(error);

    expect(normalized.code).toBe('RATE_LIMITED');
    expect(normalized.retryAfter).toBeGreaterThanOrEqual(9);
    expect(normalized.retryAfter).toBeLessThanOrEqual(10);
  });
});

describe('error-code messages', () => {
  it.each([
    ['RATE_LIMITED', /too many requests/i],
    ['SOLD_OUT', /sold out/i],
    ['NOT_STARTED', /not started/i],
    ['ENDED', /has ended/i],
    ['ALREADY_PURCHASED', /already bought/i],
    ['LIMIT_EXCEEDED', /limit per shopper/i],
    ['INSUFFICIENT_STOCK', /not enough stock/i],
    ['CART_EMPTY', /cart is empty/i],
    ['PRODUCT_UNAVAILABLE', /no longer available/i],
    ['INVALID_CREDENTIALS', /wrong email or password/i],
    ['EMAIL_TAKEN', /already exists/i],
    ['PASSWORD_TOO_SHORT', /at least 8 characters/i],
    ['INVALID_STATE', /no longer possible/i],
    ['FORBIDDEN', /not allowed/i],
    ['INTERNAL_SERVER_ERROR', /went wrong on our side/i],
    ['PAYMENT_PROVIDER_ERROR', /payment service/i],
    ['PASSWORD_TOO_LONG', /at most 128/i],
    ['PASSWORD_TOO_SIMILAR', /too similar/i],
    ['INVALID_TOKEN', /sign in again/i],
    ['NOT_FOUND', /could not find/i],
    ['REQUIRED', /fill in/i],
    ['FILE_TOO_LARGE', /too large/i],
    ['UNSUPPORTED_FILE_TYPE', /not supported/i],
    ['UNAUTHENTICATED', /sign in/i],
    ['QUERY_TOO_COMPLEX', /too large/i],
  ])('words %s for shoppers', (code, wording) => {
    expect(messageForCode(code, 'server text')).toMatch(wording);
  });

  it("uses the server's message where it carries the detail (validation)", () => {
    expect(messageForCode('INVALID', 'Quantity must be at least 1')).toBe('Quantity must be at least 1');
    expect(messageForCode('BAD_USER_INPUT', 'Invalid Product id')).toBe('Invalid Product id');
  });

  it('tells how long to wait when rate limited', () => {
    const error = new CombinedError({
      graphQLErrors: [{ message: 'Slow down', extensions: { code: 'RATE_LIMITED', retryAfter: 3 } }],
    });

    expect(describeError(normalizeError(error))).toBe('Too many requests. Please wait a moment. Try again in 3 s.');
  });

  it('turns userErrors into distinct sentences', () => {
    expect(
      userErrorMessages([
        { field: ['password'], message: 'too short', code: 'PASSWORD_TOO_SHORT' },
        { field: ['password'], message: 'too short again', code: 'PASSWORD_TOO_SHORT' },
        { field: ['email'], message: 'Enter a valid email address', code: 'INVALID' },
      ]),
    ).toEqual(['The password is too short: use at least 8 characters.', 'Enter a valid email address']);
  });
});
