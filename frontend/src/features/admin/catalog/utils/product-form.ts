import type { ProductInput, ProductUpdateInput } from '@/gql/graphql';

export const productFields = ['name', 'slug', 'description', 'price', 'stock', 'categoryId', 'isPublished'] as const;
export type ProductField = (typeof productFields)[number];

export interface ProductFormValues {
  name: string;
  slug: string;
  description: string;
  /** A decimal string ("19.90"), as typed. */
  price: string | null;
  stock: number | null;
  categoryId: string | null;
  isPublished: boolean;
}

export interface EditableProduct {
  name: string;
  slug: string;
  description: string;
  stock: number;
  isPublished: boolean;
  price: { amount: string };
  category?: { id: string } | null;
}

export const emptyProduct: ProductFormValues = {
  name: '',
  slug: '',
  description: '',
  price: null,
  stock: 0,
  categoryId: null,
  isPublished: false,
};

export function formValuesOf(product: EditableProduct): ProductFormValues {
  return {
    name: product.name,
    slug: product.slug,
    description: product.description,
    price: product.price.amount,
    stock: product.stock,
    categoryId: product.category?.id ?? null,
    isPublished: product.isPublished,
  };
}

const text = (value: string | null | undefined) => (value ?? '').trim();
const price = (value: string | number | null) => (value === null ? '' : String(value).trim());

/** A new product from the form; a blank slug lets the API make one from the name. */
export function toProductInput(values: ProductFormValues): ProductInput {
  return {
    name: text(values.name),
    slug: text(values.slug) || null,
    description: text(values.description),
    price: price(values.price),
    stock: values.stock ?? 0,
    categoryId: values.categoryId ?? null,
    isPublished: values.isPublished,
  };
}

/**
 * Only what changed since `initial`, so an edit never overwrites a field nobody touched (stock
 * is left out: it changes through productStockSet, since shoppers take units all the time).
 */
export function toProductUpdateInput(values: ProductFormValues, initial: ProductFormValues): ProductUpdateInput {
  const input: ProductUpdateInput = {};
  if (text(values.name) !== text(initial.name)) input.name = text(values.name);
  if (text(values.slug) !== text(initial.slug)) input.slug = text(values.slug) || null;
  if (text(values.description) !== text(initial.description)) input.description = text(values.description);
  if (price(values.price) !== price(initial.price)) input.price = price(values.price);
  if ((values.categoryId ?? null) !== (initial.categoryId ?? null)) input.categoryId = values.categoryId ?? null;
  if (values.isPublished !== initial.isPublished) input.isPublished = values.isPublished;
  return input;
}
