// The JavaScript a first visit to each storefront page loads, gzipped, against a budget:
// `node scripts/bundle-report.mjs [dist]` after `npm run build` (default `dist`). A first visit
// loads the entry chunk of index.html and its static imports (modulepreloaded), the language's
// strings the first render waits for (src/lib/i18n.ts; English is counted: Chinese is ~1 KB
// more, and ~2 KB more again with antd's Chinese locale on the pages that use antd), then the
// page's lazy route modules (src/app/router.tsx: antd's scope and the page's own) with their
// static imports; code a page imports later (on a click, or only in some states, like
// React.lazy parts) is not counted. Sizes are gzip level 9, the `.gz` files that
// scripts/compress.mjs writes and the servers send. Reads dist/.vite/manifest.json (vite's
// `build.manifest`); prints a table, writes docs/bundle-report.md and the table in the README
// (between the bundle-report markers), and exits 1 when a page is over its budget.
// Only node's built-ins: no dependency.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { constants, gzipSync } from 'node:zlib';

const KB = 1024;

/** The `common` and `shop` strings that main.tsx loads (one language's) before the first render. */
const STRINGS = ['src/locales/en/common.json', 'src/locales/en/shop.json'];

/** The lazy layout route of every storefront page but the sale's: antd's ConfigProvider (src/app/router.tsx). */
const ANTD = 'src/components/antd-scope.tsx';

/**
 * The pages and what each may load. `budget` is enforced (CI fails above it): the size measured
 * after issue 23's cuts (December 2026; README "Bundle size") plus 10-15 KB. Issue 23's target
 * for the sale page, 200 KB (`target`), is met (160.7 KB) and is now its budget's ceiling: the
 * shell (header) and the sale page draw with components of our own (src/components/ui), so their
 * first visit loads no antd. The entry chunk (144.1 KB) holds react-dom with react (~65 KB),
 * react-router (~29 KB), i18next with react-i18next (~17 KB), the GraphQL client (~14 KB) and
 * our own code (~13 KB); the sale page adds its strings and code (~17 KB). The other pages load
 * antd's engine (ConfigProvider, theme, CSS-in-JS: the `antd` chunk) and antd's scope
 * (src/components/antd-scope.tsx) with their own parts, 2-8 KB more than when the entry
 * carried antd (docs/bundle-report.md; `node scripts/chunk-packages.mjs` weighs a chunk by package).
 */
export const PAGES = [
  { name: 'Home', url: '/', modules: [...STRINGS, ANTD, 'src/app/routes/storefront/home.tsx'], budget: 255 * KB },
  { name: 'Products', url: '/products', modules: [...STRINGS, ANTD, 'src/app/routes/storefront/products.tsx'], budget: 320 * KB },
  { name: 'Product', url: '/products/:id', modules: [...STRINGS, ANTD, 'src/app/routes/storefront/product.tsx'], budget: 310 * KB },
  {
    name: 'Flash sale',
    url: '/flash-sales/:id',
    modules: [...STRINGS, 'src/app/routes/storefront/flash-sale.tsx'],
    budget: 175 * KB,
    target: 200 * KB,
  },
  { name: 'Cart', url: '/cart', modules: [...STRINGS, ANTD, 'src/app/routes/storefront/cart.tsx'], budget: 260 * KB },
  {
    name: 'Sign in',
    url: '/sign-in',
    modules: [...STRINGS, ANTD, 'src/app/routes/storefront/sign-in.tsx'],
    budget: 305 * KB,
  },
];

/** The manifest keys of the chunks `keys` load at once: themselves and their static imports, transitively. */
export function staticClosure(manifest, keys) {
  const seen = new Set();
  const stack = [...keys];
  while (stack.length) {
    const key = stack.pop();
    if (seen.has(key)) continue;
    const chunk = manifest[key];
    if (!chunk) throw new Error(`bundle-report: ${key} is not in the manifest`);
    seen.add(key);
    stack.push(...(chunk.imports ?? []));
  }
  return seen;
}

