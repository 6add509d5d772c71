// The installable, offline app (issue 10), as a resident meets it:
// - Chromium finds nothing that stops installing it (the DevTools protocol's
//   Page.getInstallabilityErrors: Lighthouse 12 has no PWA category);
// - after one visit, with no network, the app opens, an event is guided to
//   the check page, and the draft survives a reload and a new browser on the
//   same profile;
// - a draft with two photos survives a reload offline and is sent later,
//   each photo stored once at the edge;
// - a new version waits: 有新版本，点击更新, and a form in progress is not
//   reloaded until the resident taps it.
import { type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { resetScenarios } from '../edge/helpers';
import { answer, cameraPhoto, signInHere } from './helpers';

const BASE = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';

test.beforeEach(async () => resetScenarios());

/** A phone's browser on a profile that outlives it (closed and opened again). */
async function phone(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    baseURL: BASE,
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** The service worker controls the page and has its precache ready. */
async function controlled(page: Page) {
  await page.waitForFunction(async () => {
    const reg = await navigator.serviceWorker.getRegistration();
    return !!reg?.active && !!navigator.serviceWorker.controller;
  }, undefined, { timeout: 30_000 });
}

/** What the catalog cache holds for `path` (the stale-while-revalidate route). */
async function cached(page: Page, p: string) {
  return page.evaluate(async (p) => {
    const c = await caches.open('banshi-catalog');
    return (await c.keys()).some((r) => new URL(r.url).pathname === p);
  }, p);
}

/** Once the worker controls the page, 社会保障卡居民服务 (the page open) is
 *  in its catalog cache: what "after one visit" means. The event may have
 *  been read before the worker took the page over (a first visit); the
 *  worker copies it a moment later (warm_catalog), else a resident looking
 *  at it again caches it. */
async function eventKept(page: Page) {
  await controlled(page);
  const p = '/api/events/social-security-card';
  await expect.poll(() => cached(page, p), { timeout: 5_000 }).toBe(true).catch(async () => {
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: '社会保障卡居民服务' })).toBeVisible();
  });
  await expect.poll(() => cached(page, p), { timeout: 20_000 }).toBe(true);
}

/**
 * 社会保障卡居民服务 from its event page to the first form section. Each
 * material is an e-certificate where one is offered and the network is up,
 * else a photo (`pages` of them), as a resident with no signal would do.
 */
