import { expect, test, type Page } from '@playwright/test';
import { ADMIN, newShopper, placePaidOrder, screenshot, signIn } from './helpers';

// The console's operations in a real browser against the real stack: an administrator runs a
// flash sale made through the form while a shopper buys it, and refunds a paid order.
const SALE_PRODUCT = { search: 'Glow Smart', name: 'Glow Smart Lamp' };
const ORDER_PRODUCT = { search: 'Fryer', name: 'Crisp Air Fryer' };

/** Type a date and time into a date-time picker and confirm it with the panel's OK button. */
async function pickDateTime(page: Page, label: string, value: string) {
  const input = page.getByLabel(label, { exact: true });
  await input.click();
  await input.fill(value);
  await page.locator('.ant-picker-dropdown:visible').getByRole('button', { name: 'OK' }).click();
  await expect(input).toHaveValue(value);
}

test('an administrator creates and warms a flash sale in the form, a shopper buys, the control room counts it and the audit passes', async ({
  page,
  browser,
}) => {
  await signIn(page, ADMIN);
  await page.goto('/admin/flash-sales');
  await page.getByRole('button', { name: 'New flash sale' }).click();
  await expect(page.getByRole('heading', { name: 'New flash sale' })).toBeVisible();

  // The form refuses an empty save next to the fields, before asking the server.
  await page.getByRole('button', { name: 'Create flash sale' }).click();
  await expect(page.getByText('Choose the product on sale')).toBeVisible();
  await expect(page.getByText('Enter the sale price')).toBeVisible();

  const product = page.getByRole('combobox', { name: 'Product' });
  await product.click();
  await product.fill(SALE_PRODUCT.search);
  // The search answers with the matching products; Enter takes the first (the keyboard path).
  await expect(page.getByRole('option', { name: new RegExp(`^${SALE_PRODUCT.name} \\(\\d+ in stock\\)$`) })).toBeAttached();
  await product.press('Enter');
  await expect(page.getByRole('form', { name: 'New flash sale' }).getByTitle(new RegExp(`^${SALE_PRODUCT.name} \\(`))).toBeVisible();
  await page.getByLabel('Sale price').fill('3.21');
  await page.getByLabel('Total stock').fill('5');
  await page.getByLabel('Units per shopper').fill('1');
  // Starts now (the default); ends tomorrow at noon, typed into the date-time picker.
  const tomorrow = new Date(Date.now() + 86_400_000);
  const day = `${String(tomorrow.getFullYear())}-${String(tomorrow.getMonth() + 1).padStart(2, '0')}-${String(tomorrow.getDate()).padStart(2, '0')}`;
  await pickDateTime(page, 'Ends at', `${day} 12:00`);
  await page.getByRole('button', { name: 'Create flash sale' }).click();

  await expect(page.getByText('Flash sale created')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Flash sales' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: SALE_PRODUCT.name }).filter({ hasText: '3.21' }).last();
  await expect(row.getByText('5 / 5')).toBeVisible();
  await row.getByRole('button', { name: `Warm up ${SALE_PRODUCT.name}` }).click();
  await page.getByRole('button', { name: 'Warm up', exact: true }).click();
  await expect(page.getByText(`${SALE_PRODUCT.name} is warmed up`)).toBeVisible();
  const controlRoom = row.getByRole('link', { name: `Control room for ${SALE_PRODUCT.name}` });
  const eventId = decodeURIComponent((await controlRoom.getAttribute('href'))!.split('/')[3]!);

  // A shopper buys on the storefront's flash-sale page, in another browser context.
  const shopper = await newShopper(browser, 'sale');
  await shopper.page.goto(`/flash-sales/${encodeURIComponent(eventId)}`);
  await expect(shopper.page.getByRole('heading', { level: 2, name: SALE_PRODUCT.name })).toBeVisible();
  await expect(shopper.page.getByLabel('Remaining stock')).toHaveText('5 left of 5');
  await shopper.page.getByRole('button', { name: 'Buy now' }).click();
  await expect(shopper.page.getByTestId('ticket-status').filter({ hasText: 'Succeeded' })).toBeVisible({
    timeout: 15_000,
  });

  await controlRoom.click();
  await expect(page.getByRole('heading', { name: `Control room: ${SALE_PRODUCT.name}` })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Remaining stock' })).toContainText(/4\s*\/ 5/);
  await expect(page.getByRole('group', { name: 'Tickets succeeded' })).toContainText('1');
  await expect(page.getByRole('group', { name: 'Tickets failed' })).toContainText('0');
  await expect(page.getByRole('region', { name: 'Audit result' }).getByText('Audit passed')).toBeVisible();
  await expect(page.getByText(/^Checked at .*; runs again every 15 s$/)).toBeVisible();
  await expect(page.getByRole('group', { name: 'Jobs waiting for a worker' })).toContainText('scheduled for later');
  await expect(
    page.getByRole('figure', { name: 'Purchase attempts per second, last minute' }).locator('.recharts-line-curve'),
  ).toBeAttached();
  await page.mouse.move(0, 0); // no chart tooltip in the picture
  await page.waitForTimeout(3000); // a few seconds of live points on the charts
  await page.screenshot({ path: screenshot('admin-control-room'), fullPage: true });
  await shopper.page.context().close();
});

test("an administrator refunds a paid order and the shopper's order page shows Refunded", async ({ page, browser }) => {
  // The shopper orders and pays on the sandbox provider's page.
  const shopper = await newShopper(browser, 'refund');
  const shop = shopper.page;
  const number = await placePaidOrder(shop, ORDER_PRODUCT);

  // The administrator finds it by the shopper's email and refunds it.
  await signIn(page, ADMIN);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Orders' }).click();
  await expect(page.getByRole('heading', { name: 'Orders' })).toBeVisible();
  const filters = page.getByRole('search', { name: 'Filter orders' });
  await filters.getByLabel('Shopper email').fill(shopper.email);
  await filters.getByLabel('Shopper email').press('Enter');
  await expect(page.getByText('1 order, newest first')).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: number });
  await expect(row.getByText('Paid')).toBeVisible();
  await row.getByRole('link', { name: number }).click();

  await expect(page.getByRole('heading', { name: `Order ${number}` })).toBeVisible();
  await expect(page.getByLabel('Order status')).toHaveText('Paid');
  await expect(page.getByRole('table', { name: 'Order lines' }).getByText(ORDER_PRODUCT.name)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Payments' }).getByText('Succeeded')).toBeVisible();
  const actions = page.getByRole('group', { name: 'Order actions' });
  await expect(actions.getByRole('button')).toHaveText(['Ship…', 'Refund']);
  await page.screenshot({ path: screenshot('admin-order'), fullPage: true });

  await page.mouse.move(0, 0);
  await actions.getByRole('button', { name: 'Refund' }).click();
  await page.getByRole('button', { name: 'Yes, refund' }).click();
  await expect(page.getByText('Order refunded')).toBeVisible();
  await expect(page.getByLabel('Order status')).toHaveText('Refunded');
  await expect(page.getByRole('table', { name: 'Payments' }).getByText('Refunded')).toBeVisible();
  await expect(page.getByText('No further status changes are possible for this order.')).toBeVisible();

  // The way back leads to the same filtered list (the filters live in the URL), now showing the refund.
  await page.getByRole('link', { name: '← All orders' }).click();
  await expect(page).toHaveURL((url) => url.pathname === '/admin/orders' && url.searchParams.get('email') === shopper.email);
  await expect(filters.getByLabel('Shopper email')).toHaveValue(shopper.email);
  await expect(row.getByText('Refunded')).toBeVisible();

  // The shopper's own order page, open all along, says so too: pushed by orderUpdated, no reload.
  await expect(shop.getByLabel('Order status')).toHaveText('Refunded');
  await shop.context().close();
});

test('an administrator finds a shopper and deactivates the account after confirming; it can no longer sign in', async ({
  page,
  browser,
}) => {
  const shopper = await newShopper(browser, 'users');
  await shopper.page.context().close();

  await signIn(page, ADMIN);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();
  await page.getByLabel('Search by email').fill(shopper.email);
  await page.getByLabel('Search by email').press('Enter');
  const row = page.getByRole('row', { name: new RegExp(shopper.email) });
  await expect(page.getByRole('table', { name: 'Users' }).getByRole('row')).toHaveCount(2); // header + one
  await expect(row.getByText('Shopper')).toBeVisible();
  await expect(row.getByText('Active')).toBeVisible();

  await row.getByRole('button', { name: `Deactivate ${shopper.email}` }).click();
  await page.getByRole('button', { name: 'Keep active' }).click();
  await expect(row.getByText('Active')).toBeVisible();
  await row.getByRole('button', { name: `Deactivate ${shopper.email}` }).click();
  await page.getByRole('button', { name: 'Yes, deactivate' }).click();
  await expect(page.getByText(`${shopper.email} is deactivated`)).toBeVisible();
  await expect(row.getByText('Deactivated')).toBeVisible();
  await expect(row.getByRole('button', { name: `Reactivate ${shopper.email}` })).toBeVisible();

  const context = await browser.newContext();
  const again = await context.newPage();
  await again.goto('/sign-in');
  await again.getByLabel('Email').fill(shopper.email);
  await again.getByLabel('Password').fill('e2e-shopper-password');
  await again.getByRole('button', { name: 'Sign in' }).click();
  await expect(again.getByRole('alert')).toContainText('This account has been deactivated.');
  await expect(again.getByRole('button', { name: `Account menu for ${shopper.email}` })).toHaveCount(0);
  await context.close();
});
