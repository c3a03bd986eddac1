import { Button, Popconfirm, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { AdminProductRowFieldsFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';

export type ProductRow = AdminProductRowFieldsFragment;

export interface ProductsTableProps {
  products: ProductRow[];
  /** Products with a publish or delete on its way: their actions wait, other rows do not. */
  busyIds: ReadonlySet<string>;
  /** Router state for the links to the editor (e.g. the way back to this filtered list). */
  linkState?: unknown;
  onSetPublished: (product: ProductRow, isPublished: boolean) => void;
  onDelete: (product: ProductRow) => void;
}

/** One page of products with their state and the quick actions; the name opens the editor. */
export function ProductsTable({ products, busyIds, linkState, onSetPublished, onDelete }: ProductsTableProps) {
  const { t } = useTranslation('console');
  return (
    <Table<ProductRow>
      rowKey="id"
      dataSource={products}
      pagination={false}
      aria-label={t('products.table.label')}
      scroll={{ x: 760 }}
      columns={[
        {
          title: t('products.table.image'),
          key: 'image',
          width: 72,
          render: (_, product) => {
            const [image] = product.images;
            return image ? (
              <img src={image.thumbnailUrl} alt="" width={48} height={36} style={{ objectFit: 'cover', borderRadius: 4 }} />
            ) : null;
          },
        },
        {
          title: t('products.table.name'),
          key: 'name',
          render: (_, product) => (
            <Link to={paths.admin.product(product.id)} state={linkState}>
              {product.name}
            </Link>
          ),
        },
        { title: t('products.table.category'), key: 'category', render: (_, product) => product.category?.name ?? '—' },
        { title: t('products.table.price'), key: 'price', align: 'right', render: (_, product) => formatMoney(product.price) },
        {
          title: t('products.table.stock'),
          key: 'stock',
          align: 'right',
          render: (_, product) => (product.stock === 0 ? <Tag color="volcano">{t('product.soldOut')}</Tag> : product.stock),
        },
        {
          title: t('products.table.status'),
          key: 'status',
          render: (_, product) => product.isPublished ? (
              <Tag color="green">{t('product.published')}</Tag>
            ) : (
              <Tag>{t('product.draft')}</Tag>
            ),
        },
        {
          title: t('products.table.actions'),
          key: 'actions',
          render: (_, product) => (
            <Space wrap>
              <Button
                size="small"
                disabled={busyIds.has(product.id)}
                aria-label={t(product.isPublished ? 'products.table.unpublishNamed' : 'products.table.publishNamed', {
                  name: product.name,
                })}
                onClick={() => onSetPublished(product, !product.isPublished)}
              >
                {product.isPublished ? t('product.unpublish') : t('product.publish')}
              </Button>
              <Popconfirm
                title={t('products.table.deleteConfirm', { name: product.name })}
                description={t('product.deleteDescription')}
                okText={t('product.deleteProduct')}
                okButtonProps={{ danger: true }}
                onConfirm={() => onDelete(product)}
              >
                <Button size="small" danger disabled={busyIds.has(product.id)} aria-label={t('products.table.deleteNamed', { name: product.name })}>
                  {t('products.table.delete')}
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    />
  );
}
