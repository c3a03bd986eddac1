import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { ADMIN, screenshot, signIn } from './helpers';

// The admin console's catalog screens in a real browser against the real stack (seeded demo data).
const IMAGE = fileURLToPath(new URL('./fixtures/product.png', import.meta.url));

test('an administrator creates a category and a product with an image, publishes it, and a shopper finds it', async ({
  page,
  browser,
}) => {
  // Unique per run, so the test also passes against a stack reused from an earlier run.
  const stamp = Date.now().toString(36);
  const categoryName = `Smart Garden ${stamp}`;
  const productName = `Verdant Planter ${stamp}`;
  await signIn(page, ADMIN);
  await page.goto('/admin');
  const consoleNav = page.getByRole('navigation', { name: 'Console' });

  // A category under Home.
  await consoleNav.getByRole('link', { name: 'Categories' }).click();
  await expect(page.getByRole('heading', { name: 'Categories' })).toBeVisible();
  const categoryForm = page.getByRole('form', { name: 'New category' });
  await categoryForm.getByLabel('Name').fill(categoryName);
  await categoryForm.getByLabel('Parent category').click();
  await page.locator('.ant-select-tree').getByTitle('Home', { exact: true }).click();
  await categoryForm.getByRole('button', { name: 'Create category' }).click();
  await expect(page.getByText(`${categoryName} is created`)).toBeVisible();
  const tree = page.getByRole('tree');
  await expect(tree.getByRole('treeitem', { name: categoryName })).toBeVisible();
  await expect(page.getByRole('form', { name: `Edit ${categoryName}` }).getByLabel('Name')).toHaveValue(categoryName);

  // A draft product in it; a bad price is refused by the API with a message at the field.
  await consoleNav.getByRole('link', { name: 'Products' }).click();
  await expect(page.getByRole('heading', { name: 'Products' })).toBeVisible();
  await expect(page.getByRole('table').getByRole('link').first()).toBeVisible();
  await page.getByRole('button', { name: 'New product' }).click();
  await expect(page.getByRole('heading', { name: 'New product' })).toBeVisible();
  const productForm = page.getByRole('form', { name: 'New product' });
  await productForm.getByLabel('Name').fill(productName);
  await productForm.getByLabel('Description').fill('A self-watering planter with a soil moisture sensor.');
  await productForm.getByLabel('Price').fill('42.505');
  await productForm.getByLabel('Stock').fill('7');
  await productForm.getByLabel('Category').click();
  await page.keyboard.type(categoryName);
  await page.getByTitle(`Home › ${categoryName}`).click();
  await productForm.getByRole('button', { name: 'Create product' }).click();
  await expect(productForm.getByText('Use at most 2 decimal places')).toBeVisible();
  await productForm.getByLabel('Price').fill('42.50');
  await productForm.getByRole('button', { name: 'Create product' }).click();

  await expect(page.getByRole('heading', { name: `Edit product: ${productName}` })).toBeVisible();
  await expect(page).toHaveURL(/\/admin\/products\/[^/]+$/);
  await expect(page.getByText('Draft', { exact: true })).toBeVisible();

  // An image, previewed before it is uploaded.
  const images = page.getByRole('region', { name: 'Images' });
  await expect(images.getByText('No images yet')).toBeVisible();
  const chooser = page.waitForEvent('filechooser');
  await images.getByRole('button', { name: /Choose image/ }).click();
  await (await chooser).setFiles(IMAGE);
  await expect(images.getByRole('img', { name: 'Preview of the chosen image' })).toBeVisible();
  await images.getByLabel('Image description').fill('Planter on a windowsill');
  await images.getByRole('button', { name: 'Upload image' }).click();
  const imageList = images.getByRole('list', { name: 'Product images' });
  await expect(imageList.getByRole('listitem')).toHaveCount(1);
  await expect(imageList.getByRole('img', { name: 'Planter on a windowsill' })).toBeVisible();
  await expect(images.getByRole('img', { name: 'Preview of the chosen image' })).toHaveCount(0);

  // Its description, changed in place after the upload.
  await imageList.getByRole('button', { name: 'Describe image 1' }).click();
  await imageList.getByRole('textbox', { name: 'Description of image 1' }).fill('Planter on a sunny windowsill');
  await imageList.getByRole('button', { name: 'Save' }).click();
  await expect(imageList.getByRole('img', { name: 'Planter on a sunny windowsill' })).toBeVisible();
  await expect(imageList.getByRole('textbox', { name: 'Description of image 1' })).toHaveCount(0);

  // A second image, dragged onto the first one's place: it becomes the main one.
  const secondChooser = page.waitForEvent('filechooser');
  await images.getByRole('button', { name: /Choose image/ }).click();
  await (await secondChooser).setFiles(IMAGE);
  await images.getByLabel('Image description').fill('Planter, seen from above');
  await images.getByRole('button', { name: 'Upload image' }).click();
  await expect(imageList.getByRole('listitem')).toHaveCount(2);
  await imageList.getByRole('listitem', { name: 'Image 2 of 2' }).dragTo(imageList.getByRole('listitem', { name: 'Image 1 of 2' }));
  const first = imageList.getByRole('listitem', { name: 'Image 1 of 2' });
  await expect(first.getByRole('img', { name: 'Planter, seen from above' })).toBeVisible();
  await expect(first.getByText('Main')).toBeVisible();
  const second = imageList.getByRole('listitem', { name: 'Image 2 of 2' });
  await expect(second.getByRole('img', { name: 'Planter on a sunny windowsill' })).toBeVisible();

  // Stock, then publish.
  await page.getByLabel('Units in stock').fill('12');
  await page.getByRole('button', { name: 'Set stock' }).click();
  await expect(page.getByText('Stock set to 12')).toBeVisible();
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await expect(page.getByText(`${productName} is published`)).toBeVisible();
  await expect(page.getByText('Published', { exact: true }).first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Unpublish' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Product details' }).getByRole('switch', { name: 'Published' })).toBeChecked();
  await page.mouse.move(0, 0);
  await expect(page.locator('.ant-message-notice')).toHaveCount(0, { timeout: 10_000 }); // toasts gone
  await page.screenshot({ path: screenshot('admin-product-edit'), fullPage: true });

  // The product table finds it by search.
  await page.getByRole('link', { name: '← All products' }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(stamp);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  const row = page.getByRole('row', { name: new RegExp(productName) });
  await expect(row).toBeVisible();
  await expect(row.getByText('Published')).toBeVisible();
  await expect(row.getByText(categoryName)).toBeVisible();
  await expect(row).toContainText('12');

  // The filters live in the URL: the editor's way back and the browser's back button return to them.
  await page.getByLabel('Status').click();
  await page.locator('.ant-select-dropdown:visible').getByTitle('Published').click();
  await expect(page).toHaveURL(new RegExp(`/admin/products\\?q=${stamp}&status=published$`));
  await row.getByRole('link', { name: productName }).click();
  await expect(page.getByRole('heading', { name: `Edit product: ${productName}` })).toBeVisible();
  await page.getByRole('link', { name: '← All products' }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/products\\?q=${stamp}&status=published$`));
  await expect(page.getByRole('searchbox', { name: 'Search products' })).toHaveValue(stamp);
  await expect(row).toBeVisible();
  await row.getByRole('link', { name: productName }).click();
  await expect(page.getByRole('heading', { name: `Edit product: ${productName}` })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(new RegExp(`/admin/products\\?q=${stamp}&status=published$`));
  await expect(row).toBeVisible();

  // Someone else, not signed in, finds it in the storefront search.
  const shopper = await browser.newContext();
  const shop = await shopper.newPage();
  await shop.goto('/products');
  await shop.getByRole('searchbox', { name: 'Search products' }).fill(`Verdant ${stamp}`);
  await shop.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  const results = shop.getByRole('list', { name: 'Products' });
  await expect(results.getByRole('heading', { name: productName })).toBeVisible();
  await expect(results.getByRole('listitem')).toHaveCount(1);
  await expect(results.locator('img[src^="/media/products/"]')).toBeVisible();
  await shopper.close();
});

test('an administrator deletes a product only after confirming, and it leaves the shop', async ({ page, request }) => {
  const stamp = Date.now().toString(36);
  const productName = `Doomed Gadget ${stamp}`;
  await signIn(page, ADMIN);
  await page.goto('/admin/products/new');
  const productForm = page.getByRole('form', { name: 'New product' });
  await productForm.getByLabel('Name').fill(productName);
  await productForm.getByLabel('Price').fill('5.00');
  await productForm.getByRole('switch', { name: 'Published' }).click();
  await productForm.getByRole('button', { name: 'Create product' }).click();
  await expect(page.getByRole('heading', { name: `Edit product: ${productName}` })).toBeVisible();

  await page.getByRole('link', { name: '← All products' }).click();
  await page.getByRole('searchbox', { name: 'Search products' }).fill(stamp);
  await page.getByRole('searchbox', { name: 'Search products' }).press('Enter');
  const row = page.getByRole('row', { name: new RegExp(productName) });
  await row.getByRole('button', { name: `Delete ${productName}` }).click();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(row).toBeVisible();
  await row.getByRole('button', { name: `Delete ${productName}` }).click();
  await page.getByRole('button', { name: 'Delete product' }).click();
  await expect(page.getByText(`${productName} is deleted`)).toBeVisible();
  // Search tolerates typos: another test's product with a stamp a few seconds apart may still
  // match, but not the deleted one.
  await expect(row).toHaveCount(0);

  const response = await request.post('/graphql', {
    data: { query: `{ products(first: 50, filter: { search: "${stamp}" }) { edges { node { name } } } }` },
  });
  const found = (await response.json()) as { data: { products: { edges: { node: { name: string } }[] } } };
  expect(found.data.products.edges.map((edge) => edge.node.name)).not.toContain(productName);
});
