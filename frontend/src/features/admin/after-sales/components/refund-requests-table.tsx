import { useState } from 'react';
import { Button, Flex, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { OrderStatusTag } from '@/components/order-status-tag';
import { RefundRequestTag } from '@/components/refund-request-tag';
import { paths } from '@/config/paths';
import type { AdminRefundRequestsQuery } from '@/gql/graphql';
import { formatDateTime, formatMoney } from '@/utils/format';

export type RefundRequestRow = AdminRefundRequestsQuery['refundRequests']['edges'][number]['node'];

export interface RefundRequestsTableProps {
  requests: readonly RefundRequestRow[];
  busy: boolean;
  onApprove: (id: string) => void;
  onRefund: (id: string) => void;
  /** Resolves true once declined (the dialog closes). */
  onDecline: (id: string, reason: string) => Promise<boolean>;
}

/** Refund requests with their order and the decisions each one allows now. */
export function RefundRequestsTable({ requests, busy, onApprove, onRefund, onDecline }: RefundRequestsTableProps) {
  const { t } = useTranslation('console');
  const [declining, setDeclining] = useState<RefundRequestRow | null>(null);
  const [reason, setReason] = useState('');
  const closeDecline = () => {
    setDeclining(null);
    setReason('');
  };
  return (
    <>
      <Table<RefundRequestRow>
        rowKey="id"
        dataSource={[...requests]}
        pagination={false}
        aria-label={t('afterSales.table.label')}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('afterSales.table.asked'), key: 'createdAt', render: (_, r) => formatDateTime(r.createdAt) },
          {
            title: t('afterSales.table.order'),
            key: 'order',
            render: (_, r) => (
              <Flex vertical>
                <Link to={paths.admin.order(r.order.id)}>{r.order.number}</Link>
                <span>
                  <OrderStatusTag status={r.order.status} /> {formatMoney(r.order.total)}
                </span>
              </Flex>
            ),
          },
          { title: t('afterSales.table.shopper'), key: 'shopper', render: (_, r) => r.order.user.displayName ?? r.order.user.email },
          { title: t('afterSales.table.type'), key: 'type', render: (_, r) => t(`refundType.${r.type}`) },
          { title: t('afterSales.table.state'), key: 'state', render: (_, r) => <RefundRequestTag state={r.state} /> },
          {
            title: t('afterSales.table.reason'),
            key: 'reason',
            render: (_, r) => (
              <Flex vertical style={{ maxWidth: 280 }}>
                <Typography.Text>{r.reason}</Typography.Text>
                {r.returnTrackingNumber && (
                  <Typography.Text type="secondary">
                    {t('afterSales.table.returnTracking', { number: r.returnTrackingNumber })}
                  </Typography.Text>
                )}
                {r.declineReason && (
                  <Typography.Text type="danger">{t('afterSales.table.declined', { reason: r.declineReason })}</Typography.Text>
                )}
              </Flex>
            ),
          },
          {
            title: t('afterSales.table.actions'),
            key: 'actions',
            render: (_, r) => (
              <Flex gap={8} wrap>
                {r.state === 'REQUESTED' && (
                  <Popconfirm
                    title={t('afterSales.table.approveConfirm')}
                    description={
                      r.order.status === 'PAID'
                        ? t('afterSales.table.approvePaid')
                        : t('afterSales.table.approveReturn')
                    }
                    okText={t('afterSales.table.approve')}
                    onConfirm={() => onApprove(r.id)}
                  >
                    <Button type="primary" size="small" disabled={busy}>
                      {t('afterSales.table.approve')}
                    </Button>
                  </Popconfirm>
                )}
                {r.state === 'APPROVED' && (
                  <Popconfirm
                    title={t('afterSales.table.refundConfirm')}
                    description={t('afterSales.table.refundDescription')}
                    okText={t('afterSales.table.refund')}
                    onConfirm={() => onRefund(r.id)}
                  >
                    <Button type="primary" size="small" disabled={busy || !r.returnTrackingNumber}>
                      {r.returnTrackingNumber ? t('afterSales.table.refundGoodsBack') : t('afterSales.table.waitingTracking')}
                    </Button>
                  </Popconfirm>
                )}
                {(r.state === 'REQUESTED' || r.state === 'APPROVED') && (
                  <Button danger size="small" disabled={busy} onClick={() => setDeclining(r)}>
                    {t('afterSales.table.decline')}
                  </Button>
                )}
              </Flex>
            ),
          },
        ]}
      />
      <Modal
        title={declining ? t('afterSales.table.declineTitle', { number: declining.order.number }) : ''}
        open={declining !== null}
        okText={t('afterSales.table.declineRequest')}
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy }}
        onCancel={closeDecline}
        onOk={() => {
          if (!declining) return;
          void onDecline(declining.id, reason.trim()).then((done) => {
            if (done) closeDecline();
          });
        }}
      >
        <label htmlFor="decline-reason">{t('afterSales.table.declineReason')}</label>
        <Input.TextArea id="decline-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}
