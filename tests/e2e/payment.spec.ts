import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';

// A shopper pays an order on the sandbox provider's page; the order page (left open, never
// reloaded) flips to Paid once the real worker delivered the sandbox webhook.
const screenshot = (name: string) => fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url));
const PRODUCT = { search: 'Kettle', name: 'Brew Master Kettle' };

test('a shopper checks out, pays on the sandbox page and the order page shows Paid without a reload', async ({
  page,
  context,
}) => {
  const email = `e2e-pay-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@flashmart.local`;
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('e2e-shopper-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();

  await page.goto(`/products?q=${PRODUCT.search}`);
  await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: PRODUCT.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: PRODUCT.name })).toBeVisible();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Added 1 × ${PRODUCT.name}` })).toBeVisible();
  await page.getByRole('link', { name: /^Cart, 1 item$/ }).click();
  await page.getByRole('button', { name: 'Checkout' }).click();

  await expect(page).toHaveURL(/\/account\/orders\/[^/]+$/);
  await expect(page.getByLabel('Order status')).toHaveText('Pending payment');
  const payment = page.getByRole('region', { name: 'Payment' }).or(page.locator('[aria-label="Payment"]')).first();
  await expect(payment.getByRole('timer', { name: 'Time left to pay' })).toHaveText(/Pay within \d/);
  await payment.getByRole('button', { name: 'Pay now' }).click();
  await expect(payment.getByRole('img', { name: 'QR code to pay with your phone' })).toBeVisible();
  const payUrl = await payment.getByRole('link', { name: 'Open payment page' }).getAttribute('href');
  expect(payUrl).toBeTruthy();
  await page.screenshot({ path: screenshot('payment'), fullPage: true });

  // The sandbox page in another tab, as if opened on a phone from the QR code.
  const sandbox = await context.newPage();
  await sandbox.goto(payUrl!);
  await sandbox.getByRole('button', { name: 'Approve' }).click();
  await expect(sandbox.getByText(/Approved/)).toBeVisible();
  await sandbox.close();

  // No reload: polling (and orderUpdated) bring the new status.
  await expect(page.getByLabel('Order status')).toHaveText('Paid', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Pay now' })).toHaveCount(0);
});
