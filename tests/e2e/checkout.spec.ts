import { expect, test, type Page } from '@playwright/test';
import { checkoutToNewAddress, fillAddress, registerShopper, screenshot } from './helpers';

// A new shopper buys two products through the real stack: register → search → add → checkout →
// pay on the sandbox provider's page, while the order page (never reloaded) flips to Paid once
// the real worker delivered the sandbox webhook and `orderUpdated` said so over the WebSocket.
// Demo products from the seed: names are unique and each has at least 20 units.
const FIRST = { search: 'Turntable', name: 'Vinyl One Turntable' };
const SECOND = { search: 'Kettle', name: 'Brew Master Kettle' };
const PASSWORD = 'e2e-shopper-password';

async function searchAndOpen(page: Page, product: { search: string; name: string }) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Products' }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(product.search);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  await expect(page).toHaveURL(new RegExp(`[?&]q=${product.search}`));
  const results = page.getByRole('list', { name: 'Products' });
  await results.getByRole('link', { name: product.name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 2, name: product.name })).toBeVisible();
}

async function addToCart(page: Page, product: { name: string }, quantity: number) {
  await page.getByRole('spinbutton', { name: 'Quantity' }).fill(String(quantity));
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Added ${String(quantity)} × ${product.name}` })).toBeVisible();
}

/** Every text frame the page receives on its GraphQL WebSocket (subscriptions), as they arrive. */
function socketFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => {
    if (!socket.url().endsWith('/graphql')) return;
    socket.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string') frames.push(payload);
    });
  });
  return frames;
}

async function orderCountFromApi(page: Page): Promise<number> {
  const token = await page.evaluate(() => window.localStorage.getItem('flashmart.accessToken'));
  const response = await page.request.post('/graphql', {
    data: { query: '{ orders(first: 50) { totalCount } }' },
    headers: { Authorization: `Bearer ${token ?? ''}` },
  });
  const body = (await response.json()) as { data: { orders: { totalCount: number } } };
  return body.data.orders.totalCount;
}

test('a new shopper searches, adds two products, checks out, pays on the sandbox page and sees Paid without a reload', async ({
  page,
  context,
}) => {
  const frames = socketFrames(page);
  await page.goto('/');
  await expect(page.getByRole('list', { name: 'Products' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByRole('list', { name: 'Flash sales' }).getByRole('timer').first()).toBeVisible();
  await page.screenshot({ path: screenshot('home'), fullPage: true });

  await registerShopper(page, { tag: 'buyer', password: PASSWORD });

  await searchAndOpen(page, FIRST);
  await page.screenshot({ path: screenshot('product') });
  await addToCart(page, FIRST, 1);

  await searchAndOpen(page, SECOND);
  await addToCart(page, SECOND, 2);

  await page.getByRole('link', { name: /^Cart, 3 items$/ }).click();
  const lines = page.getByRole('table', { name: 'Cart lines' });
  await expect(lines.getByRole('link', { name: FIRST.name })).toBeVisible();
  await expect(lines.getByRole('link', { name: SECOND.name })).toBeVisible();
  await expect(page.getByRole('spinbutton', { name: `Quantity of ${SECOND.name}` })).toHaveValue('2');
  await expect(page.getByLabel('Subtotal')).toHaveText(/\d\.\d{2}/);
  await page.screenshot({ path: screenshot('cart'), fullPage: true });

  await checkoutToNewAddress(page);

  await expect(page.getByLabel('Order status')).toHaveText('Pending payment');
  await expect(page.getByLabel('Order status').locator('[data-status]')).toHaveAttribute('data-status', 'PENDING_PAYMENT');
  const orderLines = page.getByRole('table', { name: 'Order lines' });
  await expect(orderLines.getByRole('row', { name: new RegExp(FIRST.name) })).toContainText('1');
  await expect(orderLines.getByRole('row', { name: new RegExp(SECOND.name) })).toContainText('2');
  await expect(page.getByRole('heading', { name: /^Order / })).toBeVisible();
  await page.screenshot({ path: screenshot('order'), fullPage: true });
  // The cart is empty now.
  await expect(page.getByRole('link', { name: 'Cart', exact: true })).toBeVisible();

  // From here on the page's polling fallback gets no answer: only `orderUpdated` can bring Paid.
  await page.route('**/graphql', async (route) => {
    const body = route.request().postData() ?? '';
    if (body.includes('"operationName":"PaymentOrderStatus"')) await route.abort('failed');
    else await route.fallback();
  });

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

  // No reload: the order page follows the order live, through the subscription.
  await expect(page.getByLabel('Order status')).toHaveText('Paid', { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Pay now' })).toHaveCount(0);
  expect(frames.some((frame) => frame.includes('"orderUpdated"') && frame.includes('"PAID"'))).toBe(true);
});

test('a double-clicked Place order makes exactly one order', async ({ page }) => {
  await registerShopper(page, { tag: 'buyer', password: PASSWORD });
  await page.goto('/');
  const firstProduct = page.getByRole('list', { name: 'Products' }).getByRole('listitem').first();
  const name = (await firstProduct.getByRole('heading').textContent()) ?? '';
  await firstProduct.getByRole('link', { name }).click();
  await addToCart(page, { name }, 1);
  await page.getByRole('link', { name: /^Cart, 1 item$/ }).click();
  expect(await orderCountFromApi(page)).toBe(0);

  await page.getByRole('button', { name: 'Checkout' }).click();
  await fillAddress(page);
  await page.getByRole('button', { name: 'Use this address' }).click();
  await page.getByRole('button', { name: 'Place order' }).dblclick();

  await expect(page).toHaveURL(/\/account\/orders\/[^/]+$/);
  await expect(page.getByLabel('Order status')).toHaveText('Pending payment');
  await page.getByRole('button', { name: /^Account menu for / }).click();
  await page.getByRole('menuitem', { name: 'My orders' }).click();
  await expect(page.getByRole('list', { name: 'Orders' }).getByRole('listitem')).toHaveCount(1);
  await expect(page.getByText('1 in total')).toBeVisible();
  expect(await orderCountFromApi(page)).toBe(1);
});
