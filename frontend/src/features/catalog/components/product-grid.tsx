import type { ReactNode } from 'react';
import { Card, Col, Row, Tag, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { ProductCardFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { PicturePlaceholder, Thumbnail } from '@/components/product-picture';
import { StockTag } from './stock-tag';
import { useTranslation } from 'react-i18next';

/** Something the app shows on a product's card (such as its flash sale), composed in by the route. */
export type RenderProductExtra = (product: ProductCardFragment) => ReactNode;

export function ProductCard({ product, extra }: { product: ProductCardFragment; extra?: ReactNode }) {
  const [picture] = product.images;
  return (
    <Card
      aria-label={product.name}
      style={{ height: '100%' }}
      hoverable
      cover={
        <Link to={paths.product(product.id)} tabIndex={-1} aria-hidden style={{ padding: 8 }}>
          {picture ? (
            <Thumbnail src={picture.thumbnailUrl} alt="" />
          ) : (
            <PicturePlaceholder name={product.name} />
          )}
        </Link>
      }
    >
      <Typography.Title level={3} style={{ fontSize: 18 }}>
        <Link to={paths.product(product.id)}>{product.name}</Link>
      </Typography.Title>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {formatMoney(product.price)}
      </Typography.Text>
      <div style={{ marginTop: 8 }}>
        {product.category && <Tag>{product.category.name}</Tag>}
        {product.stock <= 0 && <StockTag stock={product.stock} />}
        {extra}
      </div>
    </Card>
  );
}

export function ProductGrid({
  products,
  renderExtra,
}: {
  products: ProductCardFragment[];
  renderExtra?: RenderProductExtra;
}) {
  const { t } = useTranslation('shop');
  return (
    <Row role="list" aria-label={t('catalog.products')} gutter={[16, 16]}>
      {products.map((product) => (
        <Col role="listitem" key={product.id} xs={12} md={8} lg={6}>
          <ProductCard product={product} extra={renderExtra?.(product)} />
        </Col>
      ))}
    </Row>
  );
}
