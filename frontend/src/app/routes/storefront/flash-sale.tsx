import { useParams } from 'react-router-dom';
import { EmailVerificationView } from '@/features/account/components/email-verification-view';
import { useViewer } from '@/features/account/hooks/use-viewer';
import { FlashSaleView } from '@/features/seckill/components/flash-sale-view';
import { useTranslation } from 'react-i18next';

export function FlashSaleRoute() {
  const { eventId = '' } = useParams();
  const { viewer } = useViewer();
  const { t } = useTranslation('shop');
  return (
    <FlashSaleView
      key={eventId}
      eventId={eventId}
      emailVerified={viewer?.emailVerified ?? false}
      verification={<EmailVerificationView title={t('seckill.verifyToTakePart')} always />}
    />
  );
}
