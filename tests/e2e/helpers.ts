import { fileURLToPath } from 'node:url';
import { expect, type APIRequestContext, type Browser, type Page } from '@playwright/test';

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

/** An address a shopper writes; any valid mainland-China address does. */
export const HOME_ADDRESS = {
  recipient: 'Li Lei',
  phone: '13800138000',
  region: 'Zhejiang',
  city: 'Hangzhou',
  street: '18 Wensan Road',
  postcode: '310012',
};

/** Fill the address form on the page (the book's, the checkout's or the pay step's). */
export async function fillAddress(page: Page, address = HOME_ADDRESS) {
  const form = page.getByRole('form', { name: 'Address' });
  await form.getByLabel('Recipient').fill(address.recipient);
  await form.getByLabel('Phone').fill(address.phone);
  await form.getByLabel('Province / region').fill(address.region);
  await form.getByLabel('City').fill(address.city);
  await form.getByLabel('Street address').fill(address.street);
  await form.getByLabel('Postcode').fill(address.postcode);
}

/**
 * From the cart: Checkout, then on the review page ship to a new address written there (a new
 * shopper's book is empty), then Place order; waits for the order page.
 */
export async function checkoutToNewAddress(page: Page) {
  await page.getByRole('button', { name: 'Checkout' }).click();
  await expect(page.getByRole('heading', { name: 'Review your order' })).toBeVisible();
  await fillAddress(page);
  await page.getByRole('button', { name: 'Use this address' }).click();
  await expect(page.getByRole('radio', { name: new RegExp(HOME_ADDRESS.street) })).toBeChecked();
  await page.getByRole('button', { name: 'Place order' }).click();
  await expect(page).toHaveURL(/\/account\/orders\/[^/]+$/);
}

/** On an unpaid order's page: Pay now, approve on the sandbox provider's page, wait for Paid. */
export async function payOnSandbox(page: Page) {
  const payment = page.locator('[aria-label="Payment"]').first();
  await payment.getByRole('button', { name: 'Pay now' }).click();
  const payUrl = await payment.getByRole('link', { name: 'Open payment page' }).getAttribute('href');
  const sandbox = await page.context().newPage();
  await sandbox.goto(payUrl!);
  await sandbox.getByRole('button', { name: 'Approve' }).click();
  await expect(sandbox.getByText(/Approved/)).toBeVisible();
  await sandbox.close();
  await expect(page.getByLabel('Order status')).toHaveText('Paid', { timeout: 20_000 });
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
  await checkoutToNewAddress(shop);
  const heading = await shop.getByRole('heading', { level: 2, name: /^Order FM/ }).textContent();
  const number = (heading ?? '').replace('Order ', '').trim();
  await payOnSandbox(shop);
  return number;
}

/** A GraphQL request through Playwright's API client (query text: fine for the admin). */
export async function gql<T>(request: APIRequestContext, query: string, variables: object, token?: string): Promise<T> {
  const response = await request.post('/graphql', {
    data: { query, variables },
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data || body.errors) throw new Error(`GraphQL failed: ${JSON.stringify(body)}`);
  return body.data;
}

/**
 * A warm one-unit flash sale of a product with stock, starting `startsInMs` from the server's now
 * and lasting an hour, made by the admin through the API; `input` adds or overrides fields.
 */
export async function createSale(
  request: APIRequestContext,
  startsInMs: number,
  input: Record<string, unknown> = {},
): Promise<{ id: string; name: string }> {
  const { tokenCreate } = await gql<{ tokenCreate: { accessToken: string } }>(
    request,
    'mutation($e: String!, $p: String!) { tokenCreate(email: $e, password: $p) { accessToken } }',
    { e: ADMIN.email, p: ADMIN.password },
  );
  const token = tokenCreate.accessToken;
  const { products, serverTime } = await gql<{
    products: { edges: { node: { id: string; name: string; stock: number } }[] };
    serverTime: string;
  }>(request, '{ serverTime products(first: 50) { edges { node { id name stock } } } }', {}, token);
  const product = products.edges.map((edge) => edge.node).find((node) => node.stock >= 5);
  if (!product) throw new Error('No product with stock');
  const now = Date.parse(serverTime);
  const { seckillEventCreate } = await gql<{
    seckillEventCreate: { event: { id: string } | null; userErrors: unknown[] };
  }>(
    request,
    `mutation($input: SeckillEventInput!) {
      seckillEventCreate(input: $input) { event { id } userErrors { code message } }
    }`,
    {
      input: {
        productId: product.id,
        price: '1.00',
        totalStock: 1,
        perUserLimit: 1,
        startsAt: new Date(now + startsInMs).toISOString(),
        endsAt: new Date(now + 3_600_000).toISOString(),
        ...input,
      },
    },
    token,
  );
  if (!seckillEventCreate.event) throw new Error(`Sale not created: ${JSON.stringify(seckillEventCreate.userErrors)}`);
  const { id } = seckillEventCreate.event;
  await gql(request, 'mutation($id: ID!) { seckillEventWarmup(id: $id) { userErrors { code } } }', { id }, token);
  return { id, name: product.name };
}
