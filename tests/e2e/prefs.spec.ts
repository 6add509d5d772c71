// The language and elder mode following the resident from phone to phone
// (issue 9, point 4), only when they ask: one phone turns on English, elder
// mode and 在我登录的其他手机上也用这些设置; a second phone, signed in, is
// offered them inline on the home page and takes them without leaving the
// page; a third says 不用了 and is not asked again. Each phone is a fresh
// browser context, as another device would be. 孙强's account is this
// spec's alone in the browser tests.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { Walk, elderProblems, signInHere } from './helpers';

test.beforeEach(async () => resetScenarios());

/** Another phone: a fresh context with the project's phone settings. */
async function phone(browser: Browser) {
  const use = test.info().project.use;
  const context = await browser.newContext({
    baseURL: use.baseURL,
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
  });
  return { context, page: await context.newPage() };
}

async function signedInHome(page: Page, heading: string) {
  await signInHere(page, /孙强/);
  await expect(page.locator('.signed-in')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
}

const saved = (page: Page) =>
  page.waitForResponse((r) => r.url().endsWith('/api/me/settings') && r.request().method() === 'PUT' && r.ok());

test('a resident\'s English and elder mode follow them to another phone when they ask, and a phone that says no is not asked again', async ({ page, browser }) => {
  test.setTimeout(180_000);
  // Phone 1: English, elder mode, and follow.
  await page.goto('/');
  await signedInHome(page, '高效办成一件事');
  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: '设置' })).toBeVisible();
  await page.getByRole('radio', { name: 'English' }).check();
  await page.getByRole('checkbox', { name: /Large text, large buttons/ }).check();
  await expect(page.locator('html.elder')).toHaveCount(1);
  const follow = page.getByRole('checkbox', { name: 'Use these settings on my other phones when I sign in' });
  await expect(follow).not.toBeChecked();
  const first = saved(page);
  await follow.check();
  expect((await first).request().postDataJSON()).toEqual({ lang: 'en', elder: true });
  // Later changes are saved too, and a change back as well.
  let next = saved(page);
  await page.getByRole('radio', { name: '简体中文' }).check();
  expect((await next).request().postDataJSON()).toEqual({ lang: 'zh-CN', elder: true });
  next = saved(page);
  await page.getByRole('radio', { name: 'English' }).check();
  await next;
  expect(await (await page.request.get('/api/me/settings')).json()).toMatchObject({ lang: 'en', elder: true });

  // Phone 2: Chinese, standard text; signed in, it is offered them.
  const two = await phone(browser);
  await two.page.goto('/');
  await signedInHome(two.page, '高效办成一件事');
  const walk = new Walk(two.page, 'prefs-follow');
  const offer = two.page.locator('section.follow-offer');
  await expect(offer).toContainText('您在其他手机上用的是长辈版、英文。这台手机也这样用吗？');
  await walk.at('高效办成一件事', 'offered');
  const search = two.page.getByRole('searchbox');
  await search.fill('社保卡');
  const here = two.page.url();
  await offer.getByRole('button', { name: '这样用' }).click();
  await expect(two.page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(two.page.locator('html.elder')).toHaveCount(1);
  await expect(offer).toHaveCount(0);
  expect(two.page.url()).toBe(here);
  await expect(search).toHaveValue('社保卡');
  await search.fill('');
  await walk.at('Get one thing done', 'taken');
  expect(await elderProblems(two.page), 'elder mode on the home page').toEqual([]);
  // Remembered on the phone: a reload stays as taken, with nothing offered.
  await two.page.reload();
  await expect(two.page.getByRole('heading', { level: 1, name: 'Get one thing done' })).toBeVisible();
  await expect(two.page.locator('html.elder')).toHaveCount(1);
  await two.page.waitForLoadState('networkidle');
  await expect(offer).toHaveCount(0);
  await two.context.close();

  // Phone 3: elder mode already, in Chinese; it says 不用了.
  const three = await phone(browser);
  await three.page.goto('/');
  await three.page.getByRole('button', { name: '长辈版' }).click();
  await signedInHome(three.page, '高效办成一件事');
  const asked = three.page.locator('section.follow-offer');
  await expect(asked).toContainText('您在其他手机上用的是长辈版、英文。');
  expect(await elderProblems(three.page), 'elder mode with the offer').toEqual([]);
  await asked.getByRole('button', { name: '不用了' }).click();
  await expect(asked).toHaveCount(0);
  await expect(three.page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await three.page.reload();
  await expect(three.page.locator('.signed-in')).toBeVisible();
  await three.page.waitForLoadState('networkidle');
  await expect(three.page.getByRole('heading', { level: 1, name: '高效办成一件事' })).toBeVisible();
  await expect(asked).toHaveCount(0);
  // Declining here changed nothing kept for the other phones.
  expect(await (await three.page.request.get('/api/me/settings')).json()).toMatchObject({ lang: 'en', elder: true });
  await three.context.close();
});
