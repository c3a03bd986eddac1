import { useState, type CSSProperties, type ReactNode } from 'react';
import { App, Button, Card, Col, Empty, Flex, Popconfirm, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
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
  const { t } = useTranslation('console');
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
      void message.success(t('editor.created', { name: created.name }));
      // Keep the way back to the list the editor was opened from.
      void navigate(paths.admin.product(created.id), { replace: true, state: location.state as unknown });
    }
  };

  if (productId === null) {
    return (
      <>
        <Breadcrumb />
        <Typography.Title level={2}>{t('editor.newTitle')}</Typography.Title>
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
      <QueryState loadingLabel={t('editor.loading')} fetching={editor.fetching || categories.fetching} error={editor.error}>
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
          <Empty description={t('editor.missing')}>
            <BackLink>{t('editor.backToProducts')}</BackLink>
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
  const { t } = useTranslation('console');
  return <BackLink style={{ display: 'inline-block', marginBottom: 8 }}>{t('editor.allProducts')}</BackLink>;
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
  const { t } = useTranslation('console');
  const navigate = useNavigate();
  const back = useReturnLink(paths.admin.products);
  const [stockErrors, setStockErrors] = useState<string[]>([]);
  const [imageErrors, setImageErrors] = useState<string[]>([]);
  const initial = formValuesOf(product);

  const save = async (values: ProductFormValues) => {
    const input = toProductUpdateInput(values, initial);
    if (Object.keys(input).length === 0) {
      void message.info(t('editor.nothingChanged'));
      return;
    }
    if (showOutcome(await editor.update(product.id, input))) void message.success(t('editor.saved'));
  };
  const setPublished = async (isPublished: boolean) => {
    const found = outcomeProblems(await editor.update(product.id, { isPublished }));
    if (found.length) void message.error(found.join(' '));
    else void message.success(t(isPublished ? 'product.publishedMessage' : 'product.hiddenMessage', { name: product.name }));
  };
  const setStock = async (stock: number) => {
    const outcome = await editor.setStock(product.id, stock);
    const found = outcomeProblems(outcome);
    setStockErrors(found);
    if (!found.length) void message.success(t('editor.stockSet', { stock }));
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
    void message.success(t('product.deletedMessage', { name: product.name }));
    void navigate(back.to, { replace: true, state: back.state });
  };

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={12} style={{ marginBottom: 16 }}>
        <Space align="center" wrap>
          <Typography.Title level={2} style={{ margin: 0 }}>
            {t('editor.editTitle', { name: product.name })}
          </Typography.Title>
          {product.isPublished ? <Tag color="green">{t('product.published')}</Tag> : <Tag>{t('product.draft')}</Tag>}
        </Space>
        <Space wrap>
          {product.isPublished && <Link to={paths.product(product.id)}>{t('editor.viewInShop')}</Link>}
          <Button onClick={() => void setPublished(!product.isPublished)} loading={editor.saving}>
            {product.isPublished ? t('product.unpublish') : t('product.publish')}
          </Button>
          <Popconfirm
            title={t('editor.deleteConfirm')}
            description={t('product.deleteDescription')}
            okText={t('product.deleteProduct')}
            okButtonProps={{ danger: true }}
            onConfirm={() => void remove()}
          >
            <Button danger loading={editor.deleting}>
              {t('product.deleteProduct')}
            </Button>
          </Popconfirm>
        </Space>
      </Flex>
      <Row gutter={[24, 24]}>
        <Col xs={24} lg={14}>
          <Card title={t('editor.details')}>
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
            <Card title={t('editor.stock')}>
              <StockForm
                stock={product.stock}
                submitting={editor.settingStock}
                errors={stockErrors}
                onSubmit={(stock) => void setStock(stock)}
              />
            </Card>
            <Card title={t('editor.images')}>
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
