import { expect, test, type APIRequestContext } from '@playwright/test';

interface Named {
  name: string;
}

// Ask the API what the seed created, so the page is checked against real data.
async function apiQuery<T>(request: APIRequestContext, query: string): Promise<T> {
  const response = await request.post('/graphql', { data: { query } });
  expect(response.ok()).toBeTruthy();
  const body = (await response.json()) as { data: T; errors?: unknown };
  expect(body.errors).toBeUndefined();
  return body.data;
}

test('home page shows the shop, its flash sales and products from the API', async ({ page, request }) => {
  const { products, live, upcoming } = await apiQuery<{
    products: { edges: { node: Named }[] };
    live: { edges: { node: { product: Named } }[] };
    upcoming: { edges: { node: { product: Named } }[] };
  }>(
    request,
    `{ products(first: 12) { edges { node { name } } }
       live: seckillEvents(first: 6, filter: { status: ACTIVE }) { edges { node { product { name } } } }
       upcoming: seckillEvents(first: 6, filter: { status: SCHEDULED }) { edges { node { product { name } } } } }`,
  );
  expect(products.edges.length).toBeGreaterThan(0);

  await page.goto('/');

  await expect(page.getByRole('heading', { name: 'FlashMart' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Shop' })).toBeVisible();

  const productList = page.getByRole('list', { name: 'Products' });
  await expect(productList.getByRole('listitem').first()).toBeVisible();
  expect(await productList.getByRole('listitem').count()).toBe(products.edges.length);
  const firstName = products.edges[0]!.node.name;
  await expect(productList.getByRole('heading', { name: firstName, exact: true }).first()).toBeVisible();
  await expect(productList.getByRole('listitem').first()).toContainText(/\d+\.\d{2}/);

  const flashSales = page.getByRole('region', { name: 'Flash sales' });
  await expect(flashSales).toBeVisible();
  // Live sales first, then upcoming ones, each with its stock and a countdown.
  const firstEvent = live.edges[0] ?? upcoming.edges[0];
  if (firstEvent) {
    const saleList = flashSales.getByRole('list', { name: 'Flash sales' });
    await expect(saleList.getByRole('listitem')).toHaveCount(live.edges.length + upcoming.edges.length);
    const firstCard = saleList.getByRole('listitem').first();
    await expect(firstCard.getByRole('heading', { name: firstEvent.node.product.name, exact: true })).toBeVisible();
    await expect(firstCard).toContainText(/\d+ left of \d+/);
    await expect(firstCard).toContainText(/Limit \d+ per shopper/);
    await expect(firstCard.getByRole('timer')).toHaveText(/^(Ends|Starts) in \d/);
  } else {
    await expect(flashSales.getByText('No flash sales right now')).toBeVisible();
  }
});

test('an unknown address shows the not-found page', async ({ page }) => {
  await page.goto('/no-such-page');

  await expect(page.getByText('Page not found')).toBeVisible();
  await page.getByRole('link', { name: 'Back to the shop' }).click();
  await expect(page).toHaveURL('/');
});
