import { useEffect, useState, type ReactNode } from 'react';
import { ConfigProvider } from 'antd';
import type { Locale } from 'antd/es/locale';
import enUS from 'antd/es/locale/en_US';
import { useTranslation } from 'react-i18next';
import { Outlet } from 'react-router-dom';
import { THEME } from '@/config/theme';
import { addLibraryStrings, currentLanguage, type Language } from '@/lib/i18n';

// antd's theme (src/config/theme.ts) and its strings in the page's language (empty states,
// pagination, pickers), for the parts of the app that use antd. The shell every page loads (the
// header) and the flash-sale page draw with components of our own (src/components/ui), so antd,
// its style engine and this scope load with the first page that needs them: the router's antd
// routes (src/app/router.tsx) and the few antd parts that load later on their own (the account
// menu, the email notice, a ticket's steps, the "not found" result).

const LOCALES: Partial<Record<Language, Locale>> = { en: enUS };

async function loadLocale(language: string): Promise<void> {
  if (language !== 'zh-CN' || LOCALES['zh-CN']) return;
  LOCALES['zh-CN'] = (await import('antd/es/locale/zh_CN')).default;
}

// From now on a language switch loads antd's strings with the app's, and shows the page in the
// new language once both are there.
addLibraryStrings(loadLocale);

/** Resolves once antd's strings for the language shown are loaded (the router awaits it). */
export function antdReady(): Promise<void> {
  return loadLocale(currentLanguage());
}

/** antd's ConfigProvider with the shop's theme and the page language's antd locale. */
export function AntdScope({ children }: { children: ReactNode }) {
  useTranslation(); // re-render on a language change
  const language = currentLanguage();
  const locale = LOCALES[language];
  const [, setLoaded] = useState(0);
  useEffect(() => {
    // A language whose strings were loaded before antd was: its antd strings come now.
    if (!locale) void loadLocale(language).then(() => setLoaded((count) => count + 1));
  }, [language, locale]);
  return (
    <ConfigProvider locale={locale} theme={THEME}>
      {children}
    </ConfigProvider>
  );
}

/** A layout route whose pages use antd: AntdScope around the matched child route. */
export function AntdScopeRoute() {
  return (
    <AntdScope>
      <Outlet />
    </AntdScope>
  );
}
