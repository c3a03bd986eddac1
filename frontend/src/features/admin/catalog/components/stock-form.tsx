import { useState } from 'react';
import { Button, Form, InputNumber, Space } from 'antd';

export interface StockFormProps {
  stock: number;
  submitting: boolean;
  /** The last attempt's messages about the stock. */
  errors: string[];
  onSubmit: (stock: number) => void;
}

/** Sets the stock to a number (one UPDATE on the server; checkouts keep taking units from it). */
export function StockForm({ stock, submitting, errors, onSubmit }: StockFormProps) {
  const [value, setValue] = useState<number | null>(stock);
  const [shown, setShown] = useState(stock);
  if (shown !== stock) {
    setShown(stock);
    setValue(stock);
  }
  return (
    <Form layout="vertical" aria-label="Stock" onFinish={() => value !== null && onSubmit(value)}>
      <Form.Item
        label="Units in stock"
        htmlFor="stock-set"
        validateStatus={errors.length ? 'error' : undefined}
        help={errors.length ? errors.join(' ') : `Now ${String(stock)}.`}
      >
        <Space.Compact>
          <InputNumber<number> id="stock-set" precision={0} value={value} onChange={setValue} style={{ width: 140 }} />
          <Button htmlType="submit" loading={submitting} disabled={value === null || value === stock}>
            Set stock
          </Button>
        </Space.Compact>
      </Form.Item>
    </Form>
  );
}
