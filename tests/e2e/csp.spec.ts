import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { ADMIN, SHOPPER, signIn } from './helpers';

// The built frontend runs under the Content-Security-Policy the server sends with it
// (backend/flashmart/security_headers.py; deploy/nginx.conf sends the same one): every storefront
// and admin page is loaded and used, and any violation the browser reports (the
// `securitypolicyviolation` event, or its "Refused to ..." console message) fails the test.

type Violation = { directive: string; blocked: string; sample: string; page: string };

declare global {
  interface Window {
    __cspViolations: Violation[];
  }
}

/** Collect every CSP violation of every document the page loads (before any page script runs). */
async function watchViolations(page: Page): Promise<string[]> {
  const messages: string[] = [];
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push({
        directive: event.effectiveDirective,
        blocked: event.blockedURI,
        sample: event.sample,
        page: location.pathname,
      });
    });
  });
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame)/i.test(text)) {
      messages.push(`${page.url()}: ${text}`);
    }
  });
  return messages;
}

async function violations(page: Page): Promise<Violation[]> {
  return page.evaluate(() => window.__cspViolations);
}

/** Open `path` in the app, check the policy came with it, let the page render and settle. */
async function visit(page: Page, path: string) {
  const response = await page.goto(path);
  const policy = response?.headers()['content-security-policy'] ?? '';
  expect(policy, `${path} is sent with a policy`).toContain("script-src 'self'");
  expect(policy).toContain("frame-ancestors 'none'");
  expect(policy.split('script-src')[1]?.split(';')[0]).not.toContain('unsafe-inline');
  await expect(page.locator('#root')).not.toBeEmpty();
  await page.waitForLoadState('networkidle');
  expect(await violations(page), `violations on ${path}`).toEqual([]);
}

async function firstIds(request: APIRequestContext): Promise<{ product: string; sale: string }> {
  const response = await request.post('/graphql', {
    data: { query: '{ products(first: 1) { edges { node { id } } } seckillEvents(first: 1) { edges { node { id } } } }' },
  });
  const body = (await response.json()) as {
    data: { products: { edges: { node: { id: string } }[] }; seckillEvents: { edges: { node: { id: string } }[] } };
  };
  const product = body.data.products.edges[0]?.node.id;
  const sale = body.data.seckillEvents.edges[0]?.node.id;
  if (!product || !sale) throw new Error(`no seeded product or sale: ${JSON.stringify(body)}`);
  return { product, sale };
}

test('the storefront runs under the policy without a violation', async ({ page, request }) => {
  const messages = await watchViolations(page);
  const { product, sale } = await firstIds(request);

  for (const path of ['/', '/products', `/products/${encodeURIComponent(product)}`, `/flash-sales/${encodeURIComponent(sale)}`, '/sign-in', '/register']) {
    await visit(page, path);
  }
  await signIn(page, SHOPPER);
  for (const path of ['/cart', '/account', '/account/orders', '/no-such-page']) {
    await visit(page, path);
  }

  expect(messages).toEqual([]);
});

test('the admin console runs under the policy without a violation', async ({ page, request }) => {
  const messages = await watchViolations(page);
  const { product, sale } = await firstIds(request);
  await signIn(page, ADMIN);

  for (const path of [
    '/admin',
    '/admin/products',
    '/admin/products/new',
    `/admin/products/${encodeURIComponent(product)}`,
    '/admin/categories',
    '/admin/flash-sales',
    '/admin/flash-sales/new',
    `/admin/flash-sales/${encodeURIComponent(sale)}`,
    `/admin/flash-sales/${encodeURIComponent(sale)}/control-room`,
    '/admin/orders',
    '/admin/users',
  ]) {
    await visit(page, path);
  }
  // The dashboard's charts and a confirmation popover (antd injects their styles when they
  // first appear).
  await page.goto('/admin');
  await expect(page.getByRole('figure', { name: 'Orders and revenue per day' }).locator('.recharts-surface').first()).toBeVisible();
  await page.goto('/admin/flash-sales');
  await page.getByRole('button', { name: /^Warm up ./ }).first().click();
  await expect(page.getByRole('button', { name: 'Warm up', exact: true })).toBeVisible();
  expect(await violations(page)).toEqual([]);

  expect(messages).toEqual([]);
});

test('the policy refuses an injected inline script, and this spec would see it', async ({ page }) => {
  const messages = await watchViolations(page);
  await visit(page, '/');

  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.append(script);
  });

  await expect.poll(async () => (await violations(page)).map((v) => v.directive)).toContain('script-src-elem');
  expect(await page.evaluate(() => 'injected' in window || '__injected' in window)).toBe(false);
  await expect.poll(() => messages.length).toBeGreaterThan(0);
});
