import type { Tokens, TokenStore } from './session';

// Silent token refresh, one at a time. Refresh tokens rotate on every use and the server revokes
// the whole session when one is used twice, so two refreshes with the same token must never race:
// not between requests of this page (one promise in flight, everyone else waits for it) and not
// between tabs (an optional cross-tab lock, then a second look at the stored tokens).
// Pure: no urql, no DOM; the exchange in auth-exchange.ts and the tests drive it.

/**
 * - `retry`: a newer access token is stored; send the operation again.
 * - `signed-out`: the session is over (no refresh token, or the server refused it); tokens are cleared.
 * - `failed`: the refresh could not be done right now (network, server busy); the session is kept.
 */
export type RecoveryOutcome = 'retry' | 'signed-out' | 'failed';

export class RefreshRefused extends Error {
  constructor(message = 'The refresh token was refused') {
    super(message);
    this.name = 'RefreshRefused';
  }
}

export interface RefreshQueueOptions {
  store: TokenStore;
  /** Trade a refresh token for new tokens. Throw RefreshRefused when the server says no; anything else thrown counts as a transient failure. */
  refresh: (refreshToken: string) => Promise<Tokens>;
  /** Run `task` while holding a lock shared by every tab (Web Locks in the browser). Default: no lock. */
  withLock?: <T>(task: () => Promise<T>) => Promise<T>;
}

export interface RefreshQueue {
  /**
   * An operation sent with `failedToken` (null: sent without one) was answered UNAUTHENTICATED.
   * Resolves once the session is usable again, or known to be over.
   */
  recover(failedToken: string | null): Promise<RecoveryOutcome>;
}

const noLock = <T>(task: () => Promise<T>) => task();

export function createRefreshQueue({ store, refresh, withLock = noLock }: RefreshQueueOptions): RefreshQueue {
  let inFlight: Promise<RecoveryOutcome> | null = null;

  /** Someone (this page earlier, or another tab) already stored a token newer than the one refused. */
  const newerTokenStored = (failedToken: string | null) => {
    const current = store.getAccessToken();
    return current !== null && current !== failedToken;
  };

  async function run(failedToken: string | null): Promise<RecoveryOutcome> {
    return withLock(async () => {
      if (newerTokenStored(failedToken)) return 'retry';
      const refreshToken = store.getRefreshToken();
      if (!refreshToken) {
        store.clear();
        return 'signed-out';
      }
      try {
        store.setTokens(await refresh(refreshToken));
        return 'retry';
      } catch (error) {
        if (error instanceof RefreshRefused) {
          store.clear();
          return 'signed-out';
        }
        return 'failed';
      }
    });
  }

  return {
    recover(failedToken) {
      if (newerTokenStored(failedToken)) return Promise.resolve('retry');
      inFlight ??= run(failedToken).finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
  };
}
