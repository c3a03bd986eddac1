import { useEffect } from 'react';
import { Button, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { FormErrors } from '@/components/form-errors';
import { pathLabel, type CategoryNode } from '../utils/category-tree';
import { productFields, type ProductField, type ProductFormValues } from '../utils/product-form';
import type { SortedErrors } from '../utils/user-errors';

export interface ProductFormProps {
  /** A new product asks for its stock; an existing one sets stock on its own (productStockSet). */
  mode: 'create' | 'edit';
  initialValues: ProductFormValues;
  /** Every category, parents before children. */
  categories: CategoryNode[];
  /** The last save's userErrors, sorted onto the fields. */
  errors: SortedErrors<ProductField>;
  submitting: boolean;
  onSubmit: (values: ProductFormValues) => void;
}

/** Name, slug, description, price, stock, category and published, with the API's messages next to the fields. */
export function ProductForm({ mode, initialValues, categories, errors, submitting, onSubmit }: ProductFormProps) {
  const [form] = Form.useForm<ProductFormValues>();

  useEffect(() => {
    // Each save's answer replaces the previous messages; editing a field clears its own.
    form.setFields(productFields.map((name) => ({ name, errors: errors.byField[name] ?? [] })));
  }, [form, errors]);

  useEffect(() => {
    // Published can also change from the page's Publish button.
    form.setFieldValue('isPublished', initialValues.isPublished);
  }, [form, initialValues.isPublished]);

  return (
    <Form<ProductFormValues>
      form={form}
      layout="vertical"
      aria-label={mode === 'create' ? 'New product' : 'Product details'}
      initialValues={initialValues}
      onFinish={onSubmit}
    >
      <FormErrors messages={errors.general} />
      <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a name' }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="slug" label="Slug" extra="Lowercase words joined by hyphens; leave blank to make one from the name.">
        <Input />
      </Form.Item>
      <Form.Item name="description" label="Description">
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
      </Form.Item>
      <Space size="large" align="start" wrap>
        <Form.Item name="price" label="Price" rules={[{ required: true, message: 'Enter a price' }]}>
          {/* Text, not a number control: the exact decimal typed goes to the API, which checks it. */}
          <Input inputMode="decimal" autoComplete="off" style={{ width: 160 }} placeholder="0.00" />
        </Form.Item>
        {mode === 'create' && (
          <Form.Item name="stock" label="Stock" rules={[{ required: true, message: 'Enter the stock' }]}>
            <InputNumber<number> style={{ width: 160 }} precision={0} />
          </Form.Item>
        )}
      </Space>
      <Form.Item name="categoryId" label="Category">
        <Select<string | null>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder="No category"
          options={categories.map((node) => ({ value: node.id, label: pathLabel(node) }))}
        />
      </Form.Item>
      <Form.Item
        name="isPublished"
        label="Published"
        valuePropName="checked"
        extra="Shoppers see published products only."
      >
        <Switch />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={submitting}>
        {mode === 'create' ? 'Create product' : 'Save changes'}
      </Button>
    </Form>
  );
}
