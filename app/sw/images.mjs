// The manifest's images, drawn by the same Chromium the tests use, so they
// are reproducible from the repo: `node app/sw/images.mjs` after
// `cargo xtask build` (the screenshots are of the built, prerendered home
// page). Writes public/icons/*.png and public/screenshots/*.png; commit them.
import { chromium } from '@playwright/test';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pub = (p) => path.join(root, 'public', p);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium' });

// The glyph as in public/icon.svg. A maskable icon keeps everything that
// matters inside the central 80% circle, on a full-bleed background.
const icon = (size, maskable) => `<!doctype html><meta charset="utf-8">
<style>html,body{margin:0;background:transparent}</style>
<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 512 512">
${maskable ? '<rect width="512" height="512" fill="#1d4f91"/>' : '<rect width="512" height="512" rx="96" fill="#1d4f91"/>'}
<text x="256" y="${maskable ? 320 : 330}" font-size="${maskable ? 200 : 240}" text-anchor="middle" fill="#fff" font-family="Noto Sans CJK SC, sans-serif">办</text></svg>`;

for (const [name, size, maskable] of [['icon-192.png', 192, false], ['icon-512.png', 512, false], ['maskable-512.png', 512, true]]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(icon(size, maskable));
  await page.screenshot({ path: pub(`icons/${name}`), omitBackground: !maskable });
  await page.close();
}

// Screenshots: the built home page at a phone's size, normal and elder mode.
const dist = path.join(root, 'dist');
for (const [name, elder] of [['home.png', false], ['home-elder.png', true]]) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 });
  await ctx.route('http://banshi.test/**', async (route) => {
    const url = new URL(route.request().url());
    const file = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    // The static page only: the app's script is not served.
    if (file.endsWith('.js') || file.endsWith('.wasm')) return route.abort();
    try {
      const body = await readFile(path.join(dist, file));
      const type = file.endsWith('.css') ? 'text/css' : file.endsWith('.html') ? 'text/html' : 'application/octet-stream';
      await route.fulfill({ body, contentType: type });
    } catch {
      await route.fulfill({ status: 404, body: '' });
    }
  });
  const page = await ctx.newPage();
  if (elder) await page.addInitScript(() => localStorage.setItem('banshi.prefs', 'lang=zh-CN;elder=1'));
  await page.goto('http://banshi.test/');
  await page.screenshot({ path: pub(`screenshots/${name}`) });
  await ctx.close();
}
await browser.close();
console.log('public/icons and public/screenshots written');
