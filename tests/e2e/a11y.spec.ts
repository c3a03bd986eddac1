import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ADMIN, checkoutToNewAddress, createSale, registerShopper, signIn } from './helpers';

// axe-core on every page of the shop and of the console, with the data each page shows (a
// product, a sale, a cart, an order). A serious or critical violation fails the test; each
// test checks all of its pages first and then lists every violation found, page by page.

type Found = { page: string; text: string };

/** Waits until `page` has drawn its data (no spinner, no skeleton), then runs axe on it. */
async function audit(page: Page, name: string, found: Found[]) {
  await expect(page.locator('.ant-spin-spinning, .ant-skeleton-active, .fm-skeleton-active, .page-spinner')).toHaveCount(0, { timeout: 15_000 });
  // antd fades messages in (a form's help text starts pale): measure contrast once they settle.
  await expect(page.locator('[class*="-appear"], [class*="-enter"]')).toHaveCount(0, { timeout: 5_000 });
  const { violations } = await new AxeBuilder({ page }).analyze();
  for (const violation of violations) {
    if (violation.impact !== 'serious' && violation.impact !== 'critical') continue;
    const nodes = violation.nodes
      .slice(0, 5)
      .map((node) => `      ${node.target.join(' ')}\n        ${(node.failureSummary ?? '').replace(/\n/g, '\n        ')}`)
      .join('\n');
    const more = violation.nodes.length > 5 ? `\n      … and ${violation.nodes.length - 5} more` : '';
    found.push({
      page: name,
      text: `  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.helpUrl})\n${nodes}${more}`,
    });
  }
}

function report(found: Found[]): string {
  const pages = [...new Set(found.map((f) => f.page))];
  return pages
    .map((page) => `${page}\n${found.filter((f) => f.page === page).map((f) => f.text).join('\n')}`)
    .join('\n\n');
}

async function visit(page: Page, url: string, name: string, found: Found[], ready?: () => Promise<void>) {
  await page.goto(url);
  await expect(page.locator('main, .ant-layout').first()).toBeVisible();
  if (ready) await ready();
  await audit(page, `${name} (${url})`, found);
}

test.describe.configure({ timeout: 240_000 });

test('the shop has no serious or critical accessibility violations, signed out', async ({ page, request }) => {
  const found: Found[] = [];
  const sale = await createSale(request, 3_600_000 - 60_000);

  await visit(page, '/', 'Home', found);
  await visit(page, '/products', 'Catalog', found, () =>
    expect(page.getByRole('list', { name: 'Products' }).getByRole('link').first()).toBeVisible(),
  );
  const productUrl = await page.getByRole('list', { name: 'Products' }).getByRole('link').first().getAttribute('href');
  await visit(page, productUrl!, 'Product', found, () =>
    expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible(),
  );
  await visit(page, `/flash-sales/${encodeURIComponent(sale.id)}`, 'Flash sale', found, () =>
    expect(page.getByRole('heading', { name: sale.name }).first()).toBeVisible(),
  );
  await visit(page, '/cart', 'Cart (signed out)', found);
  await visit(page, '/sign-in', 'Sign in', found, () => expect(page.getByLabel('Email')).toBeVisible());
  await visit(page, '/register', 'Register', found, () => expect(page.getByLabel('Email')).toBeVisible());
  await visit(page, '/forgot-password', 'Forgot password', found);
  await visit(page, '/no-such-page', 'Not found', found);

  expect(found, report(found)).toEqual([]);
});

test('the shop has no serious or critical accessibility violations, signed in', async ({ page }) => {
  const found: Found[] = [];
  await registerShopper(page, { tag: 'a11y' });

  await page.goto('/products');
  await page.getByRole('list', { name: 'Products' }).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: /^Added 1 × / })).toBeVisible();

  await visit(page, '/cart', 'Cart', found, () => expect(page.getByRole('button', { name: 'Checkout' })).toBeVisible());
  await page.getByRole('button', { name: 'Checkout' }).click();
  await expect(page.getByRole('heading', { name: 'Review your order' })).toBeVisible();
  await audit(page, 'Checkout review (/checkout)', found);
  await page.goto('/cart');
  await checkoutToNewAddress(page);
  await audit(page, 'Order, unpaid, with the payment step', found);
  await visit(page, '/account', 'Account', found);
  await visit(page, '/account/orders', 'Orders', found, () =>
    expect(page.getByRole('list', { name: 'Orders' }).getByRole('listitem').first()).toBeVisible(),
  );
  await visit(page, '/account/addresses', 'Addresses', found);

  expect(found, report(found)).toEqual([]);
});

