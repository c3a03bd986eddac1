import { useParams } from 'react-router-dom';
import { FlashSaleView } from '@/features/seckill/components/flash-sale-view';

export function FlashSaleRoute() {
  const { eventId = '' } = useParams();
  return <FlashSaleView key={eventId} eventId={eventId} />;
}
