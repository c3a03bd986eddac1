import { useParams } from 'react-router-dom';
import { FlashSaleFormView } from '@/features/admin/flash-sales/components/flash-sale-form-view';

export function AdminNewFlashSaleRoute() {
  return <FlashSaleFormView />;
}

export function AdminEditFlashSaleRoute() {
  const { eventId = '' } = useParams();
  return <FlashSaleFormView key={eventId} id={eventId} />;
}
