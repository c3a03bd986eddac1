import { fileURLToPath, URL } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

const backend = 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
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
  build: { outDir: 'dist' },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/testing/setup.ts'],
    // Role queries over antd's DOM in jsdom take seconds on a slow 2-core machine: 5 s (the
    // default) failed a synchronous table test there; a hang still fails, 4x later.
    testTimeout: 20_000,
  },
});
