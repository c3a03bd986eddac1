import { useState } from 'react';
import { Button, Checkbox, Flex, Input, InputNumber, Select } from 'antd';
import type { CategoriesQuery } from '@/gql/graphql';
import { emptyFilters, hasActiveFilters, parsePrice, sortOptions, type ProductFilters, type ProductSortKey } from '../utils/filters';
import { useTranslation } from 'react-i18next';

type Category = CategoriesQuery['categories'][number];

export interface ProductFilterBarProps {
  filters: ProductFilters;
  categories: Category[];
  onChange: (filters: ProductFilters) => void;
}

const toNumber = (price: string | null) => (price === null ? null : Number(price));
const toPrice = (value: number | null) => (value === null ? null : parsePrice(String(value)));

/** Search, category, price range, stock and sort. Text and prices apply on Enter or when leaving the field. */
export function ProductFilterBar({ filters, categories, onChange }: ProductFilterBarProps) {
  const { t } = useTranslation('shop');
  const [search, setSearch] = useState(filters.search);
  const [minPrice, setMinPrice] = useState<number | null>(toNumber(filters.minPrice));
  const [maxPrice, setMaxPrice] = useState<number | null>(toNumber(filters.maxPrice));
  const [shown, setShown] = useState(filters);
  if (shown !== filters) {
    // The URL changed (back button, a link): show its filters.
    setShown(filters);
    setSearch(filters.search);
    setMinPrice(toNumber(filters.minPrice));
    setMaxPrice(toNumber(filters.maxPrice));
  }

  const change = (patch: Partial<ProductFilters>) => {
    const next = { ...filters, ...patch };
    if (JSON.stringify(next) !== JSON.stringify(filters)) onChange(next);
  };
  const applyPrices = () => change({ minPrice: toPrice(minPrice), maxPrice: toPrice(maxPrice) });

  return (
    <div role="search" aria-label={t('catalog.filters')}>
      <Flex wrap gap={12} align="center" style={{ marginBottom: 16 }}>
        <Input.Search
          aria-label={t('catalog.searchProducts')}
          placeholder={t('catalog.searchProducts')}
          allowClear
          enterButton={t('catalog.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onSearch={(value) => change({ search: value.trim() })}
          style={{ flex: '1 1 260px', maxWidth: 420 }}
        />
        <Select<string>
          aria-label={t('catalog.category')}
          placeholder={t('catalog.allCategories')}
          allowClear
          value={filters.categoryId ?? undefined}
          onChange={(value) => change({ categoryId: value ?? null })}
          options={categories.map((category) => ({
            value: category.id,
            label: category.parent ? `${category.parent.name} › ${category.name}` : category.name,
          }))}
          style={{ minWidth: 180 }}
        />
        <Flex gap={4} align="center">
          <InputNumber<number>
            aria-label={t('catalog.minPriceLabel')}
            placeholder={t('catalog.minPrice')}
            min={0}
            precision={2}
            value={minPrice}
            onChange={setMinPrice}
            onBlur={applyPrices}
            onPressEnter={applyPrices}
            style={{ width: 110 }}
          />
          <span aria-hidden>–</span>
          <InputNumber<number>
            aria-label={t('catalog.maxPriceLabel')}
            placeholder={t('catalog.maxPrice')}
            min={0}
            precision={2}
            value={maxPrice}
            onChange={setMaxPrice}
            onBlur={applyPrices}
            onPressEnter={applyPrices}
            style={{ width: 110 }}
          />
        </Flex>
        <Checkbox checked={filters.inStockOnly} onChange={(event) => change({ inStockOnly: event.target.checked })}>
          {t('catalog.inStockOnly')}
        </Checkbox>
        <Select<ProductSortKey>
          aria-label={t('catalog.sortBy')}
          placeholder={t('catalog.sortBy')}
          allowClear
          value={filters.sort ?? undefined}
          onChange={(value) => change({ sort: value ?? null })}
          options={sortOptions.map((value) => ({ value, label: t(`catalog.sort.${value}`) }))}
          style={{ minWidth: 190 }}
        />
        {hasActiveFilters(filters) && (
          <Button type="link" onClick={() => onChange({ ...emptyFilters, sort: filters.sort })}>
            {t('catalog.clearFilters')}
          </Button>
        )}
      </Flex>
    </div>
  );
}
