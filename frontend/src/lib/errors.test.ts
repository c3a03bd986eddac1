import { CombinedError } from '@urql/core';
import { describe, expect, it } from 'vitest';
import { normalizeError } from './errors';

describe('normalizeError', () => {
  it('takes code and message from the first GraphQL error', () => {
    const error = new CombinedError({
      graphQLErrors: [
        { message: 'This flash sale is sold out', extensions: { code: 'SOLD_OUT' } },
        { message: 'second', extensions: { code: 'OTHER' } },
      ],
    });

    expect(normalizeError(error)).toEqual({ code: 'SOLD_OUT', message: 'This flash sale is sold out', retryAfter: null });
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
