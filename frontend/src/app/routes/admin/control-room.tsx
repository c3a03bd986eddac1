import { useParams } from 'react-router-dom';
import { ControlRoomView } from '@/features/admin/flash-sales/components/control-room-view';

export function AdminControlRoomRoute() {
  const { eventId = '' } = useParams();
  return <ControlRoomView id={eventId} />;
}
