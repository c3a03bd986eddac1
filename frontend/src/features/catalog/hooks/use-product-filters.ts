import { useUrlList, type UrlListCodec } from '@/hooks/use-url-list';
import { afterFromParams, filtersToSearchParams, parseFilters, type ProductFilters } from '../utils/filters';

const codec: UrlListCodec<ProductFilters> = {
  parse: parseFilters,
  toParams: filtersToSearchParams,
  cursorOf: afterFromParams,
};

/** The storefront list's filters and page, kept in the URL (see useUrlList). */
export function useProductFilters() {
  const { cursor, ...list } = useUrlList(codec);
  return { ...list, after: cursor };
}
