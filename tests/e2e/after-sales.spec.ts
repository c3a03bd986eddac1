import { expect, test } from '@playwright/test';
import { ADMIN, newShopper, placePaidOrder, registerShopper, screenshot, signIn } from './helpers';

// After-sales and account recovery in real browsers against the real stack.
const ORDER_PRODUCT = { search: 'Fryer', name: 'Crisp Air Fryer' };

test("a refund request approved in the console updates both pages without a reload", async ({ page, browser }) => {
  const shopper = await newShopper(browser, 'after-sales');
  const shop = shopper.page;
  const number = await placePaidOrder(shop, ORDER_PRODUCT);

  const refund = shop.locator('[aria-label="Refund"]');
  await refund.getByRole('button', { name: 'Request refund' }).click();
  await refund.getByLabel('Why do you want a refund?').fill('Bought the wrong model');
  await refund.getByRole('button', { name: 'Send request' }).click();
  await expect(refund.getByLabel('Refund request state')).toHaveText('Requested');

  // The administrator lands in the console and finds the request on the After-sales page.
  await signIn(page, ADMIN);
  await expect(page).toHaveURL(/\/admin$/);
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'After-sales' }).click();
  await expect(page.getByRole('heading', { name: 'After-sales' })).toBeVisible();
  const row = page.getByRole('table', { name: 'Refund requests' }).getByRole('row').filter({ hasText: number });
  await expect(row.getByText('Requested')).toBeVisible();
  await expect(row.getByText('Bought the wrong model')).toBeVisible();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: screenshot('admin-after-sales'), fullPage: true });
  await row.getByRole('button', { name: 'Approve' }).click();
  await expect(page.getByText('The money goes back to the shopper now')).toBeVisible();
  await page.getByRole('button', { name: 'Approve', exact: true }).last().click();
  await expect(row.getByText('Refunded', { exact: true }).first()).toBeVisible();

  // The shopper's page, open all along, follows through orderUpdated.
  await expect(shop.getByLabel('Order status')).toHaveText('Refunded');
  await expect(refund.getByLabel('Refund request state')).toHaveText('Refunded');
  await shop.screenshot({ path: screenshot('order-refunded'), fullPage: true });
  await shop.context().close();
});

test('a shopper resets a forgotten password through the mailed link', async ({ page, browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  const email = await registerShopper(first, { tag: 'reset' });
  await context.close();

  await page.goto('/sign-in');
  await page.getByRole('link', { name: 'Forgot password?' }).click();
  await expect(page.getByRole('heading', { name: 'Reset your password' })).toBeVisible();
  await page.getByLabel('Email').fill(email);
  await page.getByRole('button', { name: 'Send reset link' }).click();
  await expect(page.getByRole('status')).toContainText(`If an account exists for ${email}`);

  await page.goto('/dev/mailbox');
  const mail = page.getByLabel(`Mail to ${email}: Reset your FlashMart password`);
  await expect(mail).toBeVisible();
  await mail.getByRole('link').click();
  await expect(page).toHaveURL(/\/reset-password\?token=/);
  await expect(page.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('a-brand-new-passphrase');
  await page.getByLabel('Repeat new password').fill('a-brand-new-passphrase');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await expect(page.getByText('Your new password is set')).toBeVisible();

  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill('e2e-shopper-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('Wrong email or password.');
  await signIn(page, { email, password: 'a-brand-new-passphrase' });
});
