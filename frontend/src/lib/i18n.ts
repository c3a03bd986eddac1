// One i18n instance for the shop and the console: English and 简体中文, the browser's language
// by default, the shopper's choice remembered in localStorage. Strings live in
// src/locales/<language>/<namespace>.json: `common` (header, shared components, errors),
// `shop` (storefront pages) and `console` (admin pages). `console` is not in the shop's bundle:
// the console's routes load it (loadConsoleStrings) before they render.
import i18n from 'i18next';
import LanguageDetector from 'i18next-browser-languagedetector';
import { initReactI18next } from 'react-i18next';
import commonEn from '@/locales/en/common.json';
import shopEn from '@/locales/en/shop.json';
import commonZh from '@/locales/zh-CN/common.json';
import shopZh from '@/locales/zh-CN/shop.json';

export const LANGUAGES = [
  { code: 'en', label: 'English', short: 'EN' },
  { code: 'zh-CN', label: '简体中文', short: '中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];
export const LANGUAGE_STORAGE_KEY = 'flashmart.language';

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources: {
      en: { common: commonEn, shop: shopEn },
      'zh-CN': { common: commonZh, shop: shopZh },
    },
    supportedLngs: LANGUAGES.map((l) => l.code),
    // "zh", "zh-Hans", "zh-SG" -> zh-CN; anything else -> English.
    nonExplicitSupportedLngs: false,
    fallbackLng: { zh: ['zh-CN'], 'zh-Hans': ['zh-CN'], 'zh-SG': ['zh-CN'], default: ['en'] },
    defaultNS: 'common',
    ns: ['common', 'shop', 'console'],
    interpolation: { escapeValue: false }, // React escapes
    detection: {
      order: ['localStorage', 'navigator'],
      lookupLocalStorage: LANGUAGE_STORAGE_KEY,
      caches: ['localStorage'],
      convertDetectedLanguage: (lng: string) => (lng.toLowerCase().startsWith('zh') ? 'zh-CN' : lng),
    },
    returnNull: false,
  });

/** Adds the `console` namespace (both languages) from its own chunks; the console's routes await it. */
export async function loadConsoleStrings(): Promise<void> {
  const [en, zh] = await Promise.all([import('@/locales/en/console.json'), import('@/locales/zh-CN/console.json')]);
  i18n.addResourceBundle('en', 'console', en.default, true, true);
  i18n.addResourceBundle('zh-CN', 'console', zh.default, true, true);
}

/** The language the page is shown in: one of LANGUAGES. */
export function currentLanguage(): Language {
  return i18n.resolvedLanguage === 'zh-CN' ? 'zh-CN' : 'en';
}

/** The locale for Intl formatting of the current language. */
export function intlLocale(): string {
  return currentLanguage() === 'zh-CN' ? 'zh-CN' : 'en-US';
}

export { i18n };

function markDocument(lng: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = lng === 'zh-CN' ? 'zh-CN' : 'en';
}
markDocument(currentLanguage());
i18n.on('languageChanged', markDocument);
