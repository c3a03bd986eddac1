import type { ThemeConfig } from 'antd';

// antd's default link blue (#1677ff), error red (#ff4d4f, danger buttons) and secondary,
// description and placeholder greys (45% and 25% black) are below WCAG AA's 4.5:1 on white, as is
// the primary colour on the console menu's selected row; these pass it (tests/e2e/a11y.spec.ts).
// The same colours are CSS variables (--fm-*) in src/app/styles.css, for the components of our
// own (src/components/ui) that the shell and the sale page use instead of antd's. Tag colours:
// src/app/styles.css.
export const THEME: ThemeConfig = {
  token: {
    colorPrimary: '#d4380d',
    colorLink: '#0958d9',
    colorError: '#cf1322',
    colorTextSecondary: 'rgba(0, 0, 0, 0.65)',
    colorTextTertiary: 'rgba(0, 0, 0, 0.65)',
    colorTextDescription: 'rgba(0, 0, 0, 0.65)',
    colorTextPlaceholder: 'rgba(0, 0, 0, 0.56)',
  },
  components: { Menu: { itemSelectedColor: '#ad2102' } },
};
