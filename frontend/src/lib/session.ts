// The session: the access and refresh tokens, kept in localStorage so a reload (or another tab)
// keeps the shopper signed in. Pure state with listeners; React reads it through session-context.

export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** What the token refresh needs from the session (see refresh-queue.ts). */
export interface TokenStore {
  getAccessToken: () => string | null;
  getRefreshToken: () => string | null;
  /** The same session, new tokens (after a refresh). */
  setTokens: (tokens: Tokens) => void;
  /** Forget both tokens: signed out. */
  clear: () => void;
}

export interface SessionSnapshot {
  signedIn: boolean;
  /** Changes whenever the person behind the session may have changed (sign-in, sign-out), not on refresh. */
  generation: number;
}

export interface Session extends TokenStore {
  signIn: (tokens: Tokens) => void;
  signOut: () => void;
  getSnapshot: () => SessionSnapshot;
  /** Called on sign-in and sign-out, here or in another tab. */
  subscribe: (listener: () => void) => () => void;
  /** Called whenever the access token changes, refreshes included. */
  onTokenChange: (listener: () => void) => () => void;
}

export interface SessionOptions {
  /** localStorage in the browser; anything with the same three methods in tests. */
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null;
  accessKey: string;
  refreshKey: string;
  /** Where `storage` events of other tabs arrive (window in the browser). */
  events?: Pick<Window, 'addEventListener'>;
}

/** Storage that may be missing or throw (privacy modes) degrades to memory for this page. */
function safeStorage(storage: SessionOptions['storage']) {
  const memory = new Map<string, string>();
  return {
    get(key: string): string | null {
      try {
        return storage ? storage.getItem(key) : (memory.get(key) ?? null);
      } catch {
        return memory.get(key) ?? null;
      }
    },
    set(key: string, value: string): void {
      memory.set(key, value);
      try {
        storage?.setItem(key, value);
      } catch {
        // keep the memory copy
      }
    },
    remove(key: string): void {
      memory.delete(key);
      try {
        storage?.removeItem(key);
      } catch {
        // nothing to forget
      }
    },
  };
}

export function createSession({ storage, accessKey, refreshKey, events }: SessionOptions): Session {
  const store = safeStorage(storage);
  const listeners = new Set<() => void>();
  const tokenListeners = new Set<() => void>();
  const isSignedIn = () => store.get(refreshKey) !== null || store.get(accessKey) !== null;
  let snapshot: SessionSnapshot = { signedIn: isSignedIn(), generation: 0 };

  const notifyTokens = () => {
    for (const listener of [...tokenListeners]) listener();
  };
  const newGeneration = () => {
    snapshot = { signedIn: isSignedIn(), generation: snapshot.generation + 1 };
    for (const listener of [...listeners]) listener();
  };

  // Another tab signed in, out, or refreshed: our reads already see its tokens; tell the listeners.
  events?.addEventListener('storage', (event) => {
    if (event.key !== null && event.key !== accessKey && event.key !== refreshKey) return;
    notifyTokens();
    if (isSignedIn() !== snapshot.signedIn || event.key === null) newGeneration();
  });

  const session: Session = {
    getAccessToken: () => store.get(accessKey),
    getRefreshToken: () => store.get(refreshKey),
    setTokens({ accessToken, refreshToken }) {
      store.set(accessKey, accessToken);
      store.set(refreshKey, refreshToken);
      notifyTokens();
    },
    clear() {
      const wasSignedIn = isSignedIn();
      store.remove(accessKey);
      store.remove(refreshKey);
      if (wasSignedIn) {
        notifyTokens();
        newGeneration();
      }
    },
    signIn(tokens) {
      session.setTokens(tokens);
      newGeneration();
    },
    signOut() {
      session.clear();
    },
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onTokenChange(listener) {
      tokenListeners.add(listener);
      return () => tokenListeners.delete(listener);
    },
  };
  return session;
}

/** A session kept in memory only: for tests and for places without a browser. */
export function createMemorySession(initial: { accessToken?: string; refreshToken?: string } = {}): Session {
  const values = new Map<string, string>();
  if (initial.accessToken !== undefined) values.set('access', initial.accessToken);
  if (initial.refreshToken !== undefined) values.set('refresh', initial.refreshToken);
  const storage = {
    getItem: (key: string) => values.get(key) ?? null,
    setItem: (key: string, value: string) => {
      values.set(key, value);
    },
    removeItem: (key: string) => {
      values.delete(key);
    },
  };
  return createSession({ storage, accessKey: 'access', refreshKey: 'refresh' });
}
