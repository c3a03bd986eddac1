import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

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
  await expect(page.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();
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
