// Finding the thing to do in the resident's own words (智能导办): typing as
// people speak finds the event, says why, and names the item when the words
// name one; a query that matches nothing says so kindly, suggests the
// closest events and offers the 12345 hotline. In English too.
import { expect, test } from '@playwright/test';

test('typing 孩子出生 on the home page offers 新生儿出生 first, and 补办社保卡 names the item', async ({ page }) => {
  await page.goto('/');
  const box = page.getByRole('searchbox', { name: '您要办什么事？' });
  await box.fill('孩子出生');
  const results = page.getByRole('list', { name: '找到这些事' });
  await expect(results.getByRole('link').first()).toContainText('新生儿出生');
  await expect(results.getByRole('link').first()).toContainText('匹配：');
  await box.fill('补办社保卡');
  await expect(results.getByRole('link').first()).toContainText(/社会保障卡居民服务 › 社会保障卡补/);
  await box.fill('shebaoka');
  await expect(results.getByRole('link').first()).toContainText('社会保障卡居民服务');
  await results.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: '社会保障卡居民服务' })).toBeVisible();
});

test('a query that matches nothing says so kindly, suggests the closest events and offers 12345', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('searchbox', { name: '您要办什么事？' }).fill('量子纠缠');
  await expect(page.getByText('没有找到和您说的相符的事项')).toBeVisible();
  await expect(page.getByRole('link', { name: '拨打12345政务服务热线' })).toHaveAttribute('href', 'tel:12345');
  await expect(page.getByRole('list', { name: '您是不是要办这些事？' }).getByRole('link')).not.toHaveCount(0);
});

test('search works in English with English words', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('searchbox', { name: 'What do you need to do?' }).fill('my baby was born');
  await expect(page.getByRole('list', { name: 'What we found' }).getByRole('link').first()).toContainText('A baby is born');
});

test('an item on one of two national lists says so: 国家重点事项（2024—2025年） at home, both lists on its page', async ({ page }) => {
  await page.goto('/');
  const card = page.getByRole('link').filter({ hasText: '住房公积金贷款买房' });
  await expect(card).toContainText('国家重点事项（2024—2025年）');
  await page.getByRole('searchbox', { name: '您要办什么事？' }).fill('公积金贷款买房');
  const results = page.getByRole('list', { name: '找到这些事' });
  await expect(results.getByRole('link').first()).toContainText('住房公积金贷款买房');
  await results.getByRole('link').first().click();
  await expect(page.getByRole('heading', { level: 1, name: '住房公积金贷款买房' })).toBeVisible();
  await expect(page.getByText(/国办函〔2024〕53号或国办函〔2025〕3号.*具体哪一批尚未查明/)).toBeVisible();
});
