import { Card, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryState } from '@/components/query-state';
import { useControlRoom } from '../hooks/use-control-room';
import { AuditBody } from './audit-panel';
import { ControlRoom } from './control-room';

const AUDIT_EVERY_SECONDS = 15;

/** The control room of one sale: polls every second; the audit runs on arrival, every
 * AUDIT_EVERY_SECONDS and on demand, and says when it ran. */
export function ControlRoomView({ id }: { id: string }) {
  const room = useControlRoom(id);
  const { t } = useTranslation('console');
  return (
    <QueryState loadingLabel={t('controlRoom.loading')} fetching={!room.loaded && !room.error} error={room.error}>
      {room.event ? (
        <>
          <ControlRoom
            event={room.event}
            stats={room.stats}
            jobsDue={room.jobsDue}
            jobsScheduled={room.jobsScheduled}
            workerAlive={room.workerAlive}
            series={room.series}
          />
          <Card title={t('audit.card')} style={{ marginTop: 16 }}>
            <AuditBody id={id} refreshSeconds={AUDIT_EVERY_SECONDS} />
          </Card>
        </>
      ) : (
        <Result status="404" title={t('controlRoom.notFound')} />
      )}
    </QueryState>
  );
}
