import type { ReactNode } from 'react';
import { Breadcrumb, Col, Flex, Row, Typography } from 'antd';
import { Link } from 'react-router-dom';
import { paths } from '@/config/paths';
import type { ProductDetailFieldsFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';
import { filtersToSearchParams, emptyFilters } from '../utils/filters';
import { ProductGallery } from './product-gallery';
import { StockTag } from './stock-tag';
import { useTranslation } from 'react-i18next';

export type ProductDetailData = ProductDetailFieldsFragment;

export interface ProductDetailProps {
  product: ProductDetailData;
  /** The purchase controls (quantity, add to cart), composed in by the app. */
  purchase?: ReactNode;
}

const categoryLink = (categoryId: string) =>
  `${paths.products}?${filtersToSearchParams({ ...emptyFilters, categoryId }).toString()}`;

export function ProductDetail({ product, purchase }: ProductDetailProps) {
  const { t } = useTranslation('shop');
  return (
    <article aria-labelledby="product-name">
      <Breadcrumb
        style={{ marginBottom: 16 }}
        items={[
          { key: 'products', title: <Link to={paths.products}>{t('catalog.products')}</Link> },
          ...(product.category
            ? [{ key: 'category', title: <Link to={categoryLink(product.category.id)}>{product.category.name}</Link> }]
            : []),
          { key: 'product', title: product.name },
        ]}
      />
      <Row gutter={[32, 24]}>
        <Col xs={24} md={12}>
          <ProductGallery name={product.name} images={product.images} />
        </Col>
        <Col xs={24} md={12}>
          <Flex vertical gap={16}>
            <Typography.Title level={2} id="product-name" style={{ margin: 0 }}>
              {product.name}
            </Typography.Title>
            <Flex align="center" gap={12}>
              <Typography.Text strong style={{ fontSize: 28 }} aria-label={t('catalog.price')}>
                {formatMoney(product.price)}
              </Typography.Text>
              <StockTag stock={product.stock} />
            </Flex>
            {product.description && <Typography.Paragraph>{product.description}</Typography.Paragraph>}
            {purchase}
          </Flex>
        </Col>
      </Row>
    </article>
  );
}
