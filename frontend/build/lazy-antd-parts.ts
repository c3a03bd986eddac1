// Parts of antd components that this app (nearly) never shows, yet every page with the component
// loaded: Typography's editing box (antd's TextArea and Input styles: no text of ours is
// `editable`), the Tooltip of Typography's ellipsis, edit and copy buttons (with rc-trigger: only
// the account's tracking number is `copyable`), Progress's circle (which imports Tooltip too:
// every progress bar of ours is a line) and ConfigProvider's provider for `tooltip.unique`
// (rc-trigger again, in the shell: no ConfigProvider of ours sets it). Together they were ~24 KB
// gzipped of the entry chunk. Each import is answered with a component that loads antd's own part
// when first rendered (React.lazy), so a page that does not use it costs nothing and one that
// does still works. (Card's Tabs: card-tabs.ts.)
import type { Plugin } from 'vite';

interface LazyPart {
  /** The import as antd's file writes it. */
  source: string;
  /** The antd files that import it so. */
  importer: RegExp;
  /** The part itself, loaded on first render. */
  module: string;
  /** Shown while it loads: the children (a tooltip's target) or nothing. */
  fallback: 'children' | 'nothing';
}

export const PARTS: LazyPart[] = [
  {
    source: '../../tooltip',
    importer: /\/node_modules\/antd\/es\/typography\/Base\/(index|EllipsisTooltip|CopyBtn)\.js$/,
    module: 'antd/es/tooltip',
    fallback: 'children',
  },
  {
    source: '../Editable',
    importer: /\/node_modules\/antd\/es\/typography\/Base\/index\.js$/,
    module: 'antd/es/typography/Editable',
    fallback: 'nothing',
  },
  {
    source: '../tooltip/UniqueProvider',
    importer: /\/node_modules\/antd\/es\/config-provider\/index\.js$/,
    module: 'antd/es/tooltip/UniqueProvider',
    fallback: 'children',
  },
  {
    source: './Circle',
    importer: /\/node_modules\/antd\/es\/progress\/progress\.js$/,
    module: 'antd/es/progress/Circle',
    fallback: 'nothing',
  },
];

const PREFIX = '\0lazy-antd-part:';

function code(part: LazyPart): string {
  return `
import * as React from 'react';
const Part = React.lazy(() => import('${part.module}'));
export default function LazyPart(props) {
  return React.createElement(React.Suspense, { fallback: ${part.fallback === 'children' ? 'props.children ?? null' : 'null'} }, React.createElement(Part, props));
}
`;
}

export function lazyAntdParts(parts: LazyPart[] = PARTS): Plugin {
  return {
    name: 'flashmart-lazy-antd-parts',
    enforce: 'pre',
    resolveId(source, importer) {
      if (!importer) return null;
      const index = parts.findIndex((part) => part.source === source && part.importer.test(importer));
      return index < 0 ? null : `${PREFIX}${index}`;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const part = parts[Number(id.slice(PREFIX.length))];
      return part ? code(part) : null;
    },
  };
}
