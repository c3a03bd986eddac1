import { expect, test, type Page } from '@playwright/test';
import { createSale, fillAddress, HOME_ADDRESS, registerShopper, screenshot } from './helpers';

// The storefront on a phone-sized screen: nothing wider than the screen, a one-line header, the
// buy controls at the bottom of the screen, cart and order lines as cards instead of tables.
test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

async function expectNoSideways(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** The header keeps to one line (its 64 px) at phone width. */
async function expectOneLineHeader(page: Page) {
  const box = await page.getByRole('banner').boundingBox();
  expect(box?.height).toBeLessThanOrEqual(64);
}

test('home, product list and product page fit a phone screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'Products' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cart' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expectOneLineHeader(page);
  await expectNoSideways(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  // Two products a row.
  const cards = page.getByRole('list', { name: 'Products' }).getByRole('listitem');
  const [first, second] = [await cards.nth(0).boundingBox(), await cards.nth(1).boundingBox()];
  expect(second?.y).toBe(first?.y);
  expect(second!.x).toBeGreaterThan(first!.x + first!.width - 1);
  await expectNoSideways(page);

  await page.getByRole('list', { name: 'Products' }).getByRole('link').first().click();
  // The buy bar sits at the bottom of the screen before any scrolling.
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeInViewport();
  await expect(page.getByRole('button', { name: 'Buy now' })).toBeInViewport();
  await expectNoSideways(page);
});

test('every storefront page fits a phone screen, signed out and signed in', async ({ page, request }) => {
  test.slow(); // registers, fills a cart and places an order on a small shared machine
  const sale = await createSale(request, 1_000, { totalStock: 20, perUserLimit: 2 });

  // Signed out: the sale, signing in and registering.
  await page.goto(`/flash-sales/${encodeURIComponent(sale.id)}`);
  await expect(page.getByRole('heading', { level: 2, name: sale.name })).toBeVisible();
  await expect(page.getByLabel('Regular price')).toBeVisible();
  await expect(page.getByText(/% off$/)).toBeVisible();
  await expect(page.getByText('Limit 2 per shopper')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Buy now' })).toBeInViewport();
  await expect(page.getByLabel('Remaining stock')).toHaveText('20 left of 20');
  await expectOneLineHeader(page);
  await expectNoSideways(page);
  // The sale starts a second after it was made: the screenshot shows it live.
  await expect(page.getByRole('button', { name: 'Buy now' })).toBeEnabled({ timeout: 15_000 });
  await page.waitForTimeout(500); // antd fades the button's colour in
  await page.screenshot({ path: screenshot('phone-sale') });

  for (const path of ['/sign-in', '/register']) {
    await page.goto(path);
    await expect(page.getByLabel('Password')).toBeVisible();
    await expectNoSideways(page);
  }

  // Signed in: a cart with an item, the checkout review, an order, the orders and the account.
  const email = await registerShopper(page, { tag: 'phone' });
  await expectOneLineHeader(page);
  await page.goto('/products');
  await page.getByRole('list', { name: 'Products' }).getByRole('link').first().click();
  const productName = await page.locator('#product-name').textContent();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 1 ×' })).toBeVisible();
  await expectNoSideways(page);

  await page.getByRole('link', { name: 'Cart, 1 item' }).click();
  const lines = page.getByRole('list', { name: 'Cart lines' });
  await expect(lines.getByRole('link', { name: productName ?? '' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Cart lines' })).toHaveCount(0);
  await expectNoSideways(page);
  await page.screenshot({ path: screenshot('phone-cart') });

  await page.getByRole('button', { name: 'Checkout' }).click();
  await expect(page.getByRole('heading', { name: 'Review your order' })).toBeVisible();
  await expectNoSideways(page);
  await fillAddress(page);
  await page.getByRole('button', { name: 'Use this address' }).click();
  await expect(page.getByRole('radio', { name: new RegExp(HOME_ADDRESS.street) })).toBeChecked();
  await expectNoSideways(page);
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/account\/orders\/[^/]+$/);
  await expect(page.getByLabel('Order status')).toHaveText('Pending payment');
  await expect(page.getByRole('list', { name: 'Order lines' }).getByRole('listitem')).toHaveCount(1);
  await expectNoSideways(page);

  // Paying on a phone: the payment page leads, the QR code is for paying from another device; the
  // provider's page opens in a new tab (the shop stays open) and its result links back to the order.
  const orderUrl = page.url();
  await page.getByRole('button', { name: 'Pay now' }).click();
  const open = page.getByRole('link', { name: 'Open payment page' });
  const code = page.getByRole('group', { name: 'Paying from another device? Scan this code with it.' });
  await expect(code.getByRole('img', { name: 'QR code to pay with your phone' })).toBeVisible();
  expect((await open.boundingBox())!.y).toBeLessThan((await code.boundingBox())!.y);
  await expectNoSideways(page);
  const [provider] = await Promise.all([page.context().waitForEvent('page'), open.click()]);
  await provider.getByRole('button', { name: 'Approve' }).click();
  await expect(provider.getByText(/Approved/)).toBeVisible();
  await expect(provider.getByRole('link', { name: /^Back to order / })).toHaveAttribute('href', orderUrl);
  await provider.close();
  await expect(page.getByLabel('Order status')).toHaveText('Paid', { timeout: 20_000 });

  await page.goto('/account/orders');
  await expect(page.getByRole('link', { name: /^Order / }).first()).toBeVisible();
  await expectNoSideways(page);

  await page.goto('/account');
  await expect(page.getByText(email).first()).toBeVisible();
  await expectNoSideways(page);
});
