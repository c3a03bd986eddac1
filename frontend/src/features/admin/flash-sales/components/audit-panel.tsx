import { Button, Modal } from 'antd';
import { useState } from 'react';
import { useQuery } from 'urql';
import { QueryState } from '@/components/query-state';
import { FlashSaleAuditQuery } from '../api/queries';
import { AuditResult } from './audit-result';

export function AuditBody({ id }: { id: string }) {
  const [{ data, fetching, error }, rerun] = useQuery({
    query: FlashSaleAuditQuery,
    variables: { id },
    requestPolicy: 'network-only',
  });
  const audit = data?.seckillEventAudit ?? null;
  return (
    <QueryState
      loadingLabel="Running audit"
      fetching={fetching}
      error={error}
      isEmpty={!audit}
      emptyDescription="This sale has nothing to audit yet"
    >
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
