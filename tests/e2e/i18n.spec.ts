import { expect, test, type Page } from '@playwright/test';
import { createSale, screenshot } from './helpers';

// The storefront in 简体中文 (the browser asks for zh-CN), the switch to English and back,
// and the Chinese pages on a phone-sized screen.

/** The header says everything in Chinese: no English word but the shop's name (and the shopper's email). */
async function expectChineseHeader(page: Page, email = '') {
  const header = page.locator('header').first();
  await expect(header.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' })).toBeVisible();
  // The language switch names English in English, as language switches do.
  const text = (await header.innerText()).replace('FlashMart', '').replace(email, '').replace('English', '');
  expect(text).not.toMatch(/[A-Za-z]{2,}/);
}

async function expectNoSideways(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

/** Register a new shopper through the Chinese form; returns the email. */
async function registerInChinese(page: Page): Promise<string> {
  const email = `e2e-zh-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@flashmart.local`;
  await page.goto('/register');
  await expect(page.getByRole('heading', { name: '注册新账户' })).toBeVisible();
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('e2e-shopper-password');
  // antd spaces out a two-character Chinese button label ("注 册").
  await page.getByRole('button', { name: /^注\s?册$/ }).click();
  await expect(page.getByRole('button', { name: `${email} 的账户菜单` })).toBeVisible();
  return email;
}

test.describe('in 简体中文', () => {
  test.use({ locale: 'zh-CN' });

  test('home, product, cart and flash sale pages are in Chinese with ¥ prices', async ({ page, request }) => {
    const sale = await createSale(request, 120_000);

    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expectChineseHeader(page);
    await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
    await expect(page.getByRole('region', { name: '限时秒杀' })).toBeVisible();
    await expect(page.getByRole('heading', { name: '按分类选购' })).toBeVisible();
    await expect(page.getByRole('link', { name: '查看全部商品' })).toBeVisible();
    const products = page.getByRole('list', { name: '全部商品' });
    await expect(products.getByRole('listitem').first()).toContainText('¥');
    const saleCard = page
      .getByRole('list', { name: '限时秒杀' })
      .getByRole('listitem')
      .filter({ has: page.locator(`a[href="/flash-sales/${encodeURIComponent(sale.id)}"]`) });
    await expect(saleCard.getByText('即将开始')).toBeVisible();
    await expect(saleCard.getByRole('timer', { name: '距开始' })).toBeVisible();
    await expect(saleCard.getByLabel('剩余库存')).toHaveText('剩余 1 件，共 1 件');

    // A product page: price in ¥, the purchase buttons in Chinese.
    await products.getByRole('link').first().click();
    await expect(page.getByLabel('价格')).toHaveText(/^¥\d/);
    await expect(page.getByRole('button', { name: '加入购物车' })).toBeVisible();
    await expect(page.getByRole('button', { name: '立即购买' })).toBeVisible();
    await expect(page.getByRole('link', { name: '全部商品' }).first()).toBeVisible();
    await expectChineseHeader(page);

    // A visitor's cart asks to sign in; a shopper's cart lists the line with its subtotal.
    await page.goto('/cart');
    await expect(page.getByText('请登录后继续。')).toBeVisible();
    const email = await registerInChinese(page);
    await page.goto(`/products/${encodeURIComponent(await firstProductInStock(page))}`);
    await page.getByRole('button', { name: '加入购物车' }).click();
    await expect(page.getByRole('status').filter({ hasText: '已将 1 件' })).toContainText('加入购物车');
    await page.getByRole('link', { name: '去购物车' }).click();
    await expect(page.getByRole('heading', { name: '购物车' })).toBeVisible();
    await expect(page.getByRole('table', { name: '购物车商品' })).toBeVisible();
    await expect(page.getByText('合计（1 件商品）')).toBeVisible();
    await expect(page.getByLabel('合计', { exact: true })).toHaveText(/^¥\d/);
    await expect(page.getByRole('button', { name: '去结算' })).toBeVisible();
    await expect(page.getByRole('link', { name: '购物车，1 件商品' })).toBeVisible();
    await expectChineseHeader(page, email);

    // The flash sale before its start: countdown, disabled button and why, in Chinese.
    await page.goto(`/flash-sales/${encodeURIComponent(sale.id)}`);
    await expect(page.getByRole('heading', { level: 2, name: sale.name })).toBeVisible();
    await expect(page.getByLabel('秒杀状态')).toHaveText('即将开始');
    await expect(page.getByText('¥1.00')).toBeVisible();
    await expect(page.getByRole('timer', { name: '距开始' })).toHaveText(/^距开始 \d{2}:\d{2}$/);
    await expect(page.getByText('每人限购 1 件')).toBeVisible();
    await expect(page.getByRole('button', { name: '立即抢购' })).toBeDisabled();
    await expect(page.getByText('秒杀尚未开始。')).toBeVisible();
    await expectChineseHeader(page, email);
  });

  test('the language switch changes the page to English and is remembered after a reload', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' })).toBeVisible();

    await page.getByRole('combobox', { name: '语言' }).selectOption('English');
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Shop' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Flash sales' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');

    await page.reload();
    await expect(nav.getByRole('link', { name: 'Shop' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByText('首页')).toHaveCount(0);

    // And back to Chinese.
    await page.getByRole('combobox', { name: 'Language' }).selectOption('简体中文');
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '首页' })).toBeVisible();
  });
});

test.describe('in 简体中文 on a phone', () => {
  test.use({ locale: 'zh-CN', viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });

  test('home, product and flash sale pages fit a 375 px screen', async ({ page, request }) => {
    const sale = await createSale(request, 300_000);

    await page.goto('/');
    await expect(page.getByRole('list', { name: '全部商品' }).getByRole('listitem').first()).toBeVisible();
    await expect(page.getByRole('link', { name: '购物车' })).toBeVisible();
    await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
    await expectNoSideways(page);

    await page.getByRole('list', { name: '全部商品' }).getByRole('link').first().click();
    await expect(page.getByRole('button', { name: '加入购物车' })).toBeVisible();
    await expectNoSideways(page);

    await page.goto(`/flash-sales/${encodeURIComponent(sale.id)}`);
    await expect(page.getByRole('button', { name: '立即抢购' })).toBeDisabled();
    await expect(page.getByRole('timer', { name: '距开始' })).toBeVisible();
    await expectNoSideways(page);
    await page.screenshot({ path: screenshot('phone-zh-CN-sale'), fullPage: true });
  });
});

/** The id of a product the shopper can add to the cart (read from the API). */
async function firstProductInStock(page: Page): Promise<string> {
  const response = await page.request.post('/graphql', {
    data: { query: '{ products(first: 50) { edges { node { id stock } } } }' },
  });
  const body = (await response.json()) as { data: { products: { edges: { node: { id: string; stock: number } }[] } } };
  const product = body.data.products.edges.map((edge) => edge.node).find((node) => node.stock >= 5);
  if (!product) throw new Error('No product with stock');
  return product.id;
}