async function toForm(page: Page, opts: { offline?: boolean; pages?: number; started?: boolean } = {}) {
  if (!opts.started) {
    await page.goto('/events/social-security-card');
    await page.getByRole('button', { name: '开始办理' }).click();
  }
  await expect(page.getByRole('radio', { name: '否' })).toBeEnabled();
  await answer(page, '否');
  await answer(page, '否');
  await page.getByRole('link', { name: '继续' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
  const materials = page.url();
  const photo = await cameraPhoto(page);
  const photoPages: string[] = [];
  for (;;) {
    const link = page.getByRole('link', { name: /^去提供/ }).first();
    if ((await link.count()) === 0) break;
    await link.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const ecert = page.getByRole('radio', { name: /用电子证照/ });
    if ((await ecert.count()) > 0 && !opts.offline) {
      await ecert.check();
      await page.getByRole('button', { name: '同意，使用电子证照' }).click();
      await expect(page).toHaveURL(materials);
      continue;
    }
    if ((await ecert.count()) > 0) await page.getByRole('radio', { name: '拍照或上传文件' }).check();
    photoPages.push(page.url());
    for (let i = 0; i < (opts.pages ?? 1); i++) {
      await page.getByLabel(i === 0 ? '拍照' : '再拍一页', { exact: true }).setInputFiles({ name: `p${i}.jpg`, mimeType: 'image/jpeg', buffer: photo });
      await expect(page.locator('.page-preview')).toHaveCount(i + 1, { timeout: 30_000 });
    }
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page).toHaveURL(materials);
  }
  return { materials, photoPages };
}

/**
 * What a resident types when the form could not be prefilled: a draft begun
 * with no network has nothing from the identity platform yet.
 */
const TYPED: Record<string, string> = { 持卡人姓名: '陈杰', 持卡人身份证号码: '44030519900101123X', 手机号码: '13500135000' };

/** From the first form section to check answers, typing what is empty. */
async function toCheck(page: Page) {
  if (page.url().endsWith('/materials')) {
    await page.getByRole('button', { name: '继续' }).click();
    await expect(page).not.toHaveURL(/\/materials$/);
  }
  for (let section = 0; !page.url().endsWith('/check'); section++) {
    expect(section, 'the form has a handful of sections, not an endless one').toBeLessThan(10);
    const form = page.locator('form.merged-form');
    await expect(form).toBeVisible();
    for (const [label, value] of Object.entries(TYPED)) {
      const input = form.getByLabel(label, { exact: true });
      if ((await input.count()) > 0 && (await input.inputValue()) === '') await input.fill(value);
    }
    const here = page.url();
    await page.getByRole('button', { name: '继续' }).click();
    await expect(page).not.toHaveURL(here);
  }
  await expect(page.getByRole('heading', { level: 1, name: '提交前请核对' })).toBeVisible();
}

test('Chromium finds nothing that stops the app from being installed', async () => {
  // Not in an incognito-like context: Chromium never installs from one.
  const profile = mkdtempSync(path.join(tmpdir(), 'banshi-install-'));
  const ctx = await phone(profile);
  try {
    const page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto('/events/newborn');
    await expect(page.getByRole('heading', { level: 1, name: '新生儿出生' })).toBeVisible();
    await controlled(page);
    const cdp = await ctx.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    const { url, errors } = await cdp.send('Page.getAppManifest');
    expect(url).toMatch(/\/manifest\.webmanifest$/);
    expect(errors).toEqual([]);
    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ short_name: '办事', lang: 'zh-CN', display: 'standalone', start_url: '/' });
    // Each icon the manifest names is a PNG of the size it claims.
    for (const icon of manifest.icons.filter((i: any) => i.type === 'image/png')) {
      const body = await (await page.request.get(icon.src)).body();
      expect(body.subarray(1, 4).toString(), icon.src).toBe('PNG');
      const [w, h] = [body.readUInt32BE(16), body.readUInt32BE(20)];
      expect(`${w}x${h}`, icon.src).toBe(icon.sizes);
    }
    expect(manifest.icons.some((i: any) => i.purpose === 'maskable')).toBe(true);
    expect(manifest.screenshots.length).toBeGreaterThan(0);
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('after one visit the app opens with no network, guides an event to the check page, and keeps the draft across a reload and a new browser', async () => {
  test.setTimeout(180_000);
  const profile = mkdtempSync(path.join(tmpdir(), 'banshi-pwa-'));
  try {
    let ctx = await phone(profile);
    let page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto('/');
    await signInHere(page, /陈杰/);
    await expect(page.locator('.signed-in')).toBeVisible();
    await page.goto('/events/social-security-card');
    await expect(page.getByRole('heading', { level: 1, name: '社会保障卡居民服务' })).toBeVisible();
    await eventKept(page);

    await ctx.setOffline(true);
    // Opened from the home screen with no signal: the shell from the worker.
    const started = Date.now();
    await page.goto('/events/social-security-card');
    await page.getByRole('button', { name: '开始办理' }).click();
    await expect(page.getByRole('radio', { name: '否' })).toBeEnabled();
    console.log(`offline start: ${Date.now() - started} ms from navigation to the first question accepting input`);
    await expect(page.getByText('离线 — 您的填写已保存在本机')).toBeVisible();
    await toForm(page, { offline: true, started: true });
    const draft = new URL(page.url()).pathname.split('/')[2];
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
    await ctx.close();

    // The phone's browser closed and opened again, still offline.
    ctx = await phone(profile);
    await ctx.setOffline(true);
    page = ctx.pages()[0] ?? (await ctx.newPage());
    await page.goto('/drafts');
    await page.getByRole('link', { name: /社会保障卡居民服务/ }).click();
    await expect(page).toHaveURL(new RegExp(`/drafts/${draft}/`));
    await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
    // The form and the check page open offline too.
    await toCheck(page);
    await ctx.close();
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a draft with two photos survives a reload offline and is sent later with each photo stored once', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto('/');
  await signInHere(page, /陈杰/);
  await expect(page.locator('.signed-in')).toBeVisible();
  const before = (await (await page.request.get('/api/attachments')).json()).attachments.length;
  await page.goto('/events/social-security-card');
  await eventKept(page);
  // The photos are taken with no signal: two pages each, kept on the phone.
  await page.context().setOffline(true);
  const { materials, photoPages } = await toForm(page, { offline: true, pages: 2 });
  expect(photoPages.length).toBeGreaterThan(0);
  const photoPage = photoPages[0];
  // Offline, the photos are on the phone: a reload keeps both.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
  await page.goto(photoPage);
  await expect(page.locator('.page-preview')).toHaveCount(2, { timeout: 30_000 });
  await page.goto(materials);
  await expect(page.getByRole('heading', { level: 1, name: '准备材料' })).toBeVisible();
  await toCheck(page);
  await page.getByRole('button', { name: '确认提交' }).click();
  await expect(page.getByText('已放入待发送').first()).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByRole('heading', { level: 1, name: '已提交' })).toBeVisible({ timeout: 60_000 });
  const after = (await (await page.request.get('/api/attachments')).json()).attachments.length;
  expect(after - before).toBe(2 * photoPages.length);
});

let deployed: (() => void) | undefined;
test.afterEach(() => {
  deployed?.();
  deployed = undefined;
});

test('a new version waits with 有新版本，点击更新 and reloads only when the resident taps it, the form kept', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('/');
  await signInHere(page, /陈杰/);
  await expect(page.locator('.signed-in')).toBeVisible();
  await page.goto('/events/social-security-card');
  await controlled(page);
  await toForm(page);
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.locator('form.merged-form')).toBeVisible();
  const field = page.locator('form.merged-form input[type="text"], form.merged-form input[type="tel"]').first();
  await field.fill('13800138000');
  const here = page.url();
  // A new deployment, as `cargo xtask build` with a changed asset makes it:
  // the served sw.js differs (its precache list names the new files).
  // wrangler dev serves dist/ from disk, so the file is changed there and
  // put back afterwards (the edge's validator for sw.js is its content's hash).
  const sw = path.resolve(__dirname, '../../dist/sw.js');
  const original = readFileSync(sw, 'utf8');
  deployed = () => writeFileSync(sw, original);
  writeFileSync(sw, `${original}\n// a new version ${Date.now()}\n`);
  await expect
    .poll(async () => (await (await page.request.get('/sw.js', { headers: { 'cache-control': 'no-cache' } })).text()) !== original, { timeout: 30_000 })
    .toBe(true);
  await page.evaluate(() => { (window as any).__samePage = true; });
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  const prompt = page.getByRole('button', { name: '有新版本，点击更新' });
  await expect(prompt).toBeVisible({ timeout: 30_000 });
  // Waiting, not reloading: the same page, the value still in the field.
  await page.waitForTimeout(1_500);
  expect(await page.evaluate(() => (window as any).__samePage)).toBe(true);
  await expect(field).toHaveValue('13800138000');
  await prompt.click();
  await page.waitForFunction(() => !(window as any).__samePage, undefined, { timeout: 30_000 }).catch(() => {});
  await expect(page).toHaveURL(here);
  await expect(page.locator('form.merged-form')).toBeVisible();
  expect(await page.evaluate(() => (window as any).__samePage)).toBeUndefined();
  await expect(page.locator('form.merged-form input[type="text"], form.merged-form input[type="tel"]').first()).toHaveValue('13800138000');
  await expect(prompt).toHaveCount(0);
});
