import { useQuery } from 'urql';
import { useSession } from '@/lib/session-context';
import { AdminViewerQuery } from '../api/queries';

/** Who is looking at the console (null for a visitor); the client is new for every sign-in. */
export function useAdminViewer() {
  const { signedIn } = useSession();
  const [{ data, fetching, error }] = useQuery({ query: AdminViewerQuery, pause: !signedIn });
  if (!signedIn) return { viewer: null, fetching: false, error: undefined };
  return { viewer: data?.me ?? null, fetching: fetching || (!data && !error), error };
}
