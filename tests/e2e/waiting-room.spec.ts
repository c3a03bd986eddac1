import { expect, test, type Browser, type Page } from '@playwright/test';
import { createSale, screenshot, signIn } from './helpers';

// A waiting-room sale with one unit and two shoppers who join before the start: at the start
// the draw orders them, the first in the draw is admitted (its buy button turns on with the
// grant's countdown) and buys; the other keeps their place and is told SOLD_OUT. The sale is
// made by an admin through the API.
const PASSWORD = 'flashmart-shopper';

async function joinedShopper(browser: Browser, email: string, saleId: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, { email, password: PASSWORD });
  await page.goto(`/flash-sales/${encodeURIComponent(saleId)}`);
  const room = page.getByRole('region', { name: 'Waiting room' });
  await expect(room.getByText(/put in a random order by a draw/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Buy now' })).toBeDisabled();
  await room.getByRole('button', { name: 'Join the waiting room' }).click();
  await expect(room.getByLabel('Waiting room state')).toHaveText('Waiting');
  return page;
}

test('a waiting room with one unit: the first in the draw buys, the other keeps their place and is told SOLD_OUT', async ({
  browser,
  request,
}) => {
  test.slow();
  // Warm, so the room is open for joining (no roomOpensAt); the draw runs at the start.
  const sale = await createSale(request, 25_000, {
    admissionMode: 'WAITING_ROOM',
    lotteryWindowSeconds: 0,
    grantTtlSeconds: 120,
    admissionFactor: 1,
  });
  const stamp = Math.floor(Math.random() * 9);
  const pages = await Promise.all([
    joinedShopper(browser, `shopper${String(11 + stamp)}@flashmart.local`, sale.id),
    joinedShopper(browser, `shopper${String(31 + stamp)}@flashmart.local`, sale.id),
  ]);
  for (const page of pages) {
    await expect(page.getByRole('region', { name: 'Waiting room' }).getByText(/puts everyone who joined by then/)).toBeVisible();
  }

  // The start: the worker draws, publishes the seed and admits one (1 unit x factor 1).
  const admitted = (page: Page) => page.getByRole('timer', { name: 'Your turn ends in' });
  const admittedCount = async () => (await admitted(pages[0]!).count()) + (await admitted(pages[1]!).count());
  await expect.poll(admittedCount, { timeout: 60_000 }).toBe(1);
  const winner = (await admitted(pages[0]!).count()) > 0 ? pages[0]! : pages[1]!;
  const other = winner === pages[0] ? pages[1]! : pages[0]!;

  const otherRoom = other.getByRole('region', { name: 'Waiting room' });
  await expect(otherRoom.getByText('Your place')).toBeVisible();
  await expect(otherRoom.getByRole('progressbar', { name: 'Queue moved' })).toBeVisible();
  await expect(other.getByRole('button', { name: 'Buy now' })).toBeDisabled();
  await expect(otherRoom.getByText(/Draw seed:/)).toBeVisible({ timeout: 15_000 });
  await other.screenshot({ path: screenshot('waiting-room'), fullPage: true });

  await expect(winner.getByRole('button', { name: 'Buy now' })).toBeEnabled();
  await winner.getByRole('button', { name: 'Buy now' }).click();
  await expect(winner.getByTestId('ticket-status')).toHaveText('Succeeded', { timeout: 15_000 });
  await expect(winner.getByText('You used your turn: your ticket is below.')).toBeVisible();

  await expect(otherRoom.getByLabel('Waiting room state')).toHaveText('Sold out', { timeout: 15_000 });
  await expect(otherRoom.getByText(/Every unit is taken for now/)).toBeVisible();
  await expect(other.getByRole('button', { name: 'Buy now' })).toBeDisabled();

  for (const page of pages) await page.context().close();
});
