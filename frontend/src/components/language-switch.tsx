import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { currentLanguage, LANGUAGES, type Language } from '@/lib/i18n';

/** English / 简体中文; the choice is remembered (i18next's detector caches it in localStorage).
 * `compact` (phone width) names them EN / 中文. */
export function LanguageSwitch({ compact = false }: { compact?: boolean }) {
  const { t, i18n } = useTranslation();
  return (
    <Select<Language>
      aria-label={t('language.label')}
      size="small"
      variant="borderless"
      value={currentLanguage()}
      onChange={(code) => void i18n.changeLanguage(code)}
      options={LANGUAGES.map(({ code, label, short }) => ({ value: code, label: compact ? short : label }))}
      popupMatchSelectWidth={false}
    />
  );
}
