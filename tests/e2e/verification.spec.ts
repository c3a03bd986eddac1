import { expect, test } from '@playwright/test';
import { registerShopper, SHOPPER, signIn } from './helpers';

// Email verification through the real stack: the shop keeps its mail in the development mailbox
// (MAIL_BACKEND=mailbox, ENV=development), whose page shows the link a shopper would open.

test('a new shopper asks for a verification link, opens it from the mailbox and is verified', async ({ page }) => {
  const email = await registerShopper(page, { tag: 'verify' });

  await page.getByRole('button', { name: `Account menu for ${email}` }).click();
  await page.getByRole('menuitem', { name: 'Account settings' }).click();
  await expect(page.getByText('Not verified')).toBeVisible();
  await page.getByRole('button', { name: 'Send the link again' }).click();
  await expect(page.getByRole('status')).toContainText('We sent you a new link.');

  await page.goto('/dev/mailbox');
  const mail = page.getByLabel(`Mail to ${email}: Verify your email address for FlashMart`);
  await expect(mail).toBeVisible();
  await mail.getByRole('link').click();

  await expect(page.getByText('Your email address is verified')).toBeVisible();
  await page.goto('/account');
  await expect(page.getByText('Verified', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Send the link again' })).toHaveCount(0);
});

test('the seeded shoppers are verified', async ({ page }) => {
  await signIn(page, SHOPPER);
  await page.goto('/account');
  await expect(page.getByText('Verified', { exact: true })).toBeVisible();
});
