import { describe, expect, it, vi } from 'vitest';
import { createRefreshQueue, RefreshRefused } from './refresh-queue';
import { createMemorySession, type Tokens } from './session';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createRefreshQueue', () => {
  it('runs one refresh for many concurrent failures; everyone waits for it and retries', async () => {
    const store = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const answer = deferred<Tokens>();
    const refresh = vi.fn(() => answer.promise);
    const queue = createRefreshQueue({ store, refresh });

    const outcomes = Array.from({ length: 20 }, () => queue.recover('a1'));
    await Promise.resolve();
    expect(refresh).toHaveBeenCalledOnce();
    expect(refresh).toHaveBeenCalledWith('r1');

    answer.resolve({ accessToken: 'a2', refreshToken: 'r2' });

    expect(await Promise.all(outcomes)).toEqual(Array(20).fill('retry'));
    expect(refresh).toHaveBeenCalledOnce();
    expect(store.getAccessToken()).toBe('a2');
    expect(store.getRefreshToken()).toBe('r2');
  });

  it('does not refresh again for a failure that carried the token replaced a moment ago', async () => {
    const store = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const refresh = vi.fn(() => Promise.resolve({ accessToken: 'a2', refreshToken: 'r2' }));
    const queue = createRefreshQueue({ store, refresh });

    expect(await queue.recover('a1')).toBe('retry');
    // A request sent with a1 before the refresh answers only now.
    expect(await queue.recover('a1')).toBe('retry');

    expect(refresh).toHaveBeenCalledOnce();
  });

  it('refreshes again when the new token is refused too, with the rotated refresh token', async () => {
    const store = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const refresh = vi
      .fn<(token: string) => Promise<Tokens>>()
      .mockResolvedValueOnce({ accessToken: 'a2', refreshToken: 'r2' })
      .mockResolvedValueOnce({ accessToken: 'a3', refreshToken: 'r3' });
    const queue = createRefreshQueue({ store, refresh });

    await queue.recover('a1');
    await queue.recover('a2');

    expect(refresh.mock.calls).toEqual([['r1'], ['r2']]);
    expect(store.getAccessToken()).toBe('a3');
  });

  it('signs out everyone waiting when the server refuses the refresh token', async () => {
    const store = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const refresh = vi.fn(() => Promise.reject(new RefreshRefused()));
    const queue = createRefreshQueue({ store, refresh });

    const outcomes = await Promise.all([queue.recover('a1'), queue.recover('a1'), queue.recover('a1')]);

    expect(outcomes).toEqual(['signed-out', 'signed-out', 'signed-out']);
    expect(refresh).toHaveBeenCalledOnce();
    expect(store.getAccessToken()).toBeNull();
    expect(store.getRefreshToken()).toBeNull();
  });

  it('keeps the session when the refresh fails for another reason (network), and tries again next time', async () => {
    const store = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const refresh = vi
      .fn<(token: string) => Promise<Tokens>>()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce({ accessToken: 'a2', refreshToken: 'r2' });
    const queue = createRefreshQueue({ store, refresh });

    expect(await queue.recover('a1')).toBe('failed');
    expect(store.getRefreshToken()).toBe('r1');
    expect(await queue.recover('a1')).toBe('retry');
    expect(refresh).toHaveBeenCalledTimes(2);
  });

  it('signs out without calling the server when there is no refresh token', async () => {
    const store = createMemorySession({ accessToken: 'a1' });
    const refresh = vi.fn();
    const queue = createRefreshQueue({ store, refresh });

    expect(await queue.recover('a1')).toBe('signed-out');
    expect(refresh).not.toHaveBeenCalled();
    expect(store.getAccessToken()).toBeNull();
  });

  it('uses the tokens another tab stored while this one waited for the lock', async () => {
    const store = createMemorySession({ accessToken: 'a1', refreshToken: 'r1' });
    const refresh = vi.fn(() => Promise.resolve({ accessToken: 'never', refreshToken: 'never' }));
    // The other tab holds the lock, refreshes, and stores its result before releasing it.
    const withLock = async <T,>(task: () => Promise<T>) => {
      store.setTokens({ accessToken: 'a2-from-other-tab', refreshToken: 'r2-from-other-tab' });
      return task();
    };
    const queue = createRefreshQueue({ store, refresh, withLock });

    expect(await queue.recover('a1')).toBe('retry');
    expect(refresh).not.toHaveBeenCalled();
    expect(store.getAccessToken()).toBe('a2-from-other-tab');
  });
});
