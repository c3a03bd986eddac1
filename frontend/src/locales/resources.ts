// Every namespace of both languages, for the types of t() (src/i18next.d.ts) and the locales
// test. The app does not import this module: src/lib/i18n.ts loads each file on its own, for the
// language shown only.
import commonEn from './en/common.json';
import consoleEn from './en/console.json';
import shopEn from './en/shop.json';
import commonZh from './zh-CN/common.json';
import consoleZh from './zh-CN/console.json';
import shopZh from './zh-CN/shop.json';

export const resources = {
  en: { common: commonEn, shop: shopEn, console: consoleEn },
  'zh-CN': { common: commonZh, shop: shopZh, console: consoleZh },
} as const;
