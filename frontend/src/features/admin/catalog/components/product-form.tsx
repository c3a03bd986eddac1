import { useEffect } from 'react';
import { Button, Form, Input, InputNumber, Select, Space, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('console');
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
      aria-label={mode === 'create' ? t('productForm.newLabel') : t('productForm.detailsLabel')}
      initialValues={initialValues}
      onFinish={onSubmit}
    >
      <FormErrors messages={errors.general} />
      <Form.Item name="name" label={t('productForm.name')}
        rules={[{ required: true, whitespace: true, message: t('productForm.nameRequired') }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="slug" label={t('productForm.slug')} extra={t('productForm.slugHelp')}>
        <Input />
      </Form.Item>
      <Form.Item name="description" label={t('productForm.description')}>
        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} />
      </Form.Item>
      <Space size="large" align="start" wrap>
        <Form.Item name="price" label={t('productForm.price')} rules={[{ required: true, message: t('productForm.priceRequired') }]}>
          {/* Text, not a number control: the exact decimal typed goes to the API, which checks it. */}
          <Input inputMode="decimal" autoComplete="off" style={{ width: 160 }} placeholder="0.00" />
        </Form.Item>
        {mode === 'create' && (
          <Form.Item name="stock" label={t('productForm.stock')} rules={[{ required: true, message: t('productForm.stockRequired') }]}>
            <InputNumber<number> style={{ width: 160 }} precision={0} />
          </Form.Item>
        )}
      </Space>
      <Form.Item name="categoryId" label={t('productForm.category')}>
        <Select<string | null>
          allowClear
          showSearch={{ optionFilterProp: 'label' }}
          placeholder={t('productForm.noCategory')}
          options={categories.map((node) => ({ value: node.id, label: pathLabel(node) }))}
        />
      </Form.Item>
      <Form.Item
        name="isPublished"
        label={t('productForm.published')}
        valuePropName="checked"
        extra={t('productForm.publishedHelp')}
      >
        <Switch />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={submitting}>
        {mode === 'create' ? t('productForm.create') : t('productForm.save')}
      </Button>
    </Form>
  );
}
