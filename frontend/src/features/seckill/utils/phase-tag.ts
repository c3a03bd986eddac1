import { i18n } from '@/lib/i18n';
import type { SalePhase } from './sale-state';

const phaseColor: Record<SalePhase, string> = {
  UPCOMING: 'blue',
  LIVE: 'green',
  SOLD_OUT: 'red',
  ENDED: 'default',
};

/** The tag of a sale's phase, the same on the list and the sale's page: "Live" / "抢购中" in green. */
export function phaseTag(phase: SalePhase): { label: string; color: string } {
  return { label: i18n.t(`shop:seckill.phase.${phase}`), color: phaseColor[phase] };
}
