import { expect, test, type Page } from '@playwright/test';

// The storefront on a phone-sized screen: nothing wider than the screen, header controls reachable.
test.use({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

async function expectNoSideways(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

test('home, product list and product page fit a phone screen', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'Products' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('link', { name: 'Cart' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  await expectNoSideways(page);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toBeVisible();
  await expectNoSideways(page);

  await page.getByRole('list', { name: 'Products' }).getByRole('link').first().click();
  await expect(page.getByRole('button', { name: 'Add to cart' })).toBeVisible();
  await expectNoSideways(page);
});
