import { useQuery } from 'urql';
import { useSession } from '@/lib/session-context';
import { ViewerQuery } from '../api/queries';

/**
 * The signed-in user (null when signed out or while loading), and whether signing up mails a
 * verification link (the shop's EMAIL_VERIFICATION).
 */
export function useViewer() {
  const { signedIn } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: ViewerQuery, pause: !signedIn });
  return {
    viewer: signedIn ? (data?.me ?? null) : null,
    verificationEnabled: data?.emailVerificationEnabled ?? false,
    fetching: signedIn && fetching,
    error,
  };
}
