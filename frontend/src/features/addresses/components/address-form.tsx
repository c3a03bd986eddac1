import { useEffect } from 'react';
import { Button, Col, Form, Input, Row, Space } from 'antd';
import { FormErrors } from '@/components/form-errors';
import type { PostalAddress } from '@/components/shipping-address';
import type { SortedErrors } from '@/lib/user-errors';
import { useTranslation } from 'react-i18next';

export const addressFields = ['recipient', 'phone', 'region', 'city', 'district', 'street', 'postcode'] as const;
export type AddressField = (typeof addressFields)[number];
export type AddressFormValues = PostalAddress;

export const emptyAddress: AddressFormValues = {
  recipient: '',
  phone: '',
  region: '',
  city: '',
  district: '',
  street: '',
  postcode: '',
};

// The shop's default format (ADDRESS_FORMAT=CN); the API has the last word for any other.
const MAINLAND_PHONE = /^(\+86)?1\d{10}$/;
const POSTCODE = /^\d{6}$/;

export interface AddressFormProps {
  initial?: AddressFormValues;
  errors: SortedErrors<AddressField>;
  submitting: boolean;
  submitLabel: string;
  onSubmit: (values: AddressFormValues) => void;
  onCancel?: () => void;
}

/** Recipient, phone and the place; the API's field errors land on their fields. */
export function AddressForm({ initial = emptyAddress, errors, submitting, submitLabel, onSubmit, onCancel }: AddressFormProps) {
  const { t } = useTranslation('shop');
  const [form] = Form.useForm<AddressFormValues>();
  useEffect(() => {
    form.setFields(addressFields.map((name) => ({ name, errors: errors.byField[name] ?? [] })));
  }, [form, errors]);

  const required = (message: string) => [{ required: true, whitespace: true, message }];
  return (
    <Form<AddressFormValues>
      form={form}
      layout="vertical"
      aria-label={t('addresses.form')}
      initialValues={initial}
      onFinish={(values) => onSubmit({ ...emptyAddress, ...values })}
    >
      <FormErrors messages={errors.general} />
      <Row gutter={12}>
        <Col xs={24} sm={12}>
          <Form.Item name="recipient" label={t('addresses.recipient')} rules={required(t('addresses.enterRecipient'))}>
            <Input maxLength={50} autoComplete="name" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={12}>
          <Form.Item
            name="phone"
            label={t('addresses.phone')}
            rules={[
              ...required(t('addresses.enterPhone')),
              {
                validator: (_, value: string | undefined) =>
                  !value || MAINLAND_PHONE.test(value.replace(/[\s-]/g, ''))
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('addresses.phoneRule'))),
              },
            ]}
          >
            <Input maxLength={20} autoComplete="tel" inputMode="tel" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name="region" label={t('addresses.region')} rules={required(t('addresses.enterRegion'))}>
            <Input maxLength={50} autoComplete="address-level1" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name="city" label={t('addresses.city')} rules={required(t('addresses.enterCity'))}>
            <Input maxLength={50} autoComplete="address-level2" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item name="district" label={t('addresses.district')}>
            <Input maxLength={50} autoComplete="address-level3" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={16}>
          <Form.Item name="street" label={t('addresses.street')} rules={required(t('addresses.enterStreet'))}>
            <Input maxLength={200} autoComplete="street-address" />
          </Form.Item>
        </Col>
        <Col xs={24} sm={8}>
          <Form.Item
            name="postcode"
            label={t('addresses.postcode')}
            rules={[
              ...required(t('addresses.enterPostcode')),
              { pattern: POSTCODE, message: t('addresses.sixDigits') },
            ]}
          >
            <Input maxLength={12} autoComplete="postal-code" inputMode="numeric" />
          </Form.Item>
        </Col>
      </Row>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {submitLabel}
        </Button>
        {onCancel && <Button onClick={onCancel}>{t('addresses.cancel')}</Button>}
      </Space>
    </Form>
  );
}
