// Nothing lost, nothing duplicated, nothing shown to the wrong person, as a
// resident on a shared phone with a bad network meets it:
// - a draft is invisible after sign-out and to another resident;
// - an application submitted with no network waits in 待发送 and reaches the
//   edge exactly once when the network returns, and the phone then shows it;
// - a submit while the network flaps (offline/online, requests cut after
//   the edge got them, a 503) still yields one application and one copy of
//   each photo at the edge.
import { expect, type Page, test } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { answer, cameraPhoto, signInHere } from './helpers';

test.beforeEach(async () => resetScenarios());

/** Walk 社会保障卡居民服务 to check answers, photos taken while `offlinePhotos`. */
async function toCheck(page: Page, opts: { offlinePhotos?: boolean; pages?: number } = {}) {
  await page.goto('/events/social-security-card');
  await page.getByRole('button', { name: '开始办理' }).click();
  await answer(page, '否');
  await expect(page.getByRole('heading', { level: 1, name: /不满16岁/ })).toBeVisible();
  await answer(page, '否');
  await page.getByRole('link', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
  const materials = page.url();
  const photo = await cameraPhoto(page);
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
    if (opts.offlinePhotos) await page.context().setOffline(true);
    for (let i = 0; i < (opts.pages ?? 1); i++) {
      await page.getByLabel(i === 0 ? '拍照' : '再拍一页', { exact: true }).setInputFiles({ name: `p${i}.jpg`, mimeType: 'image/jpeg', buffer: photo });
      await expect(page.locator('.page-preview')).toHaveCount(i + 1, { timeout: 30_000 });
    }
    await page.context().setOffline(false);
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page).toHaveURL(materials);
  }
  await page.getByRole('button', { name: '继续' }).click();
  while (!page.url().endsWith('/check')) {
    await expect(page.locator('form.merged-form')).toBeVisible();
    await page.getByRole('button', { name: '继续' }).click();
  }
  await expect(page.getByRole('heading', { level: 1, name: '提交前请核对' })).toBeVisible();
}

async function applicationCount(page: Page) {
  const list = await (await page.request.get('/api/applications')).json();
  return list.applications.length as number;
}

async function attachmentCount(page: Page) {
  const list = await (await page.request.get('/api/attachments')).json();
  return list.attachments.length as number;
}

test('a draft is invisible after sign-out and to another resident on the same phone, and back for its owner', async ({ page }) => {
  await page.goto('/');
  await signInHere(page, /张伟/);
  await page.goto('/events/social-security-card');
  await page.getByRole('button', { name: '开始办理' }).click();
  await answer(page, '否');
  const draftUrl = page.url();
  await page.goto('/drafts');
  await expect(page.getByRole('link', { name: /社会保障卡居民服务/ })).toBeVisible();

  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('link', { name: /^登录/ })).toBeVisible();
  await page.goto('/drafts');
  await expect(page.getByText('这部手机上没有您的草稿')).toBeVisible();
  await page.goto(draftUrl);
  await expect(page.getByText('这部手机上没有找到这份草稿')).toBeVisible();

  await page.goto('/');
  await signInHere(page, /陈杰/);
  await expect(page.locator('.signed-in')).toHaveText('陈*');
  await page.goto('/drafts');
  await expect(page.getByText('这部手机上没有您的草稿')).toBeVisible();
  await page.goto(draftUrl);
  await expect(page.getByText('这部手机上没有找到这份草稿')).toBeVisible();
  await page.getByRole('button', { name: '退出' }).click();

  await page.goto('/');
  await signInHere(page, /张伟/);
  await page.goto(draftUrl);
  await expect(page.getByRole('heading', { level: 1, name: /不满16岁/ })).toBeVisible();
});

test('an application submitted with no network waits in 待发送 and reaches the edge once when the network returns', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await signInHere(page, /陈杰/);
  await expect(page.locator('.signed-in')).toBeVisible();
  const before = await applicationCount(page);
  await toCheck(page);
  await page.context().setOffline(true);
  await page.getByRole('button', { name: '确认提交' }).click();
  await expect(page.getByText('已放入待发送').first()).toBeVisible();
  await expect(page.getByText('离线 — 您的填写已保存在本机')).toBeVisible();
  await page.waitForTimeout(2_000);
  await page.context().setOffline(false);
  // The outbox sends it when the network is back, and the phone follows.
  await expect(page.getByRole('heading', { level: 1, name: '已提交' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.reference')).toHaveText(/BS-/);
  expect(await applicationCount(page)).toBe(before + 1);
  await page.getByRole('link', { name: '查看办理进度' }).click();
  await expect(page.locator('.overall')).toBeVisible();
});

test('a submit while the network flaps yields one application and one copy of each photo', async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto('/');
  await signInHere(page, /陈杰/);
  await expect(page.locator('.signed-in')).toBeVisible();
  const apps = await applicationCount(page);
  const files = await attachmentCount(page);
  // Photos taken offline stay on the phone until the submit sends them.
  await toCheck(page, { offlinePhotos: true, pages: 2 });
  let uploads = 0;
  let submits = 0;
  // Each upload: the first reaches the edge but its answer is lost.
  await page.route('**/api/attachments*', async (route) => {
    uploads += 1;
    if (uploads % 2 === 1) {
      await route.fetch();
      await route.abort('connectionreset');
    } else {
      await route.continue();
    }
  });
  // The submit: cut before, a 503, cut after the edge stored it, then through.
  await page.route('**/api/applications', async (route) => {
    if (route.request().method() !== 'POST') return route.continue();
    submits += 1;
    if (submits === 1) return route.abort('internetdisconnected');
    if (submits === 2) return route.fulfill({ status: 503, contentType: 'application/json', body: '{"error":{"code":"unavailable","message":{"zh":"暂时不可用","en":"Unavailable"}}}' });
    if (submits === 3) {
      await route.fetch();
      return route.abort('connectionreset');
    }
    return route.continue();
  });
  await page.getByRole('button', { name: '确认提交' }).click();
  for (let i = 0; i < 3; i++) {
    await page.context().setOffline(true);
    await page.waitForTimeout(700);
    await page.context().setOffline(false);
    await page.waitForTimeout(700);
  }
  await expect(page.getByRole('heading', { level: 1, name: '已提交' })).toBeVisible({ timeout: 150_000 });
  await page.unrouteAll({ behavior: 'ignoreErrors' });
  expect(submits).toBeGreaterThanOrEqual(4);
  expect(uploads).toBeGreaterThanOrEqual(4);
  expect(await applicationCount(page)).toBe(apps + 1);
  expect(await attachmentCount(page)).toBe(files + 2);
});
