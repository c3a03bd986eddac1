import { DevMailboxView } from '@/features/dev-mailbox/components/dev-mailbox-view';

export function DevMailboxRoute() {
  return <DevMailboxView />;
}
