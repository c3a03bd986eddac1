import 'i18next';
import type { resources } from '@/locales/resources';

// Keys are checked by tsc: `t('shop:missing.key')` does not compile.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}
