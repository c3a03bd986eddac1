import { expect, test, type Page } from '@playwright/test';
import { signIn } from './helpers';

// Sessions in a real browser: sign in, survive reloads and expired access tokens (silent refresh,
// also with two tabs at once), change password, sign out.
const ACCESS_KEY = 'flashmart.accessToken';
const REFRESH_KEY = 'flashmart.refreshToken';

const tokens = (page: Page) =>
  page.evaluate(
    ([access, refresh]) => ({ access: localStorage.getItem(access!), refresh: localStorage.getItem(refresh!) }),
    [ACCESS_KEY, REFRESH_KEY],
  );

/** Make the stored access token unusable, as if it had expired. */
const spoilAccessToken = (page: Page) =>
  page.evaluate((key) => localStorage.setItem(key, 'expired.access.token'), ACCESS_KEY);

test('the session survives a reload and an expired access token, in two tabs at once', async ({ context }) => {
  const email = 'shopper7@flashmart.local';
  const first = await context.newPage();
  await signIn(first, { email, password: 'flashmart-shopper' });
  const before = await tokens(first);

  await first.reload();
  await expect(first.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();

  // Both tabs find the access token refused at the same moment; only one may trade the refresh
  // token (a reused refresh token would end the session), the other picks up the new tokens.
  const second = await context.newPage();
  await second.goto('/cart');
  await spoilAccessToken(first);
  await Promise.all([first.goto('/account/orders'), second.reload()]);

  for (const page of [first, second]) {
    await expect(page.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();
  }
  await expect(first.getByRole('heading', { name: 'My orders' })).toBeVisible();
  await expect(second.getByRole('heading', { name: 'Your cart' })).toBeVisible();
  const after = await tokens(first);
  expect(after.access).not.toBe('expired.access.token');
  expect(after.refresh).not.toBe(before.refresh);
  expect(await tokens(second)).toEqual(after);
});

test('a shopper changes the password, signs out and signs in with the new one', async ({ page }) => {
  const email = `e2e-account-${Date.now().toString(36)}@flashmart.local`;
  await page.goto('/register');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('first-password');
  await page.getByRole('button', { name: 'Create account' }).click();
  const menu = page.getByRole('button', { name: `Account menu for ${email}` });
  await expect(menu).toBeVisible();

  await menu.click();
  await page.getByRole('menuitem', { name: 'Account settings' }).click();
  await page.getByLabel('Current password').fill('wrong-password');
  await page.getByLabel('New password', { exact: true }).fill('second-password');
  await page.getByLabel('Repeat new password').fill('second-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('alert')).toContainText('The current password is wrong.');

  await page.getByLabel('Current password').fill('first-password');
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Password changed.')).toBeVisible();
  await expect(menu).toBeVisible();

  await menu.click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
  expect(await tokens(page)).toEqual({ access: null, refresh: null });

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('first-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong email or password.');

  await signIn(page, { email, password: 'second-password' });
});

test("a visitor's add to cart survives signing up: back on the product, the item is in the cart", async ({ page }) => {
  await page.goto('/products?q=Fryer');
  await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: 'Crisp Air Fryer', exact: true }).click();
  await expect(page).toHaveURL(/\/products\/[^/?]+$/);
  const productUrl = page.url();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByRole('link', { name: 'Create an account' }).click();
  await expect(page.getByRole('heading', { name: 'Create an account' })).toBeVisible();
  const email = `e2e-intent-${Date.now().toString(36)}@flashmart.local`;
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('e2e-shopper-password');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('status').filter({ hasText: 'Added 1 × Crisp Air Fryer' })).toBeVisible();
  expect(page.url()).toBe(productUrl); // the wish left the address: a reload adds nothing more
  await page.reload();
  await expect(page.getByRole('link', { name: /^Cart, 1 item$/ })).toBeVisible();
});
