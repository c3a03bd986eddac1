import { Trans, useTranslation } from 'react-i18next';
import { databaseId } from '@/utils/global-id';

/** A waiting-room sale's published draw seed and the command that re-runs its draw. */
export function DrawSeedNote({ saleId, seed }: { saleId: string; seed: string }) {
  const { t } = useTranslation('shop');
  return (
    <p className="fm-paragraph fm-secondary">
      <Trans
        t={t}
        i18nKey="room.seed"
        values={{ seed, command: `flashmart seckill verify-draw ${databaseId(saleId)}` }}
        components={{ code: <code className="fm-code" /> }}
      />
    </p>
  );
}
