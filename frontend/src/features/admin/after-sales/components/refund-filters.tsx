import { Button, DatePicker, Form, Select } from 'antd';
import dayjs from 'dayjs';
import { refundRequestState, refundType } from '@/components/refund-request-tag';
import type { RefundRequestState, RefundType } from '@/gql/graphql';
import { noRefundFilter, type RefundFilterValue } from '../utils/refund-filter';

const stateOptions = (Object.keys(refundRequestState) as RefundRequestState[]).map((value) => ({
  value,
  label: refundRequestState[value].label,
}));
const typeOptions = (Object.keys(refundType) as RefundType[]).map((value) => ({ value, label: refundType[value] }));
const DAY = 'YYYY-MM-DD';

export interface RefundFiltersProps {
  value: RefundFilterValue;
  onChange: (value: RefundFilterValue) => void;
}

/** State, type and the days asked. */
export function RefundFilters({ value, onChange }: RefundFiltersProps) {
  const apply = (change: Partial<RefundFilterValue>) => onChange({ ...value, ...change });
  const range: [dayjs.Dayjs | null, dayjs.Dayjs | null] = [value.from ? dayjs(value.from) : null, value.to ? dayjs(value.to) : null];
  return (
    <Form layout="inline" role="search" aria-label="Filter refund requests" style={{ marginBottom: 16, rowGap: 8 }}>
      <Form.Item label="State" htmlFor="refunds-state">
        <Select<RefundRequestState>
          id="refunds-state"
          allowClear
          placeholder="Any state"
          style={{ width: 170 }}
          options={stateOptions}
          value={value.state ?? undefined}
          onChange={(state) => apply({ state: state ?? null })}
        />
      </Form.Item>
      <Form.Item label="Type" htmlFor="refunds-type">
        <Select<RefundType>
          id="refunds-type"
          allowClear
          placeholder="Any type"
          style={{ width: 180 }}
          options={typeOptions}
          value={value.type ?? undefined}
          onChange={(type) => apply({ type: type ?? null })}
        />
      </Form.Item>
      <Form.Item label="Asked" htmlFor="refunds-asked">
        <DatePicker.RangePicker
          id={{ start: 'refunds-asked', end: 'refunds-asked-end' }}
          allowEmpty={[true, true]}
          placeholder={['First day', 'Last day']}
          value={range}
          onChange={(days) => apply({ from: days?.[0]?.format(DAY) ?? null, to: days?.[1]?.format(DAY) ?? null })}
        />
      </Form.Item>
      <Form.Item>
        <Button disabled={JSON.stringify(value) === JSON.stringify(noRefundFilter)} onClick={() => onChange(noRefundFilter)}>
          Clear filters
        </Button>
      </Form.Item>
    </Form>
  );
}