test('the console has no serious or critical accessibility violations', async ({ page, request }) => {
  const found: Found[] = [];
  const sale = await createSale(request, 3_600_000 - 60_000);
  await signIn(page, ADMIN);
  const heading = (name: string | RegExp) => () => expect(page.getByRole('heading', { name }).first()).toBeVisible();

  await visit(page, '/admin', 'Dashboard', found, heading('Dashboard'));
  await visit(page, '/admin/products', 'Products', found, heading('Products'));
  const productUrl = await page.getByRole('table').getByRole('link').first().getAttribute('href');
  await visit(page, productUrl!, 'Product form (edit)', found);
  await visit(page, '/admin/products/new', 'Product form (new)', found);
  await visit(page, '/admin/categories', 'Categories', found, heading('Categories'));
  await visit(page, '/admin/flash-sales', 'Flash sales', found, heading('Flash sales'));
  await visit(page, '/admin/flash-sales/new', 'Flash sale form (new)', found);
  await visit(page, `/admin/flash-sales/${encodeURIComponent(sale.id)}`, 'Flash sale form (edit)', found);
  await visit(
    page,
    `/admin/flash-sales/${encodeURIComponent(sale.id)}/control-room`,
    'Control room',
    found,
    heading(/^Control room/),
  );
  await visit(page, '/admin/orders', 'Orders', found, heading('Orders'));
  const orderUrl = await page.getByRole('table').getByRole('link').first().getAttribute('href');
  await visit(page, orderUrl!, 'Order detail', found, heading(/^Order /));
  await visit(page, '/admin/after-sales', 'After-sales', found, heading('After-sales'));
  await visit(page, '/admin/users', 'Users', found, heading('Users'));

  expect(found, report(found)).toEqual([]);
});

test.describe('in Chinese at phone width', () => {
  test.use({ locale: 'zh-CN', viewport: { width: 375, height: 812 } });

  test('the shop has no serious or critical accessibility violations', async ({ page, request }) => {
    const found: Found[] = [];
    const sale = await createSale(request, 3_600_000 - 60_000);

    await visit(page, '/', 'Home', found);
    await visit(page, '/products', 'Catalog', found, () =>
      expect(page.locator('main a[href^="/products/"]').first()).toBeVisible(),
    );
    const productUrl = await page.locator('main a[href^="/products/"]').first().getAttribute('href');
    await visit(page, productUrl!, 'Product', found);
    await visit(page, `/flash-sales/${encodeURIComponent(sale.id)}`, 'Flash sale', found);
    await visit(page, '/cart', 'Cart (signed out)', found);
    await visit(page, '/sign-in', 'Sign in', found);
    await visit(page, '/register', 'Register', found);

    expect(found, report(found)).toEqual([]);
  });

  test('the shop has no serious or critical accessibility violations, signed in', async ({ page }) => {
    const found: Found[] = [];
    // Set up in English (the helpers speak it), then audit in Chinese, as chosen by the switch.
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('a11y-set-up')) localStorage.setItem('flashmart.language', 'en');
    });
    await registerShopper(page, { tag: 'a11y-zh' });
    await page.goto('/products');
    await page.locator('main a[href^="/products/"]').first().click();
    await page.getByRole('button', { name: 'Add to cart' }).first().click();
    await expect(page.getByRole('status').filter({ hasText: /^Added 1 × / })).toBeVisible();
    await page.goto('/cart');
    await checkoutToNewAddress(page);
    const orderUrl = new URL(page.url()).pathname;
    await page.evaluate(() => {
      sessionStorage.setItem('a11y-set-up', '1');
      localStorage.setItem('flashmart.language', 'zh-CN');
    });
    await page.goto('/products');
    await page.locator('main a[href^="/products/"]').first().click();
    await page.getByRole('button', { name: '加入购物车' }).first().click();
    await expect(page.getByRole('status').filter({ hasText: /^已将 1 件/ })).toBeVisible();

    await visit(page, '/cart', 'Cart', found, () => expect(page.getByRole('button', { name: '去结算' })).toBeVisible());
    await visit(page, orderUrl, 'Order, unpaid, with the payment step', found);
    await visit(page, '/account', 'Account', found);
    await visit(page, '/account/orders', 'Orders', found);
    await visit(page, '/account/addresses', 'Addresses', found);

    expect(found, report(found)).toEqual([]);
  });
});
