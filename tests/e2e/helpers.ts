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
    this.urls.push(this.page.url());
    expect(await axeProblems(this.page), `axe on ${label}`).toEqual([]);
    expect(await languageProblems(this.page), `one language on ${label}`).toEqual([]);
    if (!(await this.page.locator('html.elder').count())) {
      expect(await targetProblems(this.page), `targets on ${label}`).toEqual([]);
    }
  }

  /** Every page this walk has shown, in order. */
  readonly urls: string[] = [];

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
  await page.getByRole('link', { name: /^(登录|Sign in)/ }).first().click();
  await expect(page).toHaveURL(/\/oauth\/authorize/);
  await page.getByRole('button', { name }).click();
}

/** Choose an answer on a question page and continue. */
export async function answer(page: Page, choice: string | RegExp) {
  await page.getByRole('radio', { name: choice }).check();
  await page.getByRole('button', { name: /^(继续|Continue)$/ }).click();
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

/**
 * Elder mode's figures (MIIT 适老化): main text ≥20px with line height
 * ≥1.3, contrast ≥4.5:1 for every text and ≥7:1 for body text, and every
 * action (button, link, choice) at least 60×60 CSS px. Returns what fails.
 */
export async function elderProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const rgb = (c: string) => (c.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el: Element | null): number[] => {
      for (; el; el = el.parentElement) {
        const c = rgb(getComputedStyle(el).backgroundColor);
        if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
      }
      return [255, 255, 255];
    };
    const ratio = (a: number[], b: number[]) => {
      const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
      return (x + 0.05) / (y + 0.05);
    };
    const main = document.querySelector('main')!;
    const name = (el: Element) => `${el.tagName.toLowerCase()}.${(el as HTMLElement).className} "${(el.textContent ?? '').trim().slice(0, 20)}"`;
    for (const el of Array.from(main.querySelectorAll('p, li, dt, dd, label, legend, h1, h2, span, a, button, summary'))) {
      const own = Array.from(el.childNodes).some((n) => n.nodeType === 3 && n.textContent!.trim() !== '');
      const box = (el as HTMLElement).getBoundingClientRect();
      if (!own || box.width === 0 || el.closest('.sr-only')) continue;
      const cs = getComputedStyle(el);
      const size = parseFloat(cs.fontSize);
      const line = cs.lineHeight === 'normal' ? size * 1.2 : parseFloat(cs.lineHeight);
      if (size < 20) problems.push(`text ${size}px < 20px: ${name(el)}`);
      if (line / size < 1.3) problems.push(`line height ${(line / size).toFixed(2)} < 1.3: ${name(el)}`);
      const contrast = ratio(rgb(cs.color), background(el));
      const body = ['P', 'LI', 'DD'].includes(el.tagName) && !el.closest('.button, a, button');
      if (contrast < (body ? 7 : 4.5)) problems.push(`contrast ${contrast.toFixed(1)} < ${body ? 7 : 4.5}: ${name(el)}`);
    }
    for (const el of Array.from(document.querySelectorAll('main a, main button, main label.radio, main label.check, main summary, header a, header button'))) {
      const r = (el as HTMLElement).getBoundingClientRect();
      if (r.width === 0 || el.closest('.sr-only')) continue;
      if (r.width < 60 || r.height < 60) problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)} < 60×60: ${name(el)}`);
    }
    const keys = document.querySelectorAll('main .button.primary');
    for (const el of Array.from(keys)) {
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size < 30) problems.push(`key action ${size}px < 30px: ${name(el)}`);
    }
    return problems;
  });
}

/** Record what the page hands to speechSynthesis; `voices` false: none on the device. */
export async function spyOnSpeech(page: Page, voices = true) {
  await page.addInitScript((withVoices) => {
    const spoken: { text: string; lang: string }[] = [];
    (window as any).__spoken = spoken;
    const synth = window.speechSynthesis;
    synth.speak = (u: SpeechSynthesisUtterance) => { spoken.push({ text: u.text, lang: u.lang }); };
    const voice = Object.create(SpeechSynthesisVoice.prototype, {
      lang: { value: 'zh-CN' }, name: { value: 'Test voice' }, default: { value: true },
    });
    const en = Object.create(SpeechSynthesisVoice.prototype, {
      lang: { value: 'en-US' }, name: { value: 'Test voice en' }, default: { value: false },
    });
    synth.getVoices = () => (withVoices ? [voice, en] : []);
  }, voices);
}

/**
 * Text of the other language on the page: on a Chinese page, English words
 * (beyond codes and units); on an English page, Chinese characters outside
 * brackets. Proper names and what the resident typed are marked
 * `translate="no"`, the other language's own switch carries its `lang`:
 * both are left out, as are official item names kept in brackets.
 */
export async function languageProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const lang = document.documentElement.lang;
    const en = lang.startsWith('en');
    const allowed = new Set(['PDF', 'KB', 'MB', 'JPG', 'PNG', 'BS', 'ID', 'OK']);
    const texts: string[] = [];
    const walk = (el: Element) => {
      if (el.getAttribute('translate') === 'no') return;
      const own = el.getAttribute('lang');
      if (own && !own.startsWith(en ? 'en' : 'zh')) return;
      if (el.classList.contains('sr-only') && el.textContent === '') return;
      for (const n of Array.from(el.childNodes)) {
        if (n.nodeType === 3) texts.push(n.textContent ?? '');
        else if (n.nodeType === 1) walk(n as Element);
      }
    };
    for (const root of Array.from(document.querySelectorAll('header, main'))) walk(root);
    const problems: string[] = [];
    for (const t of texts) {
      if (en) {
        const outside = t.replace(/\([^)]*\)|（[^）]*）|「[^」]*」|"[^"]*"/g, '');
        if (/[\u3400-\u9fff]/.test(outside)) problems.push(`Chinese on an English page: ${t.trim().slice(0, 60)}`);
      } else {
        const words = (t.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !allowed.has(w.toUpperCase()));
        if (words.length) problems.push(`English on a Chinese page: ${t.trim().slice(0, 60)}`);
      }
    }
    return problems;
  });
}

/** WCAG 2.5.8 in normal mode: every action at least 24×24 CSS px. */
export async function targetProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const el of Array.from(document.querySelectorAll('main button, main .button, main label.radio, main label.check, header a, header button, main summary'))) {
      const r = (el as HTMLElement).getBoundingClientRect();
      if (r.width === 0 || el.closest('.sr-only')) continue;
      if (r.width < 24 || r.height < 24) out.push(`target ${Math.round(r.width)}×${Math.round(r.height)}: ${(el.textContent ?? '').trim().slice(0, 20)}`);
    }
    return out;
  });
}

/**
 * No dead buttons: every button on the page at `url`, clicked in a fresh tab
 * of the same browser, changes something the resident can notice — the
 * address, the page's content, the focus, the language or mode, or what is
 * read aloud. Returns the buttons that did nothing.
 */
export async function deadButtons(page: Page, url: string, skip: RegExp = /^(退出|Sign out)$/): Promise<string[]> {
  const context = page.context();
  const probe = await context.newPage();
  await probe.goto(url);
  await probe.getByRole('heading', { level: 1 }).first().waitFor();
  await probe.waitForLoadState('networkidle').catch(() => {});
  const prefs = await probe.evaluate(() => localStorage.getItem('banshi.prefs'));
  const names = await probe.getByRole('button').evaluateAll((bs) =>
    bs.filter((b) => (b as HTMLElement).offsetParent !== null).map((b) => (b.getAttribute('aria-label') ?? b.textContent ?? '').trim()),
  );
  await probe.close();
  const dead: string[] = [];
  for (const [i, name] of names.entries()) {
    if (skip.test(name)) continue;
    const p = await context.newPage();
    await p.goto(url);
    await p.getByRole('heading', { level: 1 }).first().waitFor();
    await p.waitForLoadState('networkidle').catch(() => {});
    const state = () => p.evaluate(() => ({
      url: location.href,
      main: document.querySelector('main')?.innerHTML ?? '',
      html: document.documentElement.className + document.documentElement.lang,
      focus: document.activeElement?.outerHTML ?? '',
      spoken: ((window as any).__spoken ?? []).length,
    }));
    const before = await state();
    // By name and occurrence: an earlier probe may have changed the page
    // (a removed photo), and a button that is gone is not a dead one.
    const occurrence = names.slice(0, i).filter((n) => n === name).length;
    const button = p.getByRole('button', { name, exact: true }).filter({ visible: true }).nth(occurrence);
    if ((await button.count()) === 0) {
      await p.close();
      continue;
    }
    const clicked = await button.click({ timeout: 5_000 }).then(() => true, () => false);
    if (!clicked) dead.push(`${name} on ${url} cannot be clicked`);
    await p.waitForTimeout(800);
    const after = await state().catch(() => ({ ...before, url: 'closed' }));
    if (JSON.stringify(before) === JSON.stringify(after)) dead.push(`${name} on ${url}`);
    // The switches are remembered per device: put them back for the walk.
    await p.evaluate((prefs) => (prefs === null ? localStorage.removeItem('banshi.prefs') : localStorage.setItem('banshi.prefs', prefs)), prefs).catch(() => {});
    await p.close();
  }
  return dead;
}
