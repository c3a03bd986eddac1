import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';
import { gqlDocuments } from './build/gql-documents.ts';
import { cardTabs } from './build/card-tabs.ts';
import { lazyAntdParts } from './build/lazy-antd-parts.ts';
import { rcFormBarrel } from './build/rc-form-barrel.ts';

const backend = 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react(), rcFormBarrel(), cardTabs(), lazyAntdParts(), gqlDocuments(fileURLToPath(new URL('./src/gql/graphql.ts', import.meta.url)))],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: {
      '/graphql': { target: backend, ws: true },
      '/healthz': backend,
      '/readyz': backend,
      '/media': backend,
      '/payments': backend,
    },
  },
  build: {
    outDir: 'dist',
    // The manifest maps each source module to its chunk and that chunk's imports:
    // scripts/bundle-report.mjs reads it to weigh what a first visit loads.
    manifest: true,
    rolldownOptions: {
      output: {
        // Every module the entry imports statically (rolldown's `$initial`) in the entry chunk
        // itself: left to the automatic splitting they were some 30 chunks, all loaded at once
        // on every first visit, and cut apart they compressed ~20 KB worse. Pages and whatever
        // loads on demand still get chunks of their own. The entry has no antd (the pages that
        // use it load it: src/components/antd-scope.tsx); antd's engine (ConfigProvider, theme,
        // CSS-in-JS, shared utilities), which every such page needs, is one chunk: left to the
        // automatic splitting, it was cut by which pages share each module into 47-75 files a
        // page, and the product, product list and sign-in pages were 5-8 KB heavier (the home
        // page, which uses less of antd, 7 KB lighter). Not antd's locales: the Chinese one
        // loads with the Chinese strings only.
        codeSplitting: {
          groups: [
            { name: 'index', tags: ['$initial'] },
            {
              name: 'antd',
              test: /node_modules[\\/](antd[\\/]es[\\/](_util|config-provider|style|theme|locale(?![\\/](en_US|zh_CN))|version)|@ant-design[\\/](colors|cssinjs|cssinjs-utils|fast-color)|@emotion|@rc-component[\\/](motion|resize-observer|util)|stylis|clsx|antd[\\/]node_modules)[\\/]/,
            },
          ],
        },
      },
    },
    // Chunks such as the entry (~400 KB minified) are large; the bundle report's budgets, not
    // this warning, watch the sizes.
    chunkSizeWarningLimit: 1000,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}', 'scripts/**/*.test.mjs', 'build/**/*.test.ts'],
    setupFiles: ['src/testing/setup.ts'],
    // Role queries over antd's DOM in jsdom take seconds on a slow 2-core machine: 5 s (the
    // default) failed a synchronous table test there; a hang still fails, 4x later.
    testTimeout: 20_000,
  },
});
