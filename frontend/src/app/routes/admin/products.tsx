import { useParams } from 'react-router-dom';
import { ProductEditorView } from '@/features/admin/catalog/components/product-editor-view';
import { ProductsView } from '@/features/admin/catalog/components/products-view';

export function AdminProductsRoute() {
  return <ProductsView />;
}

export function AdminNewProductRoute() {
  return <ProductEditorView productId={null} />;
}

export function AdminProductRoute() {
  const { productId = '' } = useParams();
  // A new id remounts the editor, so nothing of the previous product lingers.
  return <ProductEditorView key={productId} productId={productId} />;
}
