import { fileURLToPath } from 'node:url';
import { expect, type Browser, type Page } from '@playwright/test';

// What several browser specs do the same way: the seeded accounts, signing in, registering a new
// shopper and where screenshots for the README go.

export interface Credentials {
  email: string;
  password: string;
}

/** Seeded by start-stack.sh (demo data). */
export const ADMIN: Credentials = { email: 'admin@flashmart.local', password: 'flashmart-admin' };
export const SHOPPER: Credentials = { email: 'shopper1@flashmart.local', password: 'flashmart-shopper' };

/** The path of a README screenshot in docs/screenshots/. */
export const screenshot = (name: string) =>
  fileURLToPath(new URL(`../../docs/screenshots/${name}.png`, import.meta.url));

/** Sign in through the form and wait until the header shows the account. */
export async function signIn(page: Page, { email, password }: Credentials) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
  // Administrators land in the console, shoppers back in the shop.
  if (new URL(page.url()).pathname.startsWith('/admin')) {
    await expect(page.getByRole('navigation', { name: 'Console' })).toBeVisible();
  } else {
    await expect(page.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();
  }
}

/** Register a shopper with a fresh email (unique per run, so a reused stack still works); returns the email. */
export async function registerShopper(page: Page, { tag = 'shopper', password = 'e2e-shopper-password' } = {}) {
  const email = `e2e-${tag}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@flashmart.local`;
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();
  return email;
}

/** A new shopper in a browser context of their own (as if on another computer). */
export async function newShopper(browser: Browser, tag: string): Promise<{ page: Page; email: string }> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const email = await registerShopper(page, { tag });
  return { page, email };
}

/**
 * The shopper buys one `product` (found by `search`) and pays on the sandbox provider's page;
 * returns the order number, with the order's page open and showing Paid.
 */
export async function placePaidOrder(shop: Page, product: { search: string; name: string }): Promise<string> {
  await shop.goto(`/products?q=${product.search}`);
  await shop.getByRole('list', { name: 'Products' }).getByRole('link', { name: product.name, exact: true }).click();
  await shop.getByRole('button', { name: 'Add to cart' }).click();
  await expect(shop.getByRole('status').filter({ hasText: `Added 1 × ${product.name}` })).toBeVisible();
  await shop.getByRole('link', { name: /^Cart, 1 item$/ }).click();
  await shop.getByRole('button', { name: 'Checkout' }).click();
  await expect(shop).toHaveURL(/\/account\/orders\/[^/]+$/);
  const heading = await shop.getByRole('heading', { level: 2, name: /^Order FM/ }).textContent();
  const number = (heading ?? '').replace('Order ', '').trim();
  const payment = shop.locator('[aria-label="Payment"]').first();
  await payment.getByRole('button', { name: 'Pay now' }).click();
  const payUrl = await payment.getByRole('link', { name: 'Open payment page' }).getAttribute('href');
  const sandbox = await shop.context().newPage();
  await sandbox.goto(payUrl ?? '');
  await sandbox.getByRole('button', { name: 'Approve' }).click();
  await expect(sandbox.getByText(/Approved/)).toBeVisible();
  await sandbox.close();
  await expect(shop.getByLabel('Order status')).toHaveText('Paid', { timeout: 20_000 });
  return number;
}
