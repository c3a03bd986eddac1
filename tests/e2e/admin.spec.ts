import { expect, test } from '@playwright/test';
import { ADMIN, screenshot, SHOPPER, signIn } from './helpers';

// The admin console in a real browser against the real stack (demo data seeded by start-stack.sh).
test('the console asks an anonymous visitor to sign in', async ({ page }) => {
  await page.goto('/admin');

  await expect(page.getByRole('heading', { name: 'FlashMart Admin' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Dashboard' })).toBeVisible();
  await expect(page.getByText('Sign in as an administrator to use the console')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toHaveCount(0);
});

test('a shopper opening /admin is turned away', async ({ page }) => {
  await signIn(page, SHOPPER);

  await page.goto('/admin');

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByText('The console is for administrators only')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Dashboard' })).toHaveCount(0);
});

test('an administrator sees the dashboard with KPIs and charts', async ({ page }) => {
  await signIn(page, ADMIN);

  await page.goto('/admin');

  await expect(page.getByRole('heading', { name: 'Dashboard' })).toBeVisible();
  for (const kpi of ['Orders today', 'Revenue today', 'Paid rate today', 'Live flash sales']) {
    await expect(page.getByRole('group', { name: kpi })).toBeVisible();
  }
  const daily = page.getByRole('figure', { name: 'Orders and revenue per day' });
  await expect(daily.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.getByRole('figure', { name: 'Orders by status' })).toBeVisible();
  await page.screenshot({ path: screenshot('admin-dashboard'), fullPage: true });
});

test('an administrator warms up a flash sale and its audit passes', async ({ page }) => {
  await signIn(page, ADMIN);

  await page.goto('/admin/flash-sales');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Flash sales' }).click();
  await expect(page.getByRole('heading', { name: 'Flash sales' })).toBeVisible();
  const row = page.getByRole('row', { name: /Aurora X1 Pro/ }).first();
  await expect(row.getByText('Live')).toBeVisible();

  await row.getByRole('button', { name: 'Warm up Aurora X1 Pro' }).click();
  await page.getByRole('button', { name: 'Warm up', exact: true }).click();
  await expect(page.getByText('Aurora X1 Pro is warmed up')).toBeVisible();

  await row.getByRole('button', { name: 'Audit Aurora X1 Pro' }).click();
  const audit = page.getByRole('region', { name: 'Audit result' });
  await expect(audit.getByText('Audit passed')).toBeVisible();
  await page.keyboard.press('Escape');

  await row.getByRole('link', { name: 'Control room for Aurora X1 Pro' }).click();
  await expect(page.getByRole('heading', { name: 'Control room: Aurora X1 Pro' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Remaining stock' })).toContainText('/ 100');
  await expect(page.getByRole('group', { name: 'Jobs waiting for a worker' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Audit result' }).getByText('Audit passed')).toBeVisible();
  // Polled every second: the live charts gather points.
  await expect(page.getByRole('figure', { name: 'Remaining stock, last minute' }).locator('.recharts-line-curve')).toBeAttached();
  // The control room's screenshot is taken in admin-ops.spec.ts, with a purchase on the charts.
});
