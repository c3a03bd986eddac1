import { useEffect } from 'react';
import { Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { FormErrors } from '@/components/form-errors';
import type { AdmissionMode } from '@/gql/graphql';
import type { UserErrorLike } from '@/lib/errors';
import { formErrors, type FlashSaleField } from '../utils/form-errors';

export interface FlashSaleFormValues {
  productId: string;
  /** Decimal string, e.g. "9.90". */
  price: string;
  totalStock: number;
  /** ISO-8601 in UTC. */
  startsAt: string;
  endsAt: string;
  perUserLimit: number;
  /** Only shoppers with a verified email address may buy. */
  requiresVerifiedAccount: boolean;
  /** FIRST_COME, or WAITING_ROOM with the room's settings below (docs/waiting-room.md). */
  admissionMode: AdmissionMode;
  /** ISO-8601 in UTC; null: joining opens once the sale is warm. */
  roomOpensAt: string | null;
  lotteryWindowSeconds: number;
  grantTtlSeconds: number;
  admissionFactor: number;
}

/** The API's defaults for a new sale's room. */
export const ROOM_DEFAULTS = { lotteryWindowSeconds: 60, grantTtlSeconds: 120, admissionFactor: 3 } as const;

export interface ProductOption {
  id: string;
  name: string;
  stock: number;
}

export interface FlashSaleFormProps {
  mode: 'create' | 'edit';
  /** The sale being edited; in create mode, nothing (the window defaults to the next hour). */
  initial?: FlashSaleFormValues;
  /** Products to pick from (search results; in edit mode, the sale's own product). */
  products: readonly ProductOption[];
  searchingProducts?: boolean;
  onSearchProducts?: (text: string) => void;
  /** The last save's userErrors: shown next to their fields, the rest above the form. */
  userErrors?: readonly UserErrorLike[];
  /** Why the last save failed outside userErrors (network, permission). */
  failure?: string | null;
  submitting?: boolean;
  onSubmit: (values: FlashSaleFormValues) => void;
  onCancel: () => void;
}

interface Fields {
  productId?: string;
  price?: string;
  totalStock?: number | null;
  startsAt?: Dayjs | null;
  endsAt?: Dayjs | null;
  perUserLimit?: number | null;
  requiresVerifiedAccount?: boolean;
  admissionMode?: AdmissionMode;
  roomOpensAt?: Dayjs | null;
  lotteryWindowSeconds?: number | null;
  grantTtlSeconds?: number | null;
  admissionFactor?: number | null;
}

const DATE_TIME_FORMAT = 'YYYY-MM-DD HH:mm';

/** Enter in a date field confirms the typed date (the picker's own handling) and must not
 * also submit the form: the browser's implicit submission once created a live sale by accident. */
const keepEnterInPicker = (event: React.KeyboardEvent<HTMLElement>) => {
  if (event.key === 'Enter') event.preventDefault();
};
const PRICE = /^\d+(\.\d{1,2})?$/;

function defaults(initial?: FlashSaleFormValues): Fields {
  if (initial) {
    return {
      productId: initial.productId,
      price: initial.price,
      totalStock: initial.totalStock,
      startsAt: dayjs(initial.startsAt),
      endsAt: dayjs(initial.endsAt),
      perUserLimit: initial.perUserLimit,
      requiresVerifiedAccount: initial.requiresVerifiedAccount,
      admissionMode: initial.admissionMode,
      roomOpensAt: initial.roomOpensAt ? dayjs(initial.roomOpensAt) : null,
      lotteryWindowSeconds: initial.lotteryWindowSeconds,
      grantTtlSeconds: initial.grantTtlSeconds,
      admissionFactor: initial.admissionFactor,
    };
  }
  const start = dayjs().startOf('minute');
  return {
    startsAt: start,
    endsAt: start.add(1, 'hour'),
    perUserLimit: 1,
    requiresVerifiedAccount: false,
    admissionMode: 'FIRST_COME',
    roomOpensAt: null,
    ...ROOM_DEFAULTS,
  };
}

/** Create or edit a flash sale: product, price, stock, window, per-shopper limit and who may buy. */
export function FlashSaleForm({
  mode,
  initial,
  products,
  searchingProducts = false,
  onSearchProducts,
  userErrors = [],
  failure = null,
  submitting = false,
  onSubmit,
  onCancel,
}: FlashSaleFormProps) {
  const [form] = Form.useForm<Fields>();
  const { byField, general } = formErrors(userErrors);
  const admissionMode = Form.useWatch('admissionMode', form) ?? defaults(initial).admissionMode;

  // The server's verdict lands on its fields; antd clears it as soon as the field is edited.
  useEffect(() => {
    form.setFields(
      (Object.keys(byField) as FlashSaleField[]).map((name) => ({ name, errors: byField[name] ?? [] })),
    );
    // byField is derived from userErrors: re-apply only when a new answer arrives.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [form, userErrors]);

  const submit = (fields: Fields) => {
    const { productId, price, totalStock, startsAt, endsAt, perUserLimit, requiresVerifiedAccount, roomOpensAt } = fields;
    if (!productId || !price || totalStock == null || !startsAt || !endsAt) return; // guarded by the rules
    onSubmit({
      productId,
      price: price.trim(),
      totalStock,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      perUserLimit: perUserLimit ?? 1,
      requiresVerifiedAccount: requiresVerifiedAccount ?? false,
      admissionMode: fields.admissionMode ?? 'FIRST_COME',
      roomOpensAt: roomOpensAt ? roomOpensAt.toISOString() : null,
      lotteryWindowSeconds: fields.lotteryWindowSeconds ?? ROOM_DEFAULTS.lotteryWindowSeconds,
      grantTtlSeconds: fields.grantTtlSeconds ?? ROOM_DEFAULTS.grantTtlSeconds,
      admissionFactor: fields.admissionFactor ?? ROOM_DEFAULTS.admissionFactor,
    });
  };

  const generalMessages = [...(failure ? [failure] : []), ...general.map((e) => e.message)];

  return (
    <Card>
      <FormErrors messages={generalMessages} />
      <Form<Fields>
        form={form}
        layout="vertical"
        name={mode === 'create' ? 'flash-sale-create' : 'flash-sale-edit'}
        aria-label={mode === 'create' ? 'New flash sale' : 'Edit flash sale'}
        initialValues={defaults(initial)}
        onFinish={submit}
        style={{ maxWidth: 560 }}
        requiredMark
      >
        <Form.Item
          name="productId"
          label="Product"
          rules={[{ required: true, message: 'Choose the product on sale' }]}
          extra={mode === 'edit' ? "A sale's product cannot change." : 'Units are taken from its stock.'}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: onSearchProducts }}
            placeholder="Search products by name"
            disabled={mode === 'edit'}
            loading={searchingProducts}
            notFoundContent={searchingProducts ? 'Searching…' : 'No products found'}
            options={products.map((product) => ({
              value: product.id,
              label: `${product.name} (${String(product.stock)} in stock)`,
            }))}
          />
        </Form.Item>
        <Form.Item
          name="price"
          label="Sale price"
          rules={[
            { required: true, message: 'Enter the sale price' },
            { pattern: PRICE, message: 'Use a positive amount with at most 2 decimals, e.g. 9.90' },
          ]}
        >
          <Input inputMode="decimal" placeholder="9.90" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="totalStock"
          label="Total stock"
          rules={[{ required: true, message: 'Enter how many units the sale offers' }]}
          extra={mode === 'edit' ? 'Cannot change once the sale is warm or live.' : undefined}
        >
          <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item name="startsAt" label="Starts at" rules={[{ required: true, message: 'Choose when the sale starts' }]}>
            <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} onKeyDown={keepEnterInPicker} />
          </Form.Item>
          <Form.Item
            name="endsAt"
            label="Ends at"
            dependencies={['startsAt']}
            rules={[
              { required: true, message: 'Choose when the sale ends' },
              ({ getFieldValue }) => ({
                validator(_, value: Dayjs | null | undefined) {
                  const start = getFieldValue('startsAt') as Dayjs | null | undefined;
                  return !value || !start || value.isAfter(start)
                    ? Promise.resolve()
                    : Promise.reject(new Error('The sale must end after it starts'));
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} onKeyDown={keepEnterInPicker} />
          </Form.Item>
        </Space>
        <Form.Item
          name="perUserLimit"
          label="Units per shopper"
          rules={[{ required: true, message: 'Enter how many units one shopper may buy' }]}
        >
          <InputNumber min={1} max={1000} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="requiresVerifiedAccount"
          valuePropName="checked"
          extra="Shoppers whose email address is not verified are asked to verify it before they can buy. Keeps throw-away accounts from multiplying the per-shopper limit."
        >
          <Checkbox>Verified accounts only</Checkbox>
        </Form.Item>
        <Form.Item
          name="admissionMode"
          label="Admission"
          extra={
            admissionMode === 'WAITING_ROOM'
              ? 'Shoppers join a room; a published random draw orders those who joined by the start plus the lottery window, later joiners queue behind, and each admitted shopper has the grant time to buy. Fixed once the sale is warm or live.'
              : 'Whoever buys first gets a unit. Fixed once the sale is warm or live.'
          }
        >
          <Radio.Group
            options={[
              { value: 'FIRST_COME', label: 'First come, first served' },
              { value: 'WAITING_ROOM', label: 'Waiting room' },
            ]}
          />
        </Form.Item>
        {admissionMode === 'WAITING_ROOM' && (
          <>
            <Form.Item
              name="roomOpensAt"
              label="Room opens at"
              dependencies={['startsAt']}
              extra="Empty: as soon as the sale is warm. Fixed once the sale has started."
              rules={[
                ({ getFieldValue }) => ({
                  validator(_, value: Dayjs | null | undefined) {
                    const start = getFieldValue('startsAt') as Dayjs | null | undefined;
                    return !value || !start || value.isBefore(start)
                      ? Promise.resolve()
                      : Promise.reject(new Error('The room must open before the sale starts'));
                  },
                }),
              ]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} onKeyDown={keepEnterInPicker} />
            </Form.Item>
            <Space size="large" wrap align="start">
              <Form.Item
                name="lotteryWindowSeconds"
                label="Lottery window (seconds)"
                rules={[{ required: true, message: 'Enter the lottery window' }]}
                extra="Who joins before the start plus this is in the draw."
              >
                <InputNumber min={0} max={3600} precision={0} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item
                name="grantTtlSeconds"
                label="Time to buy (seconds)"
                rules={[{ required: true, message: 'Enter how long an admitted shopper has to buy' }]}
                extra="How long an admission grant lasts."
              >
                <InputNumber min={1} max={3600} precision={0} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item
                name="admissionFactor"
                label="Admission factor"
                rules={[{ required: true, message: 'Enter the admission factor' }]}
                extra="Grants outstanding at most units left times this."
              >
                <InputNumber min={1} max={100} precision={0} style={{ width: 200 }} />
              </Form.Item>
            </Space>
          </>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {mode === 'create' ? 'Create flash sale' : 'Save changes'}
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </Space>
      </Form>
    </Card>
  );
}
