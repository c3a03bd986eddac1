import { useState } from 'react';
import { Button, Form, InputNumber, Space } from 'antd';
import { useTranslation } from 'react-i18next';

export interface StockFormProps {
  stock: number;
  submitting: boolean;
  /** The last attempt's messages about the stock. */
  errors: string[];
  onSubmit: (stock: number) => void;
}

/** Sets the stock to a number (one UPDATE on the server; checkouts keep taking units from it). */
export function StockForm({ stock, submitting, errors, onSubmit }: StockFormProps) {
  const { t } = useTranslation('console');
  const [value, setValue] = useState<number | null>(stock);
  const [shown, setShown] = useState(stock);
  if (shown !== stock) {
    setShown(stock);
    setValue(stock);
  }
  return (
    <Form layout="vertical" aria-label={t('stockForm.label')} onFinish={() => value !== null && onSubmit(value)}>
      <Form.Item
        label={t('stockForm.units')}
        htmlFor="stock-set"
        validateStatus={errors.length ? 'error' : undefined}
        help={errors.length ? errors.join(' ') : t('stockForm.now', { stock })}
      >
        <Space.Compact>
          <InputNumber<number> id="stock-set" precision={0} value={value} onChange={setValue} style={{ width: 140 }} />
          <Button htmlType="submit" loading={submitting} disabled={value === null || value === stock}>
            {t('stockForm.submit')}
          </Button>
        </Space.Compact>
      </Form.Item>
    </Form>
  );
}