/** The JS files (dist-relative) a first visit to a page with these route modules loads. */
export function firstVisitFiles(manifest, routeModules) {
  const entries = Object.keys(manifest).filter((key) => manifest[key].isEntry);
  if (entries.length !== 1) throw new Error(`bundle-report: expected one entry, found ${entries.length}`);
  const keys = staticClosure(manifest, [...entries, ...routeModules]);
  return [...new Set([...keys].map((key) => manifest[key].file))].filter((file) => file.endsWith('.js')).sort();
}

/** Each page's files, their gzipped sizes (from `sizeOf(file)`) and whether it keeps its budget. */
export function measure(manifest, sizeOf, pages = PAGES) {
  return pages.map((page) => {
    const files = firstVisitFiles(manifest, page.modules).map((file) => ({ file, gzip: sizeOf(file) }));
    const total = files.reduce((sum, { gzip }) => sum + gzip, 0);
    return { ...page, files, total, ok: total <= page.budget };
  });
}

const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

export function table(results) {
  const rows = results.map(
    (r) =>
      `| ${r.name} | \`${r.url}\` | ${r.files.length} | ${kb(r.total)} | ${kb(r.budget)} | ` +
      `${r.target === undefined ? '' : `${kb(r.target)} ${r.total <= r.target ? 'met' : 'not met'}`} | ${r.ok ? 'ok' : 'OVER'} |`,
  );
  return [
    '| Page | URL | JS files | gzipped JS, first visit | budget | target (issue 23) | |',
    '| --- | --- | ---: | ---: | ---: | --- | --- |',
    ...rows,
  ].join('\n');
}

function markdown(results) {
  const details = results.flatMap((r) => [
    '',
    `### ${r.name} (\`${r.url}\`): ${kb(r.total)}`,
    '',
    '| file | gzipped |',
    '| --- | ---: |',
    ...[...r.files].sort((a, b) => b.gzip - a.gzip).map(({ file, gzip }) => `| ${file} | ${kb(gzip)} |`),
  ]);
  return [
    '# Bundle report',
    '',
    'Written by `cd frontend && npm run build && node scripts/bundle-report.mjs` (also run by `make test-frontend`,',
    'which fails when a page is over its budget). A first visit loads the entry chunk and its static',
    'imports, the English `common` and `shop` strings (the first render waits for them), then the page\'s',
    'route modules with theirs; sizes are gzip level 9 (what the servers send).',
    '',
    table(results),
    '',
    '## Files per page',
    ...details,
    '',
  ].join('\n');
}

const README_START = '<!-- bundle-report:start -->';
const README_END = '<!-- bundle-report:end -->';

/** `readme` with the table between the markers (unchanged when it has no markers). */
export function withTable(readme, results) {
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return readme;
  return `${readme.slice(0, start + README_START.length)}\n${table(results)}\n${readme.slice(end)}`;
}

function main() {
  const dist = process.argv[2] ?? 'dist';
  const manifestPath = join(dist, '.vite', 'manifest.json');
  if (!existsSync(manifestPath)) {
    console.error(`bundle-report: ${manifestPath} is missing; run npm run build first`);
    process.exit(2);
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const sizeOf = (file) => gzipSync(readFileSync(join(dist, file)), { level: constants.Z_BEST_COMPRESSION }).length;
  const results = measure(manifest, sizeOf);
  console.log(table(results));
  const root = fileURLToPath(new URL('../../', import.meta.url));
  writeFileSync(join(root, 'docs', 'bundle-report.md'), markdown(results));
  const readmePath = join(root, 'README.md');
  const readme = readFileSync(readmePath, 'utf8');
  const updated = withTable(readme, results);
  if (updated !== readme) writeFileSync(readmePath, updated);
  const over = results.filter((r) => !r.ok);
  for (const r of over) console.error(`bundle-report: ${r.name} loads ${kb(r.total)}, over its ${kb(r.budget)} budget`);
  process.exit(over.length ? 1 : 0);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
