import { useEffect } from 'react';
import { Button, Form, Input, Space, TreeSelect } from 'antd';
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
  const [form] = Form.useForm<CategoryFormValues>();
  useEffect(() => {
    form.setFields(categoryFields.map((name) => ({ name, errors: errors.byField[name] ?? [] })));
  }, [form, errors]);

  return (
    <Form<CategoryFormValues>
      form={form}
      layout="vertical"
      aria-label={category ? `Edit ${category.name}` : 'New category'}
      initialValues={{ name: category?.name ?? '', slug: category?.slug ?? '', parentId: category?.parentId ?? null }}
      onFinish={onSubmit}
    >
      <FormErrors messages={errors.general} />
      <Form.Item name="name" label="Name" rules={[{ required: true, whitespace: true, message: 'Enter a name' }]}>
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item name="slug" label="Slug" extra="Leave blank to make one from the name.">
        <Input />
      </Form.Item>
      <Form.Item name="parentId" label="Parent category">
        <TreeSelect<string | null>
          allowClear
          treeDefaultExpandAll
          placeholder="None (a top-level category)"
          treeData={parentOptions(tree, category?.id)}
        />
      </Form.Item>
      <Space>
        <Button type="primary" htmlType="submit" loading={submitting}>
          {category ? 'Save category' : 'Create category'}
        </Button>
        {category && <Button onClick={onCancel}>New category instead</Button>}
      </Space>
    </Form>
  );
}
