import { useQuery } from 'urql';
import { useSession } from '@/lib/session-context';
import { ViewerQuery } from '../api/queries';

/** The signed-in user (null when signed out or while loading). */
export function useViewer() {
  const { signedIn } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: ViewerQuery, pause: !signedIn });
  return { viewer: signedIn ? (data?.me ?? null) : null, fetching: signedIn && fetching, error };
}
