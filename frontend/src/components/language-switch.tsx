import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGES } from '@/lib/i18n';

/** English / 简体中文; the choice is remembered (i18next's detector caches it in localStorage).
 * `compact` (phone width) names them EN / 中文. The browser's own select (a combobox to assistive
 * technology, the system's picker on a phone), styled like antd's small borderless Select
 * (src/app/styles.css): antd's Select (rc-select with its virtual list) would come with every page's header. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <select
      className="language-switch"
      aria-label={t('language.label')}
      value={currentLanguage()}
      onChange={(event) => void i18n.changeLanguage(event.target.value)}
    >
      {LANGUAGES.map(({ code, label, short }) => (
        <option key={code} value={code} lang={code}>
          {compact ? short : label}
        </option>
      ))}
    </select>
  );
}
