import { useId, useState, type KeyboardEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { SearchIcon } from '@/components/ui/icons';
import { paths } from '@/config/paths';
import { useSearchSuggestions } from '../hooks/use-search-suggestions';
import { emptyFilters, filtersToSearchParams } from '../utils/filters';
import { useTranslation } from 'react-i18next';

/**
 * The header's search box: product names suggested as you type; Enter lists every match. A
 * combobox of our own (WAI-ARIA's "list autocomplete" pattern: the arrow keys move through the
 * suggestions, Enter opens the one chosen, Escape closes the list), drawn like antd's Search in
 * an AutoComplete (src/app/styles.css): those (rc-select, rc-input) would come with every page's header.
 */
export function HeaderSearch({ width = 260 }: { width?: number | string }) {
  const { t } = useTranslation();
  const id = useId();
  const [text, setText] = useState('');
  const [active, setActive] = useState(-1);
  const [closed, setClosed] = useState(false);
  const navigate = useNavigate();
  const { suggestions } = useSearchSuggestions(text);
  const open = !closed && suggestions.length > 0;
  const optionId = (index: number) => `${id}-option-${index}`;
  const openProduct = (productId: string) => {
    setText('');
    setActive(-1);
    void navigate(paths.product(productId));
  };
  const listMatches = () => {
    const search = text.trim();
    const params = filtersToSearchParams({ ...emptyFilters, search });
    setClosed(true);
    void navigate(search ? `${paths.products}?${params.toString()}` : paths.products);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // Keys that an input method (pinyin) is composing with are its own: Enter picks its characters.
    if (event.nativeEvent.isComposing || event.keyCode === 229) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (!suggestions.length) return;
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setClosed(false);
      setActive((at) => (open ? (at + 1 + step + suggestions.length + 1) % (suggestions.length + 1) - 1 : step > 0 ? 0 : suggestions.length - 1));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      const chosen = open ? suggestions[active] : undefined;
      if (chosen) openProduct(chosen.id);
      else listMatches();
    } else if (event.key === 'Escape' && open) {
      event.preventDefault();
      setClosed(true);
      setActive(-1);
    }
  };
  return (
    <div className="header-search" style={{ width }}>
      <input
        type="text"
        role="combobox"
        aria-label={t('header.search')}
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={`${id}-list`}
        aria-activedescendant={open && active >= 0 ? optionId(active) : undefined}
        autoComplete="off"
        placeholder={t('header.search')}
        value={text}
        onChange={(event) => {
          setText(event.target.value);
          setActive(-1);
          setClosed(false);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => {
          setClosed(true);
          setActive(-1);
        }}
      />
      <button type="button" aria-label={t('header.search')} onClick={listMatches}>
        <SearchIcon />
      </button>
      <ul id={`${id}-list`} role="listbox" aria-label={t('header.search')} hidden={!open}>
        {open &&
          suggestions.map((product, index) => (
            <li
              key={product.id}
              id={optionId(index)}
              role="option"
              aria-selected={index === active}
              // Keep the focus in the box: the click opens the product.
              onMouseDown={(event) => event.preventDefault()}
              onMouseEnter={() => setActive(index)}
              onClick={() => openProduct(product.id)}
            >
              {product.name}
            </li>
          ))}
      </ul>
    </div>
  );
}
