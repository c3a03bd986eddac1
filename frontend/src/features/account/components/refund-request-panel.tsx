import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Typography } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { RefundRequestTag, refundType } from '@/components/refund-request-tag';
import type { OrderStatus, RefundRequestFieldsFragment } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';
import type { ActionResult } from '../hooks/use-session-actions';

const REFUNDABLE: readonly OrderStatus[] = ['PAID', 'SHIPPED', 'COMPLETED'];
const SHIPPED: readonly OrderStatus[] = ['SHIPPED', 'COMPLETED'];

export interface RefundRequestPanelProps {
  status: OrderStatus;
  /** The order's requests, oldest first. */
  requests: readonly RefundRequestFieldsFragment[];
  busy: boolean;
  onRequest: (reason: string, returnTrackingNumber: string | null) => Promise<ActionResult>;
  onAddTracking: (requestId: string, returnTrackingNumber: string) => Promise<ActionResult>;
}

const whatHappensNext: Record<RefundRequestFieldsFragment['state'], string> = {
  REQUESTED: 'The shop will look at your request soon.',
  APPROVED: 'Your return is approved: send the goods back. You get your money once they arrive.',
  REFUNDED: 'Your money is on its way back to you.',
  DECLINED: 'The shop declined this request.',
};

/** After-sales on the shopper's order page: the latest request's state, or "Request refund". */
export function RefundRequestPanel({ status, requests, busy, onRequest, onAddTracking }: RefundRequestPanelProps) {
  const latest = requests.at(-1) ?? null;
  const open = latest !== null && (latest.state === 'REQUESTED' || latest.state === 'APPROVED');
  const canRequest = REFUNDABLE.includes(status) && !open;
  if (!latest && !canRequest) return null;
  return (
    <Card title="Refund" aria-label="Refund">
      <Flex vertical gap={16}>
        {latest && <RequestState request={latest} busy={busy} onAddTracking={onAddTracking} />}
        {canRequest && <RequestForm shipped={SHIPPED.includes(status)} busy={busy} onRequest={onRequest} again={latest !== null} />}
      </Flex>
    </Card>
  );
}

function RequestState({
  request,
  busy,
  onAddTracking,
}: {
  request: RefundRequestFieldsFragment;
  busy: boolean;
  onAddTracking: RefundRequestPanelProps['onAddTracking'];
}) {
  const needsTracking =
    request.type === 'RETURN_AND_REFUND' && (request.state === 'REQUESTED' || request.state === 'APPROVED');
  return (
    <Flex vertical gap={12}>
      <Descriptions
        column={1}
        size="small"
        items={[
          { key: 'state', label: 'Request', children: <span aria-label="Refund request state"><RefundRequestTag state={request.state} /></span> },
          { key: 'type', label: 'Type', children: refundType[request.type] },
          { key: 'reason', label: 'Your reason', children: request.reason },
          { key: 'asked', label: 'Asked', children: formatDateTime(request.createdAt) },
          ...(request.returnTrackingNumber
            ? [{ key: 'tracking', label: 'Return tracking', children: request.returnTrackingNumber }]
            : []),
        ]}
      />
      <Typography.Text role="status">{whatHappensNext[request.state]}</Typography.Text>
      {request.state === 'DECLINED' && request.declineReason && (
        <Alert type="warning" showIcon title={`Reason: ${request.declineReason}`} />
      )}
      {needsTracking && <TrackingForm request={request} busy={busy} onAddTracking={onAddTracking} />}
    </Flex>
  );
}

function TrackingForm({
  request,
  busy,
  onAddTracking,
}: {
  request: RefundRequestFieldsFragment;
  busy: boolean;
  onAddTracking: RefundRequestPanelProps['onAddTracking'];
}) {
  const [errors, setErrors] = useState<string[]>([]);
  const submit = async ({ tracking }: { tracking: string }) => {
    const result = await onAddTracking(request.id, tracking.trim());
    setErrors(result.ok ? [] : result.messages);
  };
  return (
    <Form<{ tracking: string }> layout="inline" disabled={busy} onFinish={(values) => void submit(values)}>
      <FormErrors messages={errors} />
      <Form.Item
        label={request.returnTrackingNumber ? 'Correct the tracking number' : 'Return tracking number'}
        name="tracking"
        rules={[{ required: true, whitespace: true, message: 'Enter the tracking number of your parcel' }]}
      >
        <Input maxLength={64} style={{ width: 220 }} />
      </Form.Item>
      <Button htmlType="submit" loading={busy}>
        Save tracking number
      </Button>
    </Form>
  );
}

interface RequestValues {
  reason: string;
  tracking?: string;
}

function RequestForm({
  shipped,
  busy,
  again,
  onRequest,
}: {
  shipped: boolean;
  busy: boolean;
  again: boolean;
  onRequest: RefundRequestPanelProps['onRequest'];
}) {
  const [opened, setOpened] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  if (!opened) {
    return (
      <Button onClick={() => setOpened(true)} style={{ alignSelf: 'flex-start' }}>
        {again ? 'Request a refund again' : 'Request refund'}
      </Button>
    );
  }
  const submit = async ({ reason, tracking }: RequestValues) => {
    const result = await onRequest(reason.trim(), tracking?.trim() ? tracking.trim() : null);
    if (result.ok) {
      setErrors([]);
      setOpened(false);
    } else setErrors(result.messages);
  };
  return (
    <Form<RequestValues> layout="vertical" requiredMark={false} disabled={busy} onFinish={(values) => void submit(values)} style={{ maxWidth: 480 }}>
      <Typography.Paragraph type="secondary">
        {shipped
          ? 'Your order has shipped: send it back, then you get your money back. Add the tracking number of your parcel now or later.'
          : 'Your order has not shipped yet: once the shop approves, your money goes back to you.'}
      </Typography.Paragraph>
      <FormErrors messages={errors} />
      <Form.Item
        label="Why do you want a refund?"
        name="reason"
        rules={[{ required: true, whitespace: true, message: 'Tell the shop why' }]}
      >
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
      {shipped && (
        <Form.Item label="Return tracking number (optional)" name="tracking">
          <Input maxLength={64} />
        </Form.Item>
      )}
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" loading={busy}>
          Send request
        </Button>
        <Button onClick={() => setOpened(false)}>Cancel</Button>
      </Flex>
    </Form>
  );
}
