import { useEffect } from 'react';
import { Button, Card, Checkbox, DatePicker, Form, Input, InputNumber, Radio, Select, Space } from 'antd';
import dayjs, { type Dayjs } from '@/lib/dayjs';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('console');
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
        aria-label={mode === 'create' ? t('saleForm.newTitle') : t('saleForm.editTitle')}
        initialValues={defaults(initial)}
        onFinish={submit}
        style={{ maxWidth: 560 }}
        requiredMark
      >
        <Form.Item
          name="productId"
          label={t('saleForm.product')}
          rules={[{ required: true, message: t('saleForm.productRequired') }]}
          extra={mode === 'edit' ? t('saleForm.productFixed') : t('saleForm.productStock')}
        >
          <Select
            showSearch={{ filterOption: false, onSearch: onSearchProducts }}
            placeholder={t('saleForm.productSearch')}
            disabled={mode === 'edit'}
            loading={searchingProducts}
            notFoundContent={searchingProducts ? t('saleForm.searching') : t('saleForm.noProducts')}
            options={products.map((product) => ({
              value: product.id,
              label: t('saleForm.productOption', { name: product.name, stock: product.stock }),
            }))}
          />
        </Form.Item>
        <Form.Item
          name="price"
          label={t('saleForm.price')}
          rules={[
            { required: true, message: t('saleForm.priceRequired') },
            { pattern: PRICE, message: t('saleForm.pricePattern') },
          ]}
        >
          <Input inputMode="decimal" placeholder="9.90" style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="totalStock"
          label={t('saleForm.totalStock')}
          rules={[{ required: true, message: t('saleForm.totalStockRequired') }]}
          extra={mode === 'edit' ? t('saleForm.totalStockFixed') : undefined}
        >
          <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Space size="large" wrap align="start">
          <Form.Item
            name="startsAt"
            label={t('saleForm.startsAt')}
            rules={[{ required: true, message: t('saleForm.startsAtRequired') }]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} onKeyDown={keepEnterInPicker} />
          </Form.Item>
          <Form.Item
            name="endsAt"
            label={t('saleForm.endsAt')}
            dependencies={['startsAt']}
            rules={[
              { required: true, message: t('saleForm.endsAtRequired') },
              ({ getFieldValue }) => ({
                validator(_, value: Dayjs | null | undefined) {
                  const start = getFieldValue('startsAt') as Dayjs | null | undefined;
                  return !value || !start || value.isAfter(start)
                    ? Promise.resolve()
                    : Promise.reject(new Error(t('saleForm.endAfterStart')));
                },
              }),
            ]}
          >
            <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} onKeyDown={keepEnterInPicker} />
          </Form.Item>
        </Space>
        <Form.Item
          name="perUserLimit"
          label={t('saleForm.perUserLimit')}
          rules={[{ required: true, message: t('saleForm.perUserLimitRequired') }]}
        >
          <InputNumber min={1} max={1000} precision={0} style={{ width: 200 }} />
        </Form.Item>
        <Form.Item
          name="requiresVerifiedAccount"
          valuePropName="checked"
          extra={t('saleForm.verifiedHelp')}
        >
          <Checkbox>{t('saleForm.verifiedOnly')}</Checkbox>
        </Form.Item>
        <Form.Item
          name="admissionMode"
          label={t('saleForm.admission')}
          extra={
            admissionMode === 'WAITING_ROOM' ? t('saleForm.roomHelp') : t('saleForm.firstComeHelp')
          }
        >
          <Radio.Group
            options={[
              { value: 'FIRST_COME', label: t('saleForm.firstCome') },
              { value: 'WAITING_ROOM', label: t('saleForm.waitingRoom') },
            ]}
          />
        </Form.Item>
        {admissionMode === 'WAITING_ROOM' && (
          <>
            <Form.Item
              name="roomOpensAt"
              label={t('saleForm.roomOpensAt')}
              dependencies={['startsAt']}
              extra={t('saleForm.roomOpensHelp')}
              rules={[
                ({ getFieldValue }) => ({
                  validator(_, value: Dayjs | null | undefined) {
                    const start = getFieldValue('startsAt') as Dayjs | null | undefined;
                    return !value || !start || value.isBefore(start)
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('saleForm.roomBeforeStart')));
                  },
                }),
              ]}
            >
              <DatePicker showTime={{ format: 'HH:mm' }} format={DATE_TIME_FORMAT} onKeyDown={keepEnterInPicker} />
            </Form.Item>
            <Space size="large" wrap align="start">
              <Form.Item
                name="lotteryWindowSeconds"
                label={t('saleForm.lotteryWindow')}
                rules={[{ required: true, message: t('saleForm.lotteryWindowRequired') }]}
                extra={t('saleForm.lotteryWindowHelp')}
              >
                <InputNumber min={0} max={3600} precision={0} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item
                name="grantTtlSeconds"
                label={t('saleForm.grantTtl')}
                rules={[{ required: true, message: t('saleForm.grantTtlRequired') }]}
                extra={t('saleForm.grantTtlHelp')}
              >
                <InputNumber min={1} max={3600} precision={0} style={{ width: 200 }} />
              </Form.Item>
              <Form.Item
                name="admissionFactor"
                label={t('saleForm.admissionFactor')}
                rules={[{ required: true, message: t('saleForm.admissionFactorRequired') }]}
                extra={t('saleForm.admissionFactorHelp')}
              >
                <InputNumber min={1} max={100} precision={0} style={{ width: 200 }} />
              </Form.Item>
            </Space>
          </>
        )}
        <Space>
          <Button type="primary" htmlType="submit" loading={submitting}>
            {mode === 'create' ? t('saleForm.create') : t('saleForm.save')}
          </Button>
          <Button onClick={onCancel}>{t('saleForm.cancel')}</Button>
        </Space>
      </Form>
    </Card>
  );
}
