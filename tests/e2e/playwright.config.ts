import { defineConfig, devices } from '@playwright/test';

// Runs against the real stack (API + worker + built frontend, demo data seeded) that
// start-stack.sh brings up on port 8765 (E2E_PORT overrides it). Uses Debian's Chromium; Playwright downloads no browser.
const port = process.env.E2E_PORT ?? '8765';
const baseURL = `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: '.',
  outputDir: 'test-results',
  retries: 0,
  workers: 1,
  reporter: 'list',
  use: {
    baseURL,
    screenshot: 'only-on-failure',
    // The page's language follows the browser's: the specs read English unless they ask for Chinese.
    locale: 'en-US',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'bash start-stack.sh',
    url: `${baseURL}/readyz`,
    timeout: 180_000,
    reuseExistingServer: !process.env.CI,
    // SIGTERM, so `flashmart run` stops the API, the worker and its embedded Redis (which runs
    // in a session of its own and would outlive a SIGKILL of this process group).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
  },
});
