import { expect, test, type Browser, type Page } from '@playwright/test';
import { createSale, fillAddress, screenshot } from './helpers';

// Two shoppers, two browsers, one unit: exactly one gets it, the other is told it is sold out,
// and both pages show the stock at 0 without a reload. A third visitor keeps the home page open:
// its card for the sale (which never polls) counts down, goes live and drops to 0 through
// `seckillEventUpdated`. The sale is made by an admin through the API.
const PASSWORD = 'flashmart-shopper';

async function shopperPage(browser: Browser, email: string, saleId: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  // A visitor is sent to sign in and comes back to the sale.
  await page.goto(`/flash-sales/${encodeURIComponent(saleId)}`);
  await page.getByRole('button', { name: 'Buy now' }).or(page.getByRole('link', { name: 'Sign in' })).first().waitFor();
  await page.goto(`/sign-in?next=${encodeURIComponent(`/flash-sales/${saleId}`)}`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: `Account menu for ${email}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/flash-sales/`));
  return page;
}

test('two shoppers race for the last unit: one SUCCEEDED, the other sold out, both see 0 left', async ({
  browser,
  request,
}) => {
  test.slow(); // waits for the sale to start: three times the 30 s default
  // Long enough for the observer and two shoppers to sign in and load the page before the
  // start on a slow 2-core machine (8 s was not, once: the countdown had already ended).
  const sale = await createSale(request, 20_000);
  const observer = await (await browser.newContext()).newPage();
  await observer.goto('/');
  const card = observer
    .getByRole('list', { name: 'Flash sales' })
    .getByRole('listitem')
    .filter({ has: observer.locator(`a[href="/flash-sales/${encodeURIComponent(sale.id)}"]`) });
  await expect(card.getByLabel('Remaining stock')).toHaveText('1 left of 1');
  await expect(card.getByRole('timer', { name: 'Starts in' })).toBeVisible();
  await expect(card.getByText('Upcoming')).toBeVisible();

  const stamp = Math.floor(Math.random() * 20);
  const pages = await Promise.all([
    shopperPage(browser, `shopper${String(21 + stamp)}@flashmart.local`, sale.id),
    shopperPage(browser, `shopper${String(41 + (stamp % 9))}@flashmart.local`, sale.id),
  ]);

  for (const page of pages) {
    await expect(page.getByRole('heading', { level: 2, name: sale.name })).toBeVisible();
    await expect(page.getByLabel('Remaining stock')).toHaveText('1 left of 1');
  }
  // Before the start (server time): a countdown and a disabled button.
  await expect(pages[0]!.getByRole('timer', { name: 'Starts in' })).toBeVisible();
  await expect(pages[0]!.getByRole('button', { name: 'Buy now' })).toBeDisabled();

  for (const page of pages) await expect(page.getByRole('button', { name: 'Buy now' })).toBeEnabled({ timeout: 30_000 });
  await Promise.all(pages.map((page) => page.getByRole('button', { name: 'Buy now' }).click()));

  const outcomes = await Promise.all(
    pages.map(async (page) => {
      const won = page.getByTestId('ticket-status').filter({ hasText: 'Succeeded' });
      // The loser is told by the API (SOLD_OUT / ALREADY_PURCHASED) or by a FAILED ticket.
      const lost = page
        .getByRole('alert')
        .filter({ hasText: /Sold out: every unit|already bought/ })
        .or(page.getByTestId('ticket-status').filter({ hasText: 'Failed' }))
        .first();
      await expect(won.or(lost)).toBeVisible({ timeout: 15_000 });
      return (await won.count()) > 0 ? 'won' : 'lost';
    }),
  );
  expect([...outcomes].sort()).toEqual(['lost', 'won']);

  for (const page of pages) {
    await expect(page.getByLabel('Remaining stock')).toHaveText('0 left of 1', { timeout: 10_000 });
    await expect(page.getByRole('button', { name: 'Buy now' })).toBeDisabled();
  }
  // The home page, never reloaded: the card went live at the server's start time and shows 0 left.
  await expect(card.getByLabel('Remaining stock')).toHaveText('0 left of 1', { timeout: 10_000 });
  await expect(card.getByText('Sold out')).toBeVisible();
  await observer.screenshot({ path: screenshot('home-flash-sale'), fullPage: true });
  await observer.context().close();

  const winner = pages[outcomes.indexOf('won')]!;
  await expect(winner.getByRole('link', { name: 'Pay now' })).toBeVisible();
  await winner.screenshot({ path: screenshot('flash-sale'), fullPage: true });
  await winner.getByRole('link', { name: 'Pay now' }).click();
  await expect(winner.getByRole('timer', { name: 'Time left to pay' })).toBeVisible();
  // A flash-sale order has no address yet: the pay step asks for one before paying.
  const payment = winner.locator('[aria-label="Payment"]').first();
  await expect(payment.getByRole('button', { name: 'Pay now' })).toBeDisabled();
  await fillAddress(winner);
  await winner.getByRole('button', { name: 'Use this address' }).click();
  await payment.getByRole('button', { name: 'Pay now' }).click();
  await expect(payment.getByRole('img', { name: 'QR code to pay with your phone' })).toBeVisible();

  for (const page of pages) await page.context().close();
});
