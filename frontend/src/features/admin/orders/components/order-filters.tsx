import { useState } from 'react';
import { Button, DatePicker, Form, Input, Select } from 'antd';
import dayjs from '@/lib/dayjs';
import { useTranslation } from 'react-i18next';
import { orderStatus } from '@/components/order-status-tag';
import type { OrderStatus } from '@/gql/graphql';
import { noFilter, type OrdersFilterValue } from '../utils/order-filter';

// Every order status, in the shared tag's order (the console's labels are its own strings).
const statuses = Object.keys(orderStatus) as OrderStatus[];
const DAY = 'YYYY-MM-DD';

export interface OrderFiltersProps {
  value: OrdersFilterValue;
  onChange: (value: OrdersFilterValue) => void;
}

/** Status, number, shopper email and the days placed; text applies on Enter or the search button. */
export function OrderFilters({ value, onChange }: OrderFiltersProps) {
  const { t } = useTranslation('console');
  const [number, setNumber] = useState(value.number);
  const [email, setEmail] = useState(value.userEmail);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // The URL changed (back button, a link): show its text filters.
    setShown(value);
    setNumber(value.number);
    setEmail(value.userEmail);
  }
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] = [
    value.placedFrom ? dayjs(value.placedFrom) : null,
    value.placedTo ? dayjs(value.placedTo) : null,
  ];
  const apply = (change: Partial<OrdersFilterValue>) => onChange({ ...value, number, userEmail: email, ...change });
  const blank = JSON.stringify(value) === JSON.stringify(noFilter) && !number && !email;

  return (
    <Form layout="inline" role="search" aria-label={t('orders.filters.label')} style={{ marginBottom: 16, rowGap: 8 }}>
      <Form.Item label={t('orders.filters.status')} htmlFor="orders-status">
        <Select<OrderStatus>
          id="orders-status"
          allowClear
          placeholder={t('orders.filters.anyStatus')}
          style={{ width: 170 }}
          options={statuses.map((status) => ({ value: status, label: t(`orderStatus.${status}`) }))}
          value={value.status ?? undefined}
          onChange={(status) => apply({ status: status ?? null })}
        />
      </Form.Item>
      <Form.Item label={t('orders.filters.number')} htmlFor="orders-number">
        <Input.Search
          id="orders-number"
          placeholder="FM2611…"
          allowClear
          value={number}
          onChange={(event) => setNumber(event.target.value)}
          onSearch={(text) => apply({ number: text })}
          style={{ width: 200 }}
        />
      </Form.Item>
      <Form.Item label={t('orders.filters.email')} htmlFor="orders-email">
        <Input.Search
          id="orders-email"
          placeholder={t('orders.filters.emailPlaceholder')}
          allowClear
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          onSearch={(text) => apply({ userEmail: text })}
          style={{ width: 220 }}
        />
      </Form.Item>
      <Form.Item label={t('orders.filters.placed')} htmlFor="orders-placed">
        <DatePicker.RangePicker
          id={{ start: 'orders-placed', end: 'orders-placed-end' }}
          allowEmpty={[true, true]}
          placeholder={[t('orders.filters.firstDay'), t('orders.filters.lastDay')]}
          value={range}
          onChange={(days) =>
            apply({ placedFrom: days?.[0]?.format(DAY) ?? null, placedTo: days?.[1]?.format(DAY) ?? null })
          }
        />
      </Form.Item>
      <Form.Item>
        <Button
          disabled={blank}
          onClick={() => {
            setNumber('');
            setEmail('');
            onChange(noFilter);
          }}
        >
          {t('orders.filters.clear')}
        </Button>
      </Form.Item>
    </Form>
  );
}
