// Browser helpers for the resident's journey, driven only by roles and
// visible text as a resident would: sign in through the sandbox identity
// provider, check each page (a screenshot kept as an artifact, axe with no
// serious or critical violation), and prove that a reload lands on the same
// step with everything entered and that back and forward move one step.
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, request } from '@playwright/test';
import { mkdirSync } from 'node:fs';

export const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';

/** Serious and critical axe violations on the page as it is now. */
export async function axeProblems(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** One walk through the app: numbered screenshots of every page it sees. */
export class Walk {
  private n = 0;
  private readonly dir: string;

  constructor(readonly page: Page, name: string) {
    this.dir = `target/screenshots/${name}`;
    mkdirSync(this.dir, { recursive: true });
  }

  /** The page shows `heading`; keep a screenshot and fail on axe problems. */
  async at(heading: string | RegExp, label: string) {
    await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await this.page.waitForLoadState('networkidle').catch(() => {});
    this.n += 1;
    const file = `${this.dir}/${String(this.n).padStart(2, '0')}-${label}.png`;
    await this.page.screenshot({ path: file, fullPage: true });
    expect(await axeProblems(this.page), `axe on ${label}`).toEqual([]);
  }

  /**
   * A reload lands on the same step with what was entered, and back then
   * forward move exactly one step each way.
   */
  async survives(heading: string | RegExp, previousUrl?: string) {
    const here = this.page.url();
    const values = await this.inputs();
    await this.page.reload();
    await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    expect(this.page.url()).toBe(here);
    expect(await this.inputs()).toEqual(values);
    if (previousUrl) {
      await this.page.goBack();
      await expect(this.page).toHaveURL(previousUrl);
      await this.page.goForward();
      await expect(this.page).toHaveURL(here);
      await expect(this.page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    }
  }

  /** Every text input's value and every radio/checkbox state on the page. */
  async inputs() {
    return this.page.locator('main input, main textarea').evaluateAll((els) =>
      els.map((e) => {
        const i = e as HTMLInputElement;
        return i.type === 'radio' || i.type === 'checkbox' ? `${i.id}:${i.checked}` : `${i.id}=${i.value}`;
      }),
    );
  }
}

/** Sign in from the page's own 登录 link, as `name`, and come back. */
export async function signInHere(page: Page, name: string | RegExp) {
  await page.getByRole('link', { name: /^登录/ }).first().click();
  await expect(page).toHaveURL(/\/oauth\/authorize/);
  await page.getByRole('button', { name }).click();
}

/** Choose an answer on a question page and continue. */
export async function answer(page: Page, choice: string | RegExp) {
  await page.getByRole('radio', { name: choice }).check();
  await page.getByRole('button', { name: '继续' }).click();
}

/**
 * A photo as a phone camera makes it: several megabytes, 4000×3000, with
 * EXIF orientation 6 (the phone was held upright, the sensor sideways).
 * Made in the page with the browser's own encoder, then tagged.
 */
export async function cameraPhoto(page: Page): Promise<Buffer> {
  const b64 = await page.evaluate(async () => {
    const w = 4000, h = 3000;
    const canvas = new OffscreenCanvas(w, h);
    const ctx = canvas.getContext('2d')!;
    const img = ctx.createImageData(w, h);
    // Noise over a gradient: detail a JPEG cannot squeeze, as in a real photo of paper.
    let seed = 7;
    for (let i = 0; i < img.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const n = seed % 90;
      const x = (i / 4) % w;
      img.data[i] = 120 + (x % 100) + (n >> 1);
      img.data[i + 1] = 110 + n;
      img.data[i + 2] = 90 + (n >> 2);
      img.data[i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.97 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const jpeg = Buffer.from(b64, 'base64');
  // APP1 Exif, big-endian TIFF, one IFD entry: Orientation (0x0112) = 6.
  const tiff = Buffer.from([
    0x4d, 0x4d, 0x00, 0x2a, 0x00, 0x00, 0x00, 0x08,
    0x00, 0x01, 0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'binary'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

/** What a sandbox department received for one item (relay, fetched pages). */
export async function received(dept: string, externalId: string) {
  const ctx = await request.newContext();
  const all = await (await ctx.get(`${SANDBOX}/_sandbox/departments/${dept}/received`)).json();
  return all.find((r: any) => r.external_id === externalId);
}

export async function scenario(dept: string, s: object) {
  const ctx = await request.newContext();
  const r = await ctx.put(`${SANDBOX}/_sandbox/departments/${dept}/scenario`, { data: s });
  expect(r.status()).toBe(204);
}
