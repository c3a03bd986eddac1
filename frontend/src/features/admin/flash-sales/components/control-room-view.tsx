import { Card, Result } from 'antd';
import { QueryState } from '@/components/query-state';
import { useControlRoom } from '../hooks/use-control-room';
import { AuditBody } from './audit-panel';
import { ControlRoom } from './control-room';

/** The control room of one sale: polls every second; the audit runs on arrival and on demand. */
export function ControlRoomView({ id }: { id: string }) {
  const room = useControlRoom(id);
  return (
    <QueryState loadingLabel="Loading control room" fetching={!room.loaded && !room.error} error={room.error}>
      {room.event ? (
        <>
          <ControlRoom
            event={room.event}
            stats={room.stats}
            queueDepth={room.queueDepth}
            workerAlive={room.workerAlive}
            series={room.series}
          />
          <Card title="Audit" style={{ marginTop: 16 }}>
            <AuditBody id={id} />
          </Card>
        </>
      ) : (
        <Result status="404" title="No such flash sale" />
      )}
    </QueryState>
  );
}
