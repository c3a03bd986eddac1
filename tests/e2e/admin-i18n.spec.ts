import { expect, test, type Page } from '@playwright/test';
import { ADMIN, screenshot } from './helpers';

// The console in 简体中文: a browser that prefers Chinese gets the console in Chinese.
test.use({ locale: 'zh-CN' });

/** Sign in through the form by its fields' autocomplete attributes, whatever language the page speaks. */
async function signInAsAdmin(page: Page) {
  await page.goto('/sign-in');
  // The form is shown in Chinese once the language's strings have loaded, and is drawn again
  // then: a field filled before that was found empty on a loaded machine. Fill it after.
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  const email = page.locator('input[autocomplete="email"]');
  const password = page.locator('input[autocomplete="current-password"]');
  await email.fill(ADMIN.email);
  await password.fill(ADMIN.password);
  await expect(email).toHaveValue(ADMIN.email);
  await page.locator('button[type="submit"]').click();
  await expect(page).toHaveURL(/\/admin/);
  await expect(page.getByRole('navigation', { name: '控制台' })).toBeVisible();
}

test('the console speaks Chinese: dashboard, products, flash sales and orders', async ({ page }) => {
  test.setTimeout(120_000);
  await signInAsAdmin(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');

  // Dashboard
  await page.goto('/admin');
  await expect(page.getByRole('heading', { name: 'FlashMart 后台' })).toBeVisible();
  const menu = page.getByRole('navigation', { name: '控制台' });
  for (const section of ['控制台', '商品', '分类', '秒杀活动', '订单', '售后', '用户']) {
    await expect(menu.getByRole('link', { name: section, exact: true })).toBeVisible();
  }
  await expect(page.getByRole('link', { name: '返回商城' })).toBeVisible();
  await expect(page.getByRole('heading', { name: '控制台', level: 2 })).toBeVisible();
  for (const kpi of ['今日订单', '今日销售额', '今日付款率', '进行中的秒杀']) {
    await expect(page.getByRole('group', { name: kpi })).toBeVisible();
  }
  await expect(page.getByText(/^近 30 天：\d+ 笔订单，已付款 .+，付款率 [\d.]+%。$/)).toBeVisible();
  const daily = page.getByRole('figure', { name: '每日订单与销售额' });
  await expect(daily.locator('.recharts-surface').first()).toBeVisible();
  await expect(daily.locator('.recharts-legend-wrapper')).toContainText('订单数');
  await expect(page.getByRole('figure', { name: '各状态订单数' })).toBeVisible();
  await page.screenshot({ path: screenshot('console-zh-CN'), fullPage: true });

  // Products
  await menu.getByRole('link', { name: '商品', exact: true }).click();
  await expect(page.getByRole('heading', { name: '商品', level: 2 })).toBeVisible();
  await expect(page.getByRole('button', { name: '新建商品' })).toBeVisible();
  await expect(page.getByRole('searchbox', { name: '搜索商品' })).toHaveAttribute('placeholder', '搜索名称和描述');
  const products = page.getByRole('table', { name: '商品' });
  for (const column of ['图片', '名称', '分类', '价格', '库存', '状态', '操作']) {
    await expect(products.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  }
  await expect(products.getByText('已上架').first()).toBeVisible();
  await expect(page.getByText(/^共 \d+ 件商品$/)).toBeVisible();

  // Flash sales: the list with the shop's status words, the form and the control room
  await menu.getByRole('link', { name: '秒杀活动', exact: true }).click();
  await expect(page.getByRole('heading', { name: '秒杀活动', level: 2 })).toBeVisible();
  const sales = page.getByRole('table', { name: '秒杀活动' });
  for (const column of ['商品', '状态', '秒杀价', '剩余库存', '每人限购', '开始时间', '结束时间', '操作']) {
    await expect(sales.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  }
  const row = sales.getByRole('row', { name: /Aurora X1 Pro/ }).first();
  await expect(row.getByText('进行中')).toBeVisible();
  await expect(row.getByRole('button', { name: '预热 Aurora X1 Pro' })).toBeVisible();
  await expect(row.getByRole('button', { name: '核对 Aurora X1 Pro' })).toBeVisible();

  await page.getByRole('button', { name: '新建秒杀活动' }).click();
  await expect(page.getByRole('heading', { name: '新建秒杀活动', level: 2 })).toBeVisible();
  const form = page.getByRole('form', { name: '新建秒杀活动' });
  for (const label of ['商品', '秒杀价', '秒杀库存', '开始时间', '结束时间', '每人限购']) {
    await expect(form.getByLabel(label, { exact: true })).toBeVisible();
  }
  await expect(form.getByRole('radio', { name: '先到先得' })).toBeChecked();
  await form.getByRole('button', { name: '创建秒杀活动' }).click();
  await expect(form.getByText('请选择参与秒杀的商品')).toBeVisible();
  await expect(form.getByText('请输入秒杀价')).toBeVisible();
  // antd spaces out a two-character Chinese button label ("取 消").
  await form.getByRole('button', { name: /^取\s?消$/ }).click();

  await page.getByRole('table', { name: '秒杀活动' }).getByRole('link', { name: 'Aurora X1 Pro 的实时监控' }).first().click();
  await expect(page.getByRole('heading', { name: '实时监控：Aurora X1 Pro' })).toBeVisible();
  await expect(page.getByText('进行中', { exact: true })).toBeVisible();
  await expect(page.getByRole('group', { name: '剩余库存' })).toContainText('/ 100');
  for (const figure of ['排队中的抢购', '每秒抢购次数', '待处理的后台任务', '后台进程']) {
    await expect(page.getByRole('group', { name: figure })).toBeVisible();
  }
  await expect(page.getByRole('figure', { name: '剩余库存（最近一分钟）' })).toBeVisible();
  await expect(page.getByRole('region', { name: '核对结果' }).getByText(/^核对(通过|未通过)$/)).toBeVisible();

  // Orders
  await menu.getByRole('link', { name: '订单', exact: true }).click();
  await expect(page.getByRole('heading', { name: '订单', level: 2 })).toBeVisible();
  const filters = page.getByRole('search', { name: '筛选订单' });
  for (const label of ['状态', '订单号', '顾客邮箱', '下单日期']) {
    await expect(filters.getByText(label, { exact: true })).toBeVisible();
  }
  await expect(filters.getByRole('button', { name: '清除筛选' })).toBeDisabled();
  await filters.getByRole('combobox', { name: '状态' }).click();
  for (const status of ['待付款', '已付款', '已发货', '已完成', '已取消', '已过期', '已退款']) {
    await expect(page.locator('.ant-select-dropdown').getByText(status, { exact: true })).toBeVisible();
  }
  await page.keyboard.press('Escape');
  // A fresh stack has no orders yet; other specs run before this one may have placed some.
  const orders = page.getByRole('table', { name: '订单' });
  const none = page.getByText('没有符合筛选条件的订单');
  await expect(orders.or(none)).toBeVisible();
  if (await orders.isVisible()) {
    for (const column of ['订单号', '下单时间', '顾客', '件数', '总额', '状态']) {
      await expect(orders.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
    }
    await expect(page.getByText(/^共 \d+ 笔订单，最新的在前$/)).toBeVisible();
  }
});
