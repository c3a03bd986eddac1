import { expect, test } from '@playwright/test';
import { ADMIN, HOME_ADDRESS, fillAddress, payOnSandbox, registerShopper, screenshot, signIn } from './helpers';

// A shopper keeps an address in the book, reviews the checkout (the default address preselected,
// shipping and total shown) and pays; the console ships the order with a carrier and a tracking
// number and prints the packing slip; the shopper's open order page shows the parcel.
const PRODUCT = { search: 'Kettle', name: 'Brew Master Kettle' };

test('a shopper checks out to a saved address and pays; the console ships with tracking and the shopper sees it', async ({
  page,
  browser,
}) => {
  const shop = page;
  await registerShopper(shop, { tag: 'shipping' });

  // The address book.
  await shop.getByRole('button', { name: /^Account menu for / }).click();
  await shop.getByRole('menuitem', { name: 'My addresses' }).click();
  await expect(shop.getByRole('heading', { name: 'Your addresses' })).toBeVisible();
  await shop.getByRole('button', { name: 'Add address' }).click();
  await fillAddress(shop, { ...HOME_ADDRESS, phone: '12345' });
  await shop.getByRole('button', { name: 'Add address' }).click();
  await expect(shop.getByText('11 digits starting with 1, optionally after +86')).toBeVisible();
  await fillAddress(shop);
  await shop.getByRole('button', { name: 'Add address' }).click();
  const entry = shop.getByRole('listitem').filter({ hasText: HOME_ADDRESS.street });
  await expect(entry).toBeVisible();
  await expect(entry.getByText('Default')).toBeVisible();
  await shop.screenshot({ path: screenshot('address-book'), fullPage: true });

  // Cart → review → place order.
  await shop.goto(`/products?q=${PRODUCT.search}`);
  await shop.getByRole('list', { name: 'Products' }).getByRole('link', { name: PRODUCT.name, exact: true }).click();
  await shop.getByRole('button', { name: 'Add to cart' }).click();
  await expect(shop.getByRole('status').filter({ hasText: `Added 1 × ${PRODUCT.name}` })).toBeVisible();
  await shop.getByRole('link', { name: /^Cart, 1 item$/ }).click();
  await shop.getByRole('button', { name: 'Checkout' }).click();
  await expect(shop.getByRole('heading', { name: 'Review your order' })).toBeVisible();
  const sums = shop.getByLabel('Order sums');
  await expect(sums).toContainText('Subtotal');
  await expect(sums).toContainText('Shipping');
  await expect(sums).toContainText('Total');
  await expect(shop.getByRole('radio', { name: new RegExp(HOME_ADDRESS.street) })).toBeChecked();
  const placeOrder = shop.getByRole('button', { name: 'Place order' });
  await expect(placeOrder).toBeEnabled();
  await shop.mouse.move(0, 0);
  await shop.waitForTimeout(500); // the button's colour transition
  await shop.screenshot({ path: screenshot('checkout-review'), fullPage: true });
  await placeOrder.click();
  await expect(shop).toHaveURL(/\/account\/orders\/[^/]+$/);
  await expect(shop.getByText(HOME_ADDRESS.recipient)).toBeVisible();
  const heading = await shop.getByRole('heading', { level: 2, name: /^Order FM/ }).textContent();
  const number = heading!.replace('Order ', '').trim();

  // Pay on the sandbox page.
  await payOnSandbox(shop);

  // The console ships it.
  const console = await (await browser.newContext()).newPage();
  await signIn(console, ADMIN);
  await console.goto(`/admin/orders?number=${encodeURIComponent(number)}`);
  await console.getByRole('link', { name: number }).click();
  await expect(console.getByRole('heading', { name: `Order ${number}` })).toBeVisible();
  await expect(console.getByText(HOME_ADDRESS.street, { exact: false }).first()).toBeVisible();
  await console.getByRole('button', { name: 'Ship…' }).click();
  const dialog = console.getByRole('dialog', { name: 'Ship this order' });
  await dialog.getByLabel('Carrier').fill('SF Express');
  await dialog.getByLabel('Tracking number').fill('SF1234567890');
  await dialog.getByRole('button', { name: 'Ship order' }).click();
  await expect(console.getByLabel('Order status')).toHaveText('Shipped');
  await expect(console.getByText('SF1234567890').first()).toBeVisible();

  await console.getByRole('link', { name: 'Packing slip' }).click();
  const slip = console.getByRole('article', { name: 'Packing slip' });
  await expect(slip).toContainText(number);
  await expect(slip).toContainText(HOME_ADDRESS.recipient);
  await expect(slip.getByRole('table', { name: 'Items in the parcel' })).toContainText(PRODUCT.name);
  await console.emulateMedia({ media: 'print' });
  await expect(console.getByRole('button', { name: 'Print' })).toBeHidden();
  await console.screenshot({ path: screenshot('packing-slip'), fullPage: true });
  await console.context().close();

  // The shopper's page, never reloaded, follows the order: shipped, with the parcel.
  await expect(shop.getByLabel('Order status')).toHaveText('Shipped', { timeout: 20_000 });
  await expect(shop.getByText('SF Express', { exact: true })).toBeVisible();
  await expect(shop.getByText('SF1234567890', { exact: true })).toBeVisible();
  await expect(shop.getByLabel('Status history')).toContainText('Shipped');
});

test('Buy now orders one product through the same review, once on a double click, and leaves the cart alone', async ({
  page,
}) => {
  await registerShopper(page, { tag: 'buynow' });
  await page.goto(`/products?q=Turntable`);
  await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: 'Vinyl One Turntable', exact: true }).click();
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('link', { name: /^Cart, 1 item$/ })).toBeVisible();

  await page.goto(`/products?q=${PRODUCT.search}`);
  await page.getByRole('list', { name: 'Products' }).getByRole('link', { name: PRODUCT.name, exact: true }).click();
  await page.getByRole('button', { name: 'Buy now' }).click();
  await expect(page.getByRole('heading', { name: 'Buy now' })).toBeVisible();
  const items = page.getByRole('table', { name: 'Items to order' });
  await expect(items.getByRole('row')).toHaveCount(2); // the header and the one product
  await expect(items).toContainText(PRODUCT.name);
  await fillAddress(page);
  await page.getByRole('button', { name: 'Use this address' }).click();
  await page.getByRole('button', { name: 'Place order' }).dblclick();

  await expect(page).toHaveURL(/\/account\/orders\/[^/]+$/);
  const lines = page.getByRole('table', { name: 'Order lines' });
  await expect(lines.getByRole('row', { name: new RegExp(PRODUCT.name) })).toContainText('1');
  await expect(lines).not.toContainText('Vinyl One Turntable');
  await expect(page.getByRole('link', { name: /^Cart, 1 item$/ })).toBeVisible(); // still in the cart
  await page.getByRole('button', { name: /^Account menu for / }).click();
  await page.getByRole('menuitem', { name: 'My orders' }).click();
  await expect(page.getByRole('list', { name: 'Orders' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByText('1 in total')).toBeVisible();
});
