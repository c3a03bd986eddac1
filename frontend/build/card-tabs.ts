// antd's Card imports its Tabs (rc-tabs, ~7 KB gzipped) for the `tabList` prop, which no card of
// this app passes; every page with a card (home, catalog, sale, cart, sign-in) loaded them. This
// plugin gives Card a Tabs that loads antd's own when first rendered (React.lazy), so a card
// without tabs costs nothing and one with tabs still works.
import type { Plugin } from 'vite';

const ID = '\0card-tabs';
const CARD = /\/node_modules\/antd\/es\/card\/Card\.js$/;

const CODE = `
import * as React from 'react';
const Tabs = React.lazy(() => import('antd/es/tabs'));
export default function CardTabs(props) {
  return React.createElement(React.Suspense, { fallback: null }, React.createElement(Tabs, props));
}
`;

export function cardTabs(): Plugin {
  return {
    name: 'flashmart-card-tabs',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === '../tabs' && importer && CARD.test(importer) ? ID : null;
    },
    load(id) {
      return id === ID ? CODE : null;
    },
  };
}
