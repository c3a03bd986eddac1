// One i18n instance for the shop and the console: English and 简体中文, the browser's language
// by default, the shopper's choice remembered in localStorage (`flashmart.language`). Strings live in
// src/locales/<language>/<namespace>.json: `common` (header, shared components, errors),
// `shop` (storefront pages) and `console` (admin pages). Each file is a chunk of its own, loaded
// for the language shown only: `common` and `shop` before the app first renders (`i18nReady`,
// awaited by main.tsx), `console` when the console's routes load it (loadConsoleStrings). A
// language switch loads the new language's files (with antd's Chinese locale once a page that uses
// antd has loaded: src/components/antd-scope.tsx) first, and only then shows the page in it, so
// no untranslated key ever flashes.
import i18n, { type BackendModule, type LanguageDetectorModule, type ResourceKey } from 'i18next';
import { initReactI18next } from 'react-i18next';

export const LANGUAGES = [
  { code: 'en', label: 'English', short: 'EN' },
  { code: 'zh-CN', label: '简体中文', short: '中文' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];
export const LANGUAGE_STORAGE_KEY = 'flashmart.language';

// One lazy import per language and namespace (vite makes each file a chunk).
const STRINGS = import.meta.glob<{ default: ResourceKey }>('../locales/*/*.json');

// Libraries' own strings for a language (antd's, registered by src/components/antd-scope.tsx when
// the first page that uses antd loads): loaded with the language's `common` strings. (dayjs, the
// console's only, follows in src/lib/dayjs.ts.)
const libraryStrings = new Set<(language: string) => Promise<void>>();

/** Has `load(language)` run (and awaited) whenever a language's strings load from now on. */
export function addLibraryStrings(load: (language: string) => Promise<void>): void {
  libraryStrings.add(load);
}

/**
 * The languages to try, best first: the shopper's remembered choice, then the browser's. Chinese
 * in any form ("zh", "zh-Hans", "zh-TW") is zh-CN; i18next takes the first one it supports
 * ("en-US" counts as "en") and falls back to English.
 */
export function detectedLanguages(stored: string | null, browser: { languages?: readonly string[]; language?: string }): string[] {
  const found = [stored, ...(browser.languages ?? []), browser.language];
  return found
    .filter((code): code is string => !!code && /^[A-Za-z0-9_@.-]{1,64}$/.test(code))
    .map((code) => (code.toLowerCase().startsWith('zh') ? 'zh-CN' : code));
}

function storage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null; // storage turned off
  }
}

// The shopper's choice, read from and written to localStorage (a few lines instead of
// i18next-browser-languagedetector, which weighs 2 KB in every page).
const languageDetector: LanguageDetectorModule = {
  type: 'languageDetector',
  detect: () => detectedLanguages(storage()?.getItem(LANGUAGE_STORAGE_KEY) ?? null, typeof navigator === 'undefined' ? {} : navigator),
  cacheUserLanguage(lng) {
    try {
      storage()?.setItem(LANGUAGE_STORAGE_KEY, lng);
    } catch {
      // full or refused: the choice lasts this visit only
    }
  },
};

const localeFiles: BackendModule = {
  type: 'backend',
  init: () => undefined,
  read(language, namespace, callback) {
    const load = STRINGS[`../locales/${language}/${namespace}.json`];
    if (!load) {
      callback(new Error(`i18n: no ${namespace} strings for ${language}`), false);
      return;
    }
    Promise.all([load(), ...(namespace === 'common' ? [...libraryStrings].map((more) => more(language)) : [])]).then(
      ([strings]) => callback(null, strings.default),
      (error: unknown) => callback(error instanceof Error ? error : new Error(String(error)), false),
    );
  },
};

/** Resolves once the detected language's `common` and `shop` strings are loaded. */
export const i18nReady: Promise<unknown> = i18n
  .use(localeFiles)
  .use(languageDetector)
  .use(initReactI18next)
  .init({
    supportedLngs: LANGUAGES.map((l) => l.code),
    // "zh", "zh-Hans", "zh-SG" -> zh-CN; anything else -> English. Both languages have every key
    // (src/locales/locales.test.ts), so Chinese needs no English fallback (nor its download).
    nonExplicitSupportedLngs: false,
    fallbackLng: { zh: ['zh-CN'], 'zh-Hans': ['zh-CN'], 'zh-SG': ['zh-CN'], 'zh-CN': [], default: ['en'] },
    defaultNS: 'common',
    ns: ['common', 'shop'],
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
  });

/** Loads the `console` namespace (the language shown; a later switch loads the other's too). */
export async function loadConsoleStrings(): Promise<void> {
  await i18nReady;
  await i18n.loadNamespaces('console');
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
void i18nReady.then(() => markDocument(currentLanguage()));
i18n.on('languageChanged', markDocument);
