import { createContext, use, useSyncExternalStore, type ReactNode } from 'react';
import type { Session, Tokens } from './session';

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ session, children }: { session: Session; children: ReactNode }) {
  return <SessionContext value={session}>{children}</SessionContext>;
}

export interface UseSession {
  signedIn: boolean;
  /** Changes on sign-in and sign-out (here or in another tab), not on token refresh. */
  generation: number;
  signIn: (tokens: Tokens) => void;
  signOut: () => void;
  getRefreshToken: () => string | null;
}

/** The current session, re-rendering on sign-in and sign-out. */
export function useSession(): UseSession {
  const session = use(SessionContext);
  if (!session) throw new Error('useSession needs a <SessionProvider>');
  const { signedIn, generation } = useSyncExternalStore(session.subscribe, session.getSnapshot);
  return {
    signedIn,
    generation,
    signIn: session.signIn,
    signOut: session.signOut,
    getRefreshToken: session.getRefreshToken,
  };
}
