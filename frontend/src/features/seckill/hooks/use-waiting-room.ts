import { useCallback, useState } from 'react';
import { useMutation, useSubscription } from 'urql';
import { describeError, messageForCode, normalizeError } from '@/lib/errors';
import { WaitingRoomJoinMutation } from '../api/mutations';
import { WaitingRoomUpdatedSubscription } from '../api/queries';
import type { RoomEntry } from '../utils/waiting-room';
import type { BuyError } from './use-seckill-buy';

/**
 * The shopper's place in a sale's waiting room: `waitingRoomJoin` (joining again gives the same
 * place back), then `waitingRoomUpdated` keeps it live. The last message stays on screen once the
 * server ends the subscription (grant used, turn missed, sale over). `firstAhead` is how many were
 * ahead when the shopper first saw their place, for the progress bar.
 */
export function useWaitingRoom(eventId: string) {
  const [{ fetching: joining }, join] = useMutation(WaitingRoomJoinMutation);
  const [joined, setJoined] = useState<RoomEntry | null>(null);
  const [errors, setErrors] = useState<BuyError[]>([]);
  const [{ data: live }] = useSubscription({
    query: WaitingRoomUpdatedSubscription,
    variables: { eventId },
    pause: joined === null,
  });
  const entry = live?.waitingRoomUpdated ?? joined;

  const [firstAhead, setFirstAhead] = useState<number | null>(null);
  if (firstAhead === null && entry?.ahead != null) setFirstAhead(entry.ahead);

  const enter = useCallback(async () => {
    setErrors([]);
    const result = await join({ eventId });
    if (result.error) {
      const error = normalizeError(result.error);
      setErrors([{ code: error.code, message: describeError(error) }]);
      return;
    }
    const payload = result.data?.waitingRoomJoin;
    setErrors(
      (payload?.userErrors ?? []).map((error) => ({ code: error.code, message: messageForCode(error.code, error.message) })),
    );
    if (payload?.entry) setJoined(payload.entry);
  }, [eventId, join]);

  return { join: enter, joining, entry, firstAhead, errors };
}
