import { Button, Modal, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { formatTime } from '@/utils/format';
import { useQuery } from 'urql';
import { QueryState } from '@/components/query-state';
import { FlashSaleAuditQuery } from '../api/queries';
import { AuditResult } from './audit-result';

/** One audit of the sale, with the time it ran: its figures are a snapshot, not live. With
 * `refreshSeconds`, it runs again that often (the control room beside the live figures). */
export function AuditBody({ id, refreshSeconds }: { id: string; refreshSeconds?: number }) {
  const [{ data, fetching, error }, rerun] = useQuery({
    query: FlashSaleAuditQuery,
    variables: { id },
    requestPolicy: 'network-only',
  });
  const audit = data?.seckillEventAudit ?? null;
  // A new answer is a new audit (network-only): it ran when the answer arrived.
  const checkedAt = useMemo(() => (data ? new Date().toISOString() : null), [data]);
  useEffect(() => {
    if (!refreshSeconds) return undefined;
    const timer = window.setInterval(() => rerun({ requestPolicy: 'network-only' }), refreshSeconds * 1000);
    return () => window.clearInterval(timer);
  }, [refreshSeconds, rerun]);
  return (
    <QueryState
      loadingLabel="Running audit"
      fetching={fetching && !audit}
      error={error}
      isEmpty={!audit}
      emptyDescription="This sale has nothing to audit yet"
    >
      {checkedAt && (
        <Typography.Paragraph type="secondary">
          Checked at {formatTime(checkedAt)}
          {refreshSeconds ? `; runs again every ${String(refreshSeconds)} s` : ''}
        </Typography.Paragraph>
      )}
      {audit && <AuditResult audit={audit} />}
      <Button size="small" style={{ marginTop: 12 }} onClick={() => rerun({ requestPolicy: 'network-only' })}>
        Run the audit again
      </Button>
    </QueryState>
  );
}

/** "Audit" button opening the audit of one sale in a dialog. */
export function AuditButton({ id, productName }: { id: string; productName: string }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={`Audit ${productName}`}>
        Audit
      </Button>
      <Modal title={`Audit: ${productName}`} open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        {open && <AuditBody id={id} />}
      </Modal>
    </>
  );
}
