import { describe, expect, it } from 'vitest';
import { firstVisitFiles, measure, table, withTable } from './bundle-report.mjs';

// index.html -> entry (imports react, shared); the sale route imports shared and card, and
// loads a dialog later; the console's chunks import charts. Nothing of the console or the
// dialog is part of a first visit to the sale page.
const manifest = {
  'index.html': { file: 'assets/index.js', isEntry: true, imports: ['_react.js', '_shared.js'], css: ['assets/index.css'] },
  '_react.js': { file: 'assets/react.js' },
  '_shared.js': { file: 'assets/shared.js', imports: ['_react.js'] },
  '_card.js': { file: 'assets/card.js', imports: ['_shared.js'] },
  '_charts.js': { file: 'assets/charts.js', imports: ['_react.js'] },
  'src/sale.tsx': {
    file: 'assets/sale.js',
    isDynamicEntry: true,
    imports: ['_card.js'],
    dynamicImports: ['src/dialog.tsx'],
  },
  'src/dialog.tsx': { file: 'assets/dialog.js', isDynamicEntry: true, imports: ['_shared.js'] },
  'src/console.tsx': { file: 'assets/console.js', isDynamicEntry: true, imports: ['_charts.js'] },
  'src/locale.json': { file: 'assets/locale.js', isDynamicEntry: true },
};
const sizes = {
  'assets/index.js': 10_000,
  'assets/react.js': 60_000,
  'assets/shared.js': 5_000,
  'assets/card.js': 4_000,
  'assets/sale.js': 3_000,
  'assets/dialog.js': 50_000,
  'assets/charts.js': 100_000,
  'assets/console.js': 7_000,
};
const sizeOf = (file) => sizes[file];

describe('bundle report', () => {
  it('counts the entry, its static imports and the route module with its static imports, once each', () => {
    expect(firstVisitFiles(manifest, ['src/sale.tsx'])).toEqual([
      'assets/card.js',
      'assets/index.js',
      'assets/react.js',
      'assets/sale.js',
      'assets/shared.js',
    ]);
    expect(firstVisitFiles(manifest, [])).toEqual(['assets/index.js', 'assets/react.js', 'assets/shared.js']);
  });

  it('sums gzipped sizes and fails a page above its budget only', () => {
    const pages = [
      { name: 'Sale', url: '/s', modules: ['src/sale.tsx'], budget: 82_000 },
      { name: 'Console', url: '/c', modules: ['src/console.tsx'], budget: 150_000 },
    ];
    const [sale, console_] = measure(manifest, sizeOf, pages);
    expect(sale?.total).toBe(10_000 + 60_000 + 5_000 + 4_000 + 3_000);
    expect(sale?.ok).toBe(true);
    expect(console_?.total).toBe(10_000 + 60_000 + 5_000 + 100_000 + 7_000);
    expect(console_?.ok).toBe(false);
    expect(measure(manifest, sizeOf, [{ ...pages[0], budget: 81_999 }])[0]?.ok).toBe(false);
  });

  it('refuses a route module the build does not have', () => {
    expect(() => firstVisitFiles(manifest, ['src/missing.tsx'])).toThrow(/src\/missing.tsx is not in the manifest/);
  });

  it('prints a row per page and puts the table between the README markers', () => {
    const results = measure(manifest, sizeOf, [
      { name: 'Sale', url: '/s', modules: ['src/sale.tsx'], budget: 80_000, target: 50_000 },
    ]);
    const printed = table(results);
    expect(printed).toContain('| Sale | `/s` | 5 | 80.1 KB | 78.1 KB | 48.8 KB not met | OVER |');
    const readme = 'intro\n<!-- bundle-report:start -->\nold\n<!-- bundle-report:end -->\nafter\n';
    expect(withTable(readme, results)).toBe(
      `intro\n<!-- bundle-report:start -->\n${printed}\n<!-- bundle-report:end -->\nafter\n`,
    );
    expect(withTable('no markers\n', results)).toBe('no markers\n');
  });
});
