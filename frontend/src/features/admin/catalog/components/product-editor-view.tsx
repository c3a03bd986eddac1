import { useState, type CSSProperties, type ReactNode } from 'react';
import { App, Button, Card, Col, Empty, Flex, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { QueryState } from '@/components/query-state';
import { paths } from '@/config/paths';
import type { AdminProductFieldsFragment } from '@/gql/graphql';
import { useReturnLink } from '@/hooks/use-return-link';
import { normalizeError } from '@/lib/errors';
import { useAdminCategories } from '../hooks/use-admin-categories';
import { useProductEditor } from '../hooks/use-product-editor';
import { flattenTree } from '../utils/category-tree';
import {
  emptyProduct,
  formValuesOf,
  productFields,
  toProductInput,
  toProductUpdateInput,
  type ProductField,
  type ProductFormValues,
} from '../utils/product-form';
import { noErrors, outcomeProblems, sortUserErrors, type MutationOutcome, type SortedErrors } from '../utils/user-errors';
import { ProductForm } from './product-form';
import { ProductImages } from './product-images';
import { StockForm } from './stock-form';

type Editor = ReturnType<typeof useProductEditor>;

/** Create a product (`productId` null) or edit one: details, stock, images, publish, delete. */
export function ProductEditorView({ productId }: { productId: string | null }) {
  const editor = useProductEditor(productId);
  const categories = useAdminCategories();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const location = useLocation();
  const [formErrors, setFormErrors] = useState<SortedErrors<ProductField>>(noErrors);

  const showOutcome = (outcome: MutationOutcome) => {
    if (outcome.error) {
      setFormErrors({ byField: {}, general: [normalizeError(outcome.error).message] });
      return false;
    }
    setFormErrors(sortUserErrors(outcome.userErrors, productFields));
    return outcome.userErrors.length === 0;
  };

  const create = async (values: ProductFormValues) => {
    const outcome = await editor.create(toProductInput(values));
    const created = outcome.payload?.product;
    if (showOutcome(outcome) && created) {
      void message.success(`${created.name} is created. Add its images now.`);
      // Keep the way back to the list the editor was opened from.
      void navigate(paths.admin.product(created.id), { replace: true, state: location.state as unknown });
    }
  };

  if (productId === null) {
    return (
      <>
        <Breadcrumb />
        <Typography.Title level={2}>New product</Typography.Title>
        <Card style={{ maxWidth: 720 }}>
          <ProductForm
            mode="create"
            initialValues={emptyProduct}
            categories={flattenTree(categories.tree)}
            errors={formErrors}
            submitting={editor.saving}
            onSubmit={(values) => void create(values)}
          />
        </Card>
      </>
    );
  }

  return (
    <>
      <Breadcrumb />
      <QueryState loadingLabel="Loading product" fetching={editor.fetching || categories.fetching} error={editor.error}>
        {editor.product ? (
          <ExistingProduct
            key={editor.product.id}
            product={editor.product}
            editor={editor}
            categories={categories}
            formErrors={formErrors}
            showOutcome={showOutcome}
          />
        ) : (
          <Empty description="This product does not exist or was deleted.">
            <BackLink>Back to products</BackLink>
          </Empty>
        )}
      </QueryState>
    </>
  );
}

/** To the products list the editor was opened from (its filters and page), else the whole list. */
function BackLink({ children, style }: { children: ReactNode; style?: CSSProperties }) {
  const back = useReturnLink(paths.admin.products);
  return (
    <Link to={back.to} state={back.state} style={style}>
      {children}
    </Link>
  );
}

function Breadcrumb() {
  return <BackLink style={{ display: 'inline-block', marginBottom: 8 }}>← All products</BackLink>;
}

interface ExistingProductProps {
  product: AdminProductFieldsFragment;
  editor: Editor;
  categories: ReturnType<typeof useAdminCategories>;
  formErrors: SortedErrors<ProductField>;
  showOutcome: (outcome: MutationOutcome) => boolean;
}

function ExistingProduct({ product, editor, categories, formErrors, showOutcome }: ExistingProductProps) {
  const { message } = App.useApp();
  const navigate = useNavigate();
  const back = useReturnLink(paths.admin.products);
  const [stockErrors, setStockErrors] = useState<string[]>([]);
  const [imageErrors, setImageErrors] = useState<string[]>([]);
  const initial = formValuesOf(product);

  const save = async (values: ProductFormValues) => {
    const input = toProductUpdateInput(values, initial);
    if (Object.keys(input).length === 0) {
      void message.info('Nothing changed.');
      return;
    }
    if (showOutcome(await editor.update(product.id, input))) void message.success('Changes saved');
  };
  const setPublished = async (isPublished: boolean) => {
    const found = outcomeProblems(await editor.update(product.id, { isPublished }));
    if (found.length) void message.error(found.join(' '));
    else void message.success(isPublished ? `${product.name} is published` : `${product.name} is hidden from the shop`);
  };
  const setStock = async (stock: number) => {
    const outcome = await editor.setStock(product.id, stock);
    const found = outcomeProblems(outcome);
    setStockErrors(found);
    if (!found.length) void message.success(`Stock set to ${String(stock)}`);
  };
  const arrange = async (run: Promise<MutationOutcome>) => {
    const found = outcomeProblems(await run);
    setImageErrors(found);
    return found.length === 0;
  };
  const remove = async () => {
    const found = outcomeProblems(await editor.remove(product.id));
    if (found.length) {
      void message.error(found.join(' '));
      return;
    }
    void message.success(`${product.name} is deleted`);
    void navigate(back.to, { replace: true, state: back.state });
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space align="center" wrap>
          <Typography.Title level={2} style={{ margin: 0 }}>
            Edit product: {product.name}
          </Typography.Title>
          {product.isPublished ? <Tag color="green">Published</Tag> : <Tag>Draft</Tag>}
        </Space>
        <Space wrap>
          {product.isPublished && <Link to={paths.product(product.id)}>View in shop</Link>}
          <Button onClick={() => void setPublished(!product.isPublished)} loading={editor.saving}>
            {product.isPublished ? 'Unpublish' : 'Publish'}
          </Button>
          <Popconfirm
            title="Delete this product?"
            description="It disappears from the shop and from carts for good; orders keep its name and price."
            okText="Delete product"
            okButtonProps={{ danger: true }}
            onConfirm={() => void remove()}
          >
            <Button danger loading={editor.deleting}>
              Delete product
            </Button>
          </Popconfirm>
        </Space>
      </Flex>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={14}>
          <Card title="Details">
            <ProductForm
              mode="edit"
              initialValues={initial}
              categories={flattenTree(categories.tree)}
              errors={formErrors}
              submitting={editor.saving}
              onSubmit={(values) => void save(values)}
            />
          </Card>
        </Col>
        <Col xs={24} lg={10}>
          <Space orientation="vertical" size={24} style={{ width: '100%' }}>
            <Card title="Stock">
              <StockForm
                stock={product.stock}
                submitting={editor.settingStock}
                errors={stockErrors}
                onSubmit={(stock) => void setStock(stock)}
              />
            </Card>
            <Card title="Images">
              <ProductImages
                productName={product.name}
                images={product.images}
                uploading={editor.uploading}
                arranging={editor.arranging}
                errors={imageErrors}
                onUpload={(file, alt) => arrange(editor.upload(product.id, file, alt))}
                onReorder={(ids) => void arrange(editor.reorder(product.id, ids))}
                onDescribe={(id, alt) => arrange(editor.describeImage(id, alt))}
                onDelete={(id) => void arrange(editor.removeImage(id))}
              />
            </Card>
          </Space>
        </Col>
      </Row>
    </>
  );
}
