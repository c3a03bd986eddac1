import { Button, Popconfirm, Space, Table, Tag } from 'antd';
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
  return (
    <Table<ProductRow>
      rowKey="id"
      dataSource={products}
      pagination={false}
      aria-label="Products"
      scroll={{ x: 760 }}
      columns={[
        {
          title: 'Image',
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
          title: 'Name',
          key: 'name',
          render: (_, product) => (
            <Link to={paths.admin.product(product.id)} state={linkState}>
              {product.name}
            </Link>
          ),
        },
        { title: 'Category', key: 'category', render: (_, product) => product.category?.name ?? '—' },
        { title: 'Price', key: 'price', align: 'right', render: (_, product) => formatMoney(product.price) },
        {
          title: 'Stock',
          key: 'stock',
          align: 'right',
          render: (_, product) => (product.stock === 0 ? <Tag color="volcano">Sold out</Tag> : product.stock),
        },
        {
          title: 'Status',
          key: 'status',
          render: (_, product) => (product.isPublished ? <Tag color="green">Published</Tag> : <Tag>Draft</Tag>),
        },
        {
          title: 'Actions',
          key: 'actions',
          render: (_, product) => (
            <Space wrap>
              <Button
                size="small"
                disabled={busyIds.has(product.id)}
                aria-label={`${product.isPublished ? 'Unpublish' : 'Publish'} ${product.name}`}
                onClick={() => onSetPublished(product, !product.isPublished)}
              >
                {product.isPublished ? 'Unpublish' : 'Publish'}
              </Button>
              <Popconfirm
                title={`Delete ${product.name}?`}
                description="It disappears from the shop and from carts for good; orders keep its name and price."
                okText="Delete product"
                okButtonProps={{ danger: true }}
                onConfirm={() => onDelete(product)}
              >
                <Button size="small" danger disabled={busyIds.has(product.id)} aria-label={`Delete ${product.name}`}>
                  Delete
                </Button>
              </Popconfirm>
            </Space>
          ),
        },
      ]}
    />
  );
}
