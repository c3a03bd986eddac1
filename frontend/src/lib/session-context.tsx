import { createContext, use, useSyncExternalStore, type ReactNode } from 'react';
import type { RecoveryOutcome } from './refresh-queue';
import type { Session, Tokens } from './session';

/** Trade the refresh token for new tokens now (through the one refresh queue of the page). */
export type RefreshTokens = () => Promise<RecoveryOutcome>;

const noRefresh: RefreshTokens = () => Promise.resolve('failed');

const SessionContext = createContext<{ session: Session; refresh: RefreshTokens } | null>(null);

export function SessionProvider({
  session,
  refresh = noRefresh,
  children,
}: {
  session: Session;
  /** How `refreshTokens` renews the tokens; without it, it does nothing ("failed"). */
  refresh?: RefreshTokens;
  children: ReactNode;
}) {
  return <SessionContext value={{ session, refresh }}>{children}</SessionContext>;
}

export interface UseSession {
  signedIn: boolean;
  /** Changes on sign-in and sign-out (here or in another tab), not on token refresh. */
  generation: number;
  signIn: (tokens: Tokens) => void;
  signOut: () => void;
  getRefreshToken: () => string | null;
  /**
   * Get new tokens now, e.g. after the email was verified: access tokens say what was true when
   * they were issued, so a new one says "verified".
   */
  refreshTokens: RefreshTokens;
}

/** The current session, re-rendering on sign-in and sign-out. */
export function useSession(): UseSession {
  const context = use(SessionContext);
  if (!context) throw new Error('useSession needs a <SessionProvider>');
  const { session, refresh } = context;
  const { signedIn, generation } = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return {
    signedIn,
    generation,
    signIn: session.signIn,
    signOut: session.signOut,
    getRefreshToken: session.getRefreshToken,
    refreshTokens: refresh,
  };
}
