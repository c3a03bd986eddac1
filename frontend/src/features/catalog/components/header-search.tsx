import { useState } from 'react';
import { AutoComplete } from 'antd';
// Search by itself: antd's Input with its statics would bring TextArea, Password and OTP to every page.
import Search from 'antd/es/input/Search';
import { useNavigate } from 'react-router-dom';
import { paths } from '@/config/paths';
import { useSearchSuggestions } from '../hooks/use-search-suggestions';
import { emptyFilters, filtersToSearchParams } from '../utils/filters';
import { useTranslation } from 'react-i18next';

/** The header's search box: product names suggested as you type; Enter lists every match. */
export function HeaderSearch({ width = 260 }: { width?: number | string }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const navigate = useNavigate();
  const { suggestions } = useSearchSuggestions(text);
  const options = suggestions.map((product) => ({ key: product.id, value: product.id, label: product.name }));
  const openProduct = (id: string) => {
    setText('');
    void navigate(paths.product(id));
  };
  const listMatches = (value: string) => {
    const search = value.trim();
    const params = filtersToSearchParams({ ...emptyFilters, search });
    void navigate(search ? `${paths.products}?${params.toString()}` : paths.products);
  };
  return (
    <AutoComplete
      options={options}
      value={text}
      onSearch={setText}
      onSelect={openProduct}
      style={{ width }}
      popupMatchSelectWidth={false}
      // Enter lists every match unless a suggestion was picked with the arrow keys.
      defaultActiveFirstOption={false}
    >
      <Search placeholder={t('header.search')} aria-label={t('header.search')} onSearch={listMatches} />
    </AutoComplete>
  );
}
