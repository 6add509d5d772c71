// 社会保障卡居民服务 walked in English, one language at a time: every page
// scanned for Chinese outside proper names and bracketed official names,
// checked by axe, kept as a screenshot; the language switched in the middle
// of the form keeps the step and every value typed; then every page of the
// walk seen again in elder mode. And 朗读 on a phone with no voice says so.
import { expect, test } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { Walk, answer, axeProblems, cameraPhoto, elderProblems, languageProblems, signInHere, spyOnSpeech } from './helpers';

test.beforeEach(async () => resetScenarios());

test('a resident applies for a social security card in English, switching language mid-form without losing a thing', async ({ page }) => {
  test.setTimeout(180_000);
  const walk = new Walk(page, 'ssc-english');
  await page.goto('/');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await walk.at('Get one thing done', 'home');
  await signInHere(page, /陈杰/);
  await expect(page.getByRole('heading', { level: 1, name: 'Get one thing done' })).toBeVisible();

  await page.getByRole('link', { name: /Social security card services/ }).first().click();
  await walk.at('Social security card services', 'event');
  await page.getByRole('button', { name: 'Start' }).click();
  await walk.at(/already have a social security card/i, 'question-1');
  await answer(page, 'No');
  await walk.at(/under 16/i, 'question-2');
  await answer(page, 'No');
  await walk.at(/these 1 items will be done in one go/, 'result');
  await page.getByRole('link', { name: 'Continue' }).click();

  await walk.at('Documents', 'materials');
  const materialsUrl = page.url();
  const photo = await cameraPhoto(page);
  for (;;) {
    const provide = page.getByRole('link', { name: /^Provide/ }).first();
    if ((await provide.count()) === 0) break;
    await provide.click();
    const ecert = page.getByRole('radio', { name: /electronic certificate/ });
    let done = false;
    if ((await ecert.count()) > 0) {
      await ecert.check();
      await walk.at(/./, 'material-consent');
      await page.getByRole('button', { name: 'I agree, use the certificate' }).click();
      const outcome = await Promise.race([
        page.waitForURL(materialsUrl).then(() => 'released'),
        page.getByText('We could not find this electronic certificate').waitFor().then(() => 'missing'),
      ]);
      done = outcome === 'released';
      if (!done) await page.getByRole('radio', { name: /Take a photo or upload/ }).check();
    }
    if (!done) {
      await page.getByLabel('Take a photo', { exact: true }).setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photo });
      await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
      await walk.at(/./, 'material-photo');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page).toHaveURL(materialsUrl);
    }
  }
  await page.getByRole('button', { name: 'Continue' }).click();

  let switched = false;
  while (!page.url().endsWith('/check')) {
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    await walk.at(heading, `form-${heading}`);
    const name = page.getByLabel(/Cardholder's name/);
    if (!switched && (await name.count()) > 0) {
      // Mid-form: type, switch to Chinese in settings, come back, and back again.
      await name.fill('陈杰');
      const here = page.url();
      const typed = await walk.inputs();
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('radio', { name: '简体中文' }).check();
      await page.goBack();
      await expect(page).toHaveURL(here);
      await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
      await expect(page.getByRole('heading', { level: 1, name: '持卡人的信息' })).toBeVisible();
      expect(await walk.inputs()).toEqual(typed);
      expect(await languageProblems(page)).toEqual([]);
      await page.getByRole('link', { name: '设置' }).click();
      await page.getByRole('radio', { name: 'English' }).check();
      await page.goBack();
      await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
      expect(await walk.inputs()).toEqual(typed);
      switched = true;
    }
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  expect(switched).toBe(true);

  await walk.at('Check your answers before submitting', 'check');
  await page.getByRole('button', { name: 'Submit' }).click();
  await walk.at('Application submitted', 'confirmation');
  await page.getByRole('link', { name: 'Follow progress' }).click();
  await walk.at('Social security card services', 'tracking');
  await expect(page.locator('.overall')).toHaveText(/All 1 items complete/, { timeout: 60_000 });
  await walk.at('Social security card services', 'tracking-done');
  await page.getByRole('link', { name: 'Messages' }).click();
  await walk.at('Messages', 'inbox');
  await page.getByRole('link', { name: 'My applications' }).first().click();
  await walk.at('My applications', 'applications');
  await page.getByRole('link', { name: 'Settings' }).click();
  await walk.at('Settings', 'settings');

  // Every page of the walk again, in elder mode: one language, axe, elder figures.
  await page.getByRole('checkbox', { name: /Large text/ }).check();
  for (const url of walk.urls) {
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle').catch(() => {});
    expect(await axeProblems(page), `axe, elder, ${url}`).toEqual([]);
    expect(await languageProblems(page), `language, elder, ${url}`).toEqual([]);
    expect(await elderProblems(page), `elder figures, ${url}`).toEqual([]);
  }
});

test('read-aloud on a phone with no voice for the language says so instead of failing silently', async ({ page }) => {
  await spyOnSpeech(page, false);
  await page.goto('/events/social-security-card');
  await page.getByRole('button', { name: '开始办理' }).click();
  await page.getByRole('button', { name: '朗读' }).click();
  await expect(page.getByText('这部手机没有中文朗读语音')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__spoken.length)).toBe(0);
});
