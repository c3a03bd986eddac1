import { useState } from 'react';
import { Alert, Button, Card, Descriptions, Flex, Form, Input, Typography } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { RefundRequestTag, refundType } from '@/components/refund-request-tag';
import type { OrderStatus, RefundRequestFieldsFragment } from '@/gql/graphql';
import { formatDateTime } from '@/utils/format';
import type { ActionResult } from '../hooks/use-session-actions';
import { useTranslation } from 'react-i18next';

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

/** After-sales on the shopper's order page: the latest request's state, or "Request refund". */
export function RefundRequestPanel({ status, requests, busy, onRequest, onAddTracking }: RefundRequestPanelProps) {
  const { t } = useTranslation('shop');
  const latest = requests.at(-1) ?? null;
  const open = latest !== null && (latest.state === 'REQUESTED' || latest.state === 'APPROVED');
  const canRequest = REFUNDABLE.includes(status) && !open;
  if (!latest && !canRequest) return null;
  return (
    <Card title={t('refund.title')} aria-label={t('refund.title')}>
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
  const { t } = useTranslation('shop');
  const needsTracking =
    request.type === 'RETURN_AND_REFUND' && (request.state === 'REQUESTED' || request.state === 'APPROVED');
  return (
    <Flex vertical gap={12}>
      <Descriptions
        column={1}
        size="small"
        items={[
          {
            key: 'state',
            label: t('refund.request'),
            children: (
              <span aria-label={t('refund.state')}>
                <RefundRequestTag state={request.state} />
              </span>
            ),
          },
          { key: 'type', label: t('refund.type'), children: refundType[request.type] },
          { key: 'reason', label: t('refund.reason'), children: request.reason },
          { key: 'asked', label: t('refund.asked'), children: formatDateTime(request.createdAt) },
          ...(request.returnTrackingNumber
            ? [{ key: 'tracking', label: t('refund.returnTracking'), children: request.returnTrackingNumber }]
            : []),
        ]}
      />
      <Typography.Text role="status">{t(`refund.next.${request.state}`)}</Typography.Text>
      {request.state === 'DECLINED' && request.declineReason && (
        <Alert type="warning" showIcon title={t('refund.declineReason', { reason: request.declineReason })} />
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
  const { t } = useTranslation('shop');
  const [errors, setErrors] = useState<string[]>([]);
  const submit = async ({ tracking }: { tracking: string }) => {
    const result = await onAddTracking(request.id, tracking.trim());
    setErrors(result.ok ? [] : result.messages);
  };
  return (
    <Form<{ tracking: string }> layout="inline" disabled={busy} onFinish={(values) => void submit(values)}>
      <FormErrors messages={errors} />
      <Form.Item
        label={request.returnTrackingNumber ? t('refund.correctTracking') : t('refund.trackingNumber')}
        name="tracking"
        rules={[{ required: true, whitespace: true, message: t('refund.enterTracking') }]}
      >
        <Input maxLength={64} style={{ width: 220 }} />
      </Form.Item>
      <Button htmlType="submit" loading={busy}>
        {t('refund.saveTracking')}
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
  const { t } = useTranslation('shop');
  const [opened, setOpened] = useState(false);
  const [errors, setErrors] = useState<string[]>([]);
  if (!opened) {
    return (
      <Button onClick={() => setOpened(true)} style={{ alignSelf: 'flex-start' }}>
        {again ? t('refund.requestAgain') : t('refund.requestRefund')}
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
          ? t('refund.shippedHint')
          : t('refund.notShippedHint')}
      </Typography.Paragraph>
      <FormErrors messages={errors} />
      <Form.Item
        label={t('refund.why')}
        name="reason"
        rules={[{ required: true, whitespace: true, message: t('refund.tellWhy') }]}
      >
        <Input.TextArea rows={3} maxLength={500} showCount />
      </Form.Item>
      {shipped && (
        <Form.Item label={t('refund.trackingOptional')} name="tracking">
          <Input maxLength={64} />
        </Form.Item>
      )}
      <Flex gap={8}>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('refund.send')}
        </Button>
        <Button onClick={() => setOpened(false)}>{t('refund.cancel')}</Button>
      </Flex>
    </Form>
  );
}
