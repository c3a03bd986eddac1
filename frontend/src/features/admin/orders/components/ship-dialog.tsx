import { useState } from 'react';
import { Button, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormErrors } from '@/components/form-errors';
import type { Parcel } from '../hooks/use-admin-order';

export interface ShipDialogProps {
  busy?: boolean;
  /** Ship with this parcel; resolves to why it failed (empty when shipped). */
  onShip: (parcel: Parcel) => Promise<readonly string[]>;
}

const TRACKING = /^[A-Za-z0-9][A-Za-z0-9-]{3,39}$/;

/** "Ship…": a dialog asking for the carrier and the tracking number, then ships the order. */
export function ShipDialog({ busy = false, onShip }: ShipDialogProps) {
  const { t } = useTranslation('console');
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<readonly string[]>([]);
  const [form] = Form.useForm<Parcel>();

  const submit = async (parcel: Parcel) => {
    const problems = await onShip({ carrier: parcel.carrier.trim(), trackingNumber: parcel.trackingNumber.trim() });
    setErrors(problems);
    if (problems.length === 0) {
      setOpen(false);
      form.resetFields();
    }
  };

  return (
    <>
      <Button type="primary" onClick={() => setOpen(true)} loading={busy}>
        {t('ship.open')}
      </Button>
      <Modal
        title={t('ship.title')}
        open={open}
        okText={t('ship.ok')}
        confirmLoading={busy}
        onOk={() => form.submit()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Form<Parcel> form={form} layout="vertical" aria-label={t('ship.form')} onFinish={(parcel) => void submit(parcel)}>
          <FormErrors messages={errors} />
          <Form.Item
            name="carrier"
            label={t('ship.carrier')}
            rules={[{ required: true, whitespace: true, message: t('ship.carrierRequired') }, { max: 40 }]}
          >
            <Input placeholder={t('ship.carrierPlaceholder')} maxLength={40} />
          </Form.Item>
          <Form.Item
            name="trackingNumber"
            label={t('ship.tracking')}
            rules={[
              { required: true, message: t('ship.trackingRequired') },
              { pattern: TRACKING, message: t('ship.trackingPattern') },
            ]}
          >
            <Input maxLength={40} />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
