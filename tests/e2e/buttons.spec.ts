// No page shows a button that does nothing: on every page of a walk through
// 社会保障卡居民服务 (home, event, questions, materials, each material,
// each form section, check answers, tracking, drafts), each button is
// clicked in a fresh tab and must change something the resident can see.
import { expect, test } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { answer, cameraPhoto, deadButtons, signInHere, spyOnSpeech } from './helpers';

test.beforeEach(async () => resetScenarios());

test('every button of every page does something', async ({ page }) => {
  test.setTimeout(300_000);
  await spyOnSpeech(page);
  const dead: string[] = [];
  const probe = async () => dead.push(...(await deadButtons(page, page.url())));
  await page.goto('/');
  await signInHere(page, /陈杰/);
  await expect(page.locator('.signed-in')).toBeVisible();
  await probe();
  await page.goto('/events/social-security-card');
  await probe();
  await page.getByRole('button', { name: '开始办理' }).click();
  await expect(page).toHaveURL(/questions/);
  await probe();
  await answer(page, '否');
  await expect(page.getByRole('heading', { level: 1, name: /不满16岁/ })).toBeVisible();
  await answer(page, '否');
  await page.getByRole('link', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
  await probe();
  const photo = await cameraPhoto(page);
  const materials = page.url();
  for (;;) {
    const provide = page.getByRole('link', { name: /^去提供/ }).first();
    if ((await provide.count()) === 0) break;
    await provide.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const ecert = page.getByRole('radio', { name: /用电子证照/ });
    if ((await ecert.count()) > 0) {
      await ecert.check();
      await page.getByRole('button', { name: '同意，使用电子证照' }).click();
      await expect(page).toHaveURL(materials);
      continue;
    }
    await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
    await probe();
    // The probe's 删掉重拍 really removed the photo: take it again.
    await page.reload();
    await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page).toHaveURL(materials);
  }
  await page.getByRole('button', { name: '继续' }).click();
  while (!page.url().endsWith('/check')) {
    await expect(page.locator('form.merged-form')).toBeVisible();
    await probe();
    await page.getByRole('button', { name: '继续' }).click();
  }
  await probe();
  // The probe's submit went through: this tab follows it to the application.
  await page.getByRole('link', { name: '我的办件' }).first().click();
  await page.getByRole('link', { name: /社会保障卡居民服务/ }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: '社会保障卡居民服务' })).toBeVisible();
  await probe();
  await page.goto('/drafts');
  await expect(page.getByRole('heading', { level: 1, name: '草稿' })).toBeVisible();
  await probe();
  expect(dead).toEqual([]);
});
