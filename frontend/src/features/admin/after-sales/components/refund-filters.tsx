import { Button, DatePicker, Form, Select } from 'antd';
import dayjs from '@/lib/dayjs';
import { useTranslation } from 'react-i18next';
import type { RefundRequestState, RefundType } from '@/gql/graphql';
import { noRefundFilter, type RefundFilterValue } from '../utils/refund-filter';

const states: readonly RefundRequestState[] = ['REQUESTED', 'APPROVED', 'REFUNDED', 'DECLINED'];
const types: readonly RefundType[] = ['REFUND', 'RETURN_AND_REFUND'];
const DAY = 'YYYY-MM-DD';

export interface RefundFiltersProps {
  value: RefundFilterValue;
  onChange: (value: RefundFilterValue) => void;
}

/** State, type and the days asked. */
export function RefundFilters({ value, onChange }: RefundFiltersProps) {
  const { t } = useTranslation('console');
  const apply = (change: Partial<RefundFilterValue>) => onChange({ ...value, ...change });
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] = [value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null];
  return (
    <Form layout="inline" role="search" aria-label={t('afterSales.filters.label')} style={{ marginBottom: 16, rowGap: 8 }}>
      <Form.Item label={t('afterSales.filters.state')} htmlFor="refunds-state">
        <Select<RefundRequestState>
          id="refunds-state"
          allowClear
          placeholder={t('afterSales.filters.anyState')}
          style={{ width: 170 }}
          options={states.map((state) => ({ value: state, label: t(`refundState.${state}`) }))}
          value={value.state ?? undefined}
          onChange={(state) => apply({ state: state ?? null })}
        />
      </Form.Item>
      <Form.Item label={t('afterSales.filters.type')} htmlFor="refunds-type">
        <Select<RefundType>
          id="refunds-type"
          allowClear
          placeholder={t('afterSales.filters.anyType')}
          style={{ width: 180 }}
          options={types.map((type) => ({ value: type, label: t(`refundType.${type}`) }))}
          value={value.type ?? undefined}
          onChange={(type) => apply({ type: type ?? null })}
        />
      </Form.Item>
      <Form.Item label={t('afterSales.filters.asked')} htmlFor="refunds-asked">
        <DatePicker.RangePicker
          id={{ start: 'refunds-asked', end: 'refunds-asked-end' }}
          allowEmpty={[true, true]}
          placeholder={[t('afterSales.filters.firstDay'), t('afterSales.filters.lastDay')]}
          value={range}
          onChange={(days) => apply({ from: days?.[0]?.format(DAY) ?? null, to: days?.[1]?.format(DAY) ?? null })}
        />
      </Form.Item>
      <Form.Item>
        <Button disabled={JSON.stringify(value) === JSON.stringify(noRefundFilter)} onClick={() => onChange(noRefundFilter)}>
          {t('afterSales.filters.clear')}
        </Button>
      </Form.Item>
    </Form>
  );
}
