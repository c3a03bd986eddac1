import { useState } from 'react';
import { Button, Flex, Input, Modal, Popconfirm, Table, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { OrderStatusTag } from '@/components/order-status-tag';
import { RefundRequestTag, refundType } from '@/components/refund-request-tag';
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
        aria-label="Refund requests"
        scroll={{ x: 'max-content' }}
        columns={[
          { title: 'Asked', key: 'createdAt', render: (_, r) => formatDateTime(r.createdAt) },
          {
            title: 'Order',
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
          { title: 'Shopper', key: 'shopper', render: (_, r) => r.order.user.displayName ?? r.order.user.email },
          { title: 'Type', key: 'type', render: (_, r) => refundType[r.type] },
          { title: 'State', key: 'state', render: (_, r) => <RefundRequestTag state={r.state} /> },
          {
            title: 'Reason',
            key: 'reason',
            render: (_, r) => (
              <Flex vertical style={{ maxWidth: 280 }}>
                <Typography.Text>{r.reason}</Typography.Text>
                {r.returnTrackingNumber && <Typography.Text type="secondary">Return: {r.returnTrackingNumber}</Typography.Text>}
                {r.declineReason && <Typography.Text type="danger">Declined: {r.declineReason}</Typography.Text>}
              </Flex>
            ),
          },
          {
            title: 'Actions',
            key: 'actions',
            render: (_, r) => (
              <Flex gap={8} wrap>
                {r.state === 'REQUESTED' && (
                  <Popconfirm
                    title="Approve this request?"
                    description={
                      r.order.status === 'PAID'
                        ? 'The money goes back to the shopper now and the units go back on sale.'
                        : 'The shopper sends the goods back; refund once they arrive.'
                    }
                    okText="Approve"
                    onConfirm={() => onApprove(r.id)}
                  >
                    <Button type="primary" size="small" disabled={busy}>
                      Approve
                    </Button>
                  </Popconfirm>
                )}
                {r.state === 'APPROVED' && (
                  <Popconfirm
                    title="Have the goods arrived?"
                    description="The money goes back to the shopper and the units go back on sale."
                    okText="Refund"
                    onConfirm={() => onRefund(r.id)}
                  >
                    <Button type="primary" size="small" disabled={busy || !r.returnTrackingNumber}>
                      {r.returnTrackingNumber ? 'Refund (goods back)' : 'Waiting for tracking'}
                    </Button>
                  </Popconfirm>
                )}
                {(r.state === 'REQUESTED' || r.state === 'APPROVED') && (
                  <Button danger size="small" disabled={busy} onClick={() => setDeclining(r)}>
                    Decline
                  </Button>
                )}
              </Flex>
            ),
          },
        ]}
      />
      <Modal
        title={declining ? `Decline the request of order ${declining.order.number}` : ''}
        open={declining !== null}
        okText="Decline request"
        okButtonProps={{ danger: true, disabled: !reason.trim(), loading: busy }}
        onCancel={closeDecline}
        onOk={() => {
          if (!declining) return;
          void onDecline(declining.id, reason.trim()).then((done) => {
            if (done) closeDecline();
          });
        }}
      >
        <label htmlFor="decline-reason">Reason (the shopper sees it)</label>
        <Input.TextArea id="decline-reason" rows={3} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Modal>
    </>
  );
}
