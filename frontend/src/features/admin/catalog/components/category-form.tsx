import { useEffect } from 'react';
import { Button, Form, Input, Space, TreeSelect } from 'antd';
import { useTranslation } from 'react-i18next';
import { FormErrors } from '@/components/form-errors';
import { parentOptions, type CategoryNode } from '../utils/category-tree';
import type { SortedErrors } from '../utils/user-errors';

export const categoryFields = ['name', 'slug', 'parentId'] as const;
export type CategoryField = (typeof categoryFields)[number];

export interface CategoryFormValues {
  name: string;
  slug: string;
  parentId: string | null;
}

export interface CategoryFormProps {
  /** The category being edited; null for a new one. */
  category: CategoryNode | null;
  tree: CategoryNode[];
  errors: SortedErrors<CategoryField>;
  submitting: boolean;
  onSubmit: (values: CategoryFormValues) => void;
  onCancel: () => void;
}

/** Name, slug and parent (never itself or one of its own subcategories). */
export function CategoryForm({ category, tree, errors, submitting, onSubmit, onCancel }: CategoryFormProps) {
  const { t } = useTranslation('console');
  const [form] = Form.useForm<CategoryFormValues>();
  useEffect(() => {
    form.setFields(categoryFields.map((name) => ({ name, errors: errors.byField[name] ?? [] })));
  }, [form, errors]);

  return (
    <Form<CategoryFormValues>
      form={form}
      layout="vertical"
      aria-label={category ? t('categories.edit', { name: category.name }) : t('categories.new')}
      initialValues={{ name: category?.name ?? '', slug: category?.slug ?? '', parentId: category?.parentId ?? null }}
      onFinish={onSubmit}
    >
      <FormErrors messages={errors.general} />
      <Form.Item name="name" label={t('categories.name')}
        rules={[{ required: true, whitespace: true, message: t('categories.nameRequired') }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="slug" label={t('categories.slug')} extra={t('categories.slugHelp')}>
        <Input />
      </Form.Item>
      <Form.Item name="parentId" label={t('categories.parent')}>
        <TreeSelect<string | null>
          allowClear
          treeDefaultExpandAll
          placeholder={t('categories.noParent')}
          treeData={parentOptions(tree, category?.id)}
        />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {category ? t('categories.save') : t('categories.create')}
        </Button>
        {category && <Button onClick={onCancel}>{t('categories.newInstead')}</Button>}
      </Space>
    </Form>
  );
}
