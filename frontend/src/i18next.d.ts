import 'i18next';
import type { resources } from '@/lib/i18n';

// Keys are checked by tsc: `t('shop:missing.key')` does not compile.
declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common';
    resources: (typeof resources)['en'];
  }
}
