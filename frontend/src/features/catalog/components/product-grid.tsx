import { Card, Col, Row, Tag, Typography } from 'antd';
import type { ProductCardFragment } from '@/gql/graphql';
import { formatMoney } from '@/utils/format';

export function ProductCard({ product }: { product: ProductCardFragment }) {
  return (
    <Card aria-label={product.name} style={{ height: '100%' }}>
      <Typography.Title level={3} style={{ fontSize: 18 }}>
        {product.name}
      </Typography.Title>
      <Typography.Text strong style={{ fontSize: 16 }}>
        {formatMoney(product.price)}
      </Typography.Text>
      <div style={{ marginTop: 8 }}>
        {product.category && <Tag>{product.category.name}</Tag>}
        {product.stock === 0 && <Tag color="red">Out of stock</Tag>}
      </div>
    </Card>
  );
}

export function ProductGrid({ products }: { products: ProductCardFragment[] }) {
  return (
    <Row role="list" aria-label="Products" gutter={[16, 16]}>
      {products.map((product) => (
        <Col role="listitem" key={product.id} xs={24} sm={12} md={8} lg={6}>
          <ProductCard product={product} />
        </Col>
      ))}
    </Row>
  );
}
