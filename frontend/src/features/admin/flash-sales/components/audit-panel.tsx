import { Button, Modal, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatTime } from '@/utils/format';
import { useQuery } from 'urql';
import { QueryState } from '@/components/query-state';
import { FlashSaleAuditQuery } from '../api/queries';
import { AuditResult } from './audit-result';

/** One audit of the sale, with the time it ran: its figures are a snapshot, not live. With
 * `refreshSeconds`, it runs again that often (the control room beside the live figures). */
export function AuditBody({ id, refreshSeconds }: { id: string; refreshSeconds?: number }) {
  const { t } = useTranslation('console');
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
      loadingLabel={t('audit.running')}
      fetching={fetching && !audit}
      error={error}
      isEmpty={!audit}
      emptyDescription={t('audit.nothing')}
    >
      {checkedAt && (
        <Typography.Paragraph type="secondary">
          {refreshSeconds
            ? t('audit.checkedAtRepeating', { time: formatTime(checkedAt), seconds: refreshSeconds })
            : t('audit.checkedAt', { time: formatTime(checkedAt) })}
        </Typography.Paragraph>
      )}
      {audit && <AuditResult audit={audit} />}
      <Button size="small" style={{ marginTop: 12 }} onClick={() => rerun({ requestPolicy: 'network-only' })}>
        {t('audit.runAgain')}
      </Button>
    </QueryState>
  );
}

/** "Audit" button opening the audit of one sale in a dialog. */
export function AuditButton({ id, productName }: { id: string; productName: string }) {
  const { t } = useTranslation('console');
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button size="small" onClick={() => setOpen(true)} aria-label={t('audit.buttonNamed', { name: productName })}>
        {t('audit.button')}
      </Button>
      <Modal title={t('audit.dialogTitle', { name: productName })} open={open} onCancel={() => setOpen(false)} footer={null} destroyOnHidden>
        {open && <AuditBody id={id} />}
      </Modal>
    </>
  );
}
