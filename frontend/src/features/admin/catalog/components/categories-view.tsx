import { useState } from 'react';
import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Empty, Flex, Row, Tree, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryState } from '@/components/query-state';
import { normalizeError } from '@/lib/errors';
import { useAdminCategories } from '../hooks/use-admin-categories';
import { findNode, type CategoryNode } from '../utils/category-tree';
import { noErrors, sortUserErrors, type SortedErrors } from '../utils/user-errors';
import { CategoryForm, categoryFields, type CategoryField, type CategoryFormValues } from './category-form';

interface TreeData {
  key: string;
  title: string;
  children: TreeData[];
}
const treeData = (nodes: CategoryNode[]): TreeData[] =>
  nodes.map((node) => ({ key: node.id, title: node.name, children: treeData(node.children) }));

/** The category tree; pick one to rename or move it, or create a new one. */
export function CategoriesView() {
  const categories = useAdminCategories();
  const { t } = useTranslation('console');
  const { message } = App.useApp();
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [errors, setErrors] = useState<SortedErrors<CategoryField>>(noErrors);
  const [formKey, setFormKey] = useState(0);
  const selected = selectedId ? (findNode(categories.tree, selectedId) ?? null) : null;

  const select = (id: string | null) => {
    setSelectedId(id);
    setErrors(noErrors);
    setFormKey((key) => key + 1);
  };
  const save = async ({ name, slug, parentId }: CategoryFormValues) => {
    const input = { name: name.trim(), slug: slug.trim() || null, parentId: parentId ?? null };
    const outcome = selected ? await categories.update(selected.id, input) : await categories.create(input);
    if (outcome.error) {
      setErrors({ byField: {}, general: [normalizeError(outcome.error).message] });
      return;
    }
    setErrors(sortUserErrors(outcome.userErrors, categoryFields));
    if (outcome.category && outcome.userErrors.length === 0) {
      void message.success(t(selected ? 'categories.saved' : 'categories.created', { name: outcome.category.name }));
      select(outcome.category.id);
    }
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12}>
        <Typography.Title level={2}>{t('categories.title')}</Typography.Title>
        <Button icon={<PlusOutlined />} onClick={() => select(null)}>
          {t('categories.new')}
        </Button>
      </Flex>
      <QueryState loadingLabel={t('categories.loading')} fetching={categories.fetching} error={categories.error}>
        <Row gutter={[24, 24]}>
          <Col xs={24} md={12}>
            <Card title={t('categories.tree', { count: categories.count })}>
              {categories.count === 0 ? (
                <Empty description={t('categories.none')} />
              ) : (
                <Tree<TreeData>
                  key={categories.count}
                  aria-label={t('categories.treeLabel')}
                  defaultExpandAll
                  blockNode
                  treeData={treeData(categories.tree)}
                  selectedKeys={selectedId ? [selectedId] : []}
                  onSelect={(keys) => select(keys.length ? String(keys[0]) : null)}
                />
              )}
            </Card>
          </Col>
          <Col xs={24} md={12}>
            <Card title={selected ? t('categories.edit', { name: selected.name }) : t('categories.new')}>
              <CategoryForm
                key={`${selected?.id ?? 'new'}-${String(formKey)}`}
                category={selected}
                tree={categories.tree}
                errors={errors}
                submitting={categories.saving}
                onSubmit={(values) => void save(values)}
                onCancel={() => select(null)}
              />
            </Card>
          </Col>
        </Row>
      </QueryState>
    </>
  );
}
