import { expect, test } from '@playwright/test';

test('the console asks an anonymous visitor to sign in', async ({ page }) => {
  await page.goto('/admin');

  await expect(page.getByRole('heading', { name: 'FlashMart Admin' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Sign in as an administrator to use the console')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toHaveCount(0);
});
