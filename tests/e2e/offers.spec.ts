// 免申即享 on the phone (390×844): the home page of a signed-in resident
// shows what they may be owed and why; one tap opens the event with what is
// known filled in, and the resident checks and submits. 不再提示 keeps an
// offer away after a reload; a resident owed nothing sees none; offers
// turned off in 设置 are gone from the home page.
//
// Residents of their own (one D1 serves the whole run): 刘洋 (submits the
// childcare subsidy), 李娜 (dismisses), 赵敏 (turns offers off), 何军 (owed
// nothing).
import { expect, test, type Page } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { cameraPhoto, signInHere } from './helpers';

test.beforeEach(async () => resetScenarios());

const offers = (page: Page) => page.locator('section.offers');
const offer = (page: Page, text: string | RegExp) => page.locator('li.offer').filter({ hasText: text });

async function signedInHome(page: Page, who: RegExp) {
  await page.goto('/');
  await signInHere(page, who);
  await expect(page.locator('.signed-in')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: '高效办成一件事' })).toBeVisible();
}

test('a parent whose household has a child under three sees the childcare offer, opens it prefilled and submits', async ({ page }) => {
  test.setTimeout(180_000);
  await signedInHome(page, /刘洋/);
  const card = offer(page, '育儿补贴');
  await expect(card).toBeVisible();
  await expect(card.locator('.offer-headline')).toHaveText('您可能可以领取：育儿补贴 每年3600元');
  // The basis: the household register, the child by name, under three.
  await expect(card.locator('.offer-basis')).toContainText('户籍信息：您的孩子刘小禾');
  await expect(card.locator('.offer-basis')).toContainText('不满3周岁');
  await expect(offers(page).getByText('不会替您申请')).toBeVisible();
  await expect(offer(page, '周桂兰')).toBeVisible();

  await card.getByRole('button', { name: '点开核对' }).click();
  // Every question is answered by the offer: straight to what applies.
  await expect(page.getByRole('heading', { level: 1, name: /一次办好这 \d+ 个事项/ })).toBeVisible();
  await expect(page.getByText('育儿补贴申领').first()).toBeVisible();
  await page.getByRole('link', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();

  const materials = page.url();
  const photo = await cameraPhoto(page);
  for (;;) {
    const provide = page.getByRole('link', { name: /^去提供/ }).first();
    if ((await provide.count()) === 0) break;
    await provide.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The child's certificates are the child's, not his: photos of each.
    const upload = page.getByRole('radio', { name: /拍照或上传文件/ });
    if ((await upload.count()) > 0) await upload.check();
    await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page).toHaveURL(materials);
  }
  await page.getByRole('button', { name: '继续' }).click();

  // The child's name and ID number come filled in, marked as from the offer.
  let sawChild = false;
  while (!page.url().endsWith('/check')) {
    await expect(page.locator('form.merged-form')).toBeVisible();
    const name = page.getByLabel('孩子姓名');
    if ((await name.count()) > 0) {
      sawChild = true;
      await expect(name).toHaveValue('刘小禾');
      await expect(page.getByLabel(/孩子身份证号码/)).toHaveValue(/^110105\d{11}[\dX]$/);
      await expect(page.getByText('来自给您的提醒所依据的信息').first()).toBeVisible();
    }
    const card = page.getByLabel(/银行卡号/);
    if ((await card.count()) > 0) await card.fill('6222021234567890128');
    await page.getByRole('button', { name: '继续' }).click();
  }
  expect(sawChild).toBe(true);
  await expect(page.getByRole('heading', { level: 1, name: '提交前请核对' })).toBeVisible();
  await expect(page.locator('main')).toContainText('刘小禾');
  await page.getByRole('button', { name: '确认提交' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '已提交' })).toBeVisible();

  // Claimed: the home page offers it no more; the other offer stays.
  await page.goto('/');
  await expect(offer(page, '周桂兰')).toBeVisible();
  await expect(offer(page, '育儿补贴')).toHaveCount(0);
});

test('a dismissed offer stays away after a reload', async ({ page }) => {
  await signedInHome(page, /李娜/);
  // Her son in the household register (another run's finished 新生儿出生
  // may add an offer of its own: this one is the register's).
  const baby = /户籍信息：您的孩子张小宝/;
  const card = offer(page, baby);
  await expect(card).toBeVisible();
  await expect(card.locator('.offer-headline')).toContainText('育儿补贴');
  await card.getByRole('button', { name: '不再提示' }).click();
  await expect(offer(page, baby)).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '高效办成一件事' })).toBeVisible();
  // The other offer (赵敏's disability certificate) proves offers loaded.
  await expect(offer(page, '赵敏')).toBeVisible();
  await expect(offer(page, baby)).toHaveCount(0);
});

test('a resident with no matching facts sees no offer', async ({ page }) => {
  await signedInHome(page, /何军/);
  // My applications and the events load; the offers never appear.
  await expect(page.getByRole('heading', { name: '个人办事' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(offers(page)).toHaveCount(0);
  await expect(page.locator('li.offer')).toHaveCount(0);
});

test('turning offers off in settings hides them from the home page, and on again brings them back', async ({ page }) => {
  await signedInHome(page, /赵敏/);
  await expect(offer(page, '赵敏')).toBeVisible();
  await page.goto('/settings');
  const box = page.getByRole('checkbox', { name: /在首页提醒我可能可以领取的补贴/ });
  await expect(box).toBeChecked();
  await box.uncheck();
  await expect(box).not.toBeChecked();
  await page.reload();
  await expect(page.getByRole('checkbox', { name: /在首页提醒我/ })).not.toBeChecked();
  await page.goto('/');
  await expect(page.getByRole('heading', { name: '个人办事' })).toBeVisible();
  await page.waitForLoadState('networkidle');
  await expect(offers(page)).toHaveCount(0);

  await page.goto('/settings');
  await page.getByRole('checkbox', { name: /在首页提醒我/ }).check();
  await expect(page.getByRole('checkbox', { name: /在首页提醒我/ })).toBeChecked();
  await page.goto('/');
  await expect(offer(page, '赵敏')).toBeVisible();
});
