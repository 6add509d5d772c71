// trunk's post_build hook (app/Trunk.toml), run in app/ over trunk's staging
// dir, where every file already has its final, hashed name:
// 1. splice the home page prerendered by `cargo xtask build`
//    ($BANSHI_PRERENDER, xtask/src/prerender.rs) into index.html, in place of
//    its empty <div id="prerendered">;
// 2. bundle the service worker (app/sw/sw.js + Workbox's modules) with esbuild;
// 3. Workbox injectManifest: the precache list (URL + revision) of the shell,
//    the wasm, its JS glue, the CSS, the manifest and icons goes into sw.js.
// Run by hand: TRUNK_STAGING_DIR=../dist node sw/build.mjs (over a built dist/).
import { build } from 'esbuild';
import { injectManifest } from 'workbox-build';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const staging = process.env.TRUNK_STAGING_DIR;
if (!staging) throw new Error('TRUNK_STAGING_DIR is not set: run me as a trunk post_build hook');

// 1. The prerendered home page.
const indexPath = path.join(staging, 'index.html');
let index = await readFile(indexPath, 'utf8');
const slot = '<div id="prerendered"></div>';
const prerender = process.env.BANSHI_PRERENDER;
if (!index.includes(slot)) throw new Error(`index.html has no ${slot} to fill`);
if (prerender) {
  index = index.replace(slot, (await readFile(prerender, 'utf8')).trim());
} else {
  // A plain `trunk build`: no static home; the loader then starts the app at once.
  console.warn('sw/build.mjs: BANSHI_PRERENDER not set, index.html keeps an empty home (use cargo xtask build)');
}
await writeFile(indexPath, index);

// 2. The worker, bundled: one classic script, no imports at run time.
const tmp = await mkdtemp(path.join(tmpdir(), 'banshi-sw-'));
const bundled = path.join(tmp, 'sw.js');
await build({
  entryPoints: [path.join(here, 'sw.js')],
  outfile: bundled,
  bundle: true,
  format: 'iife',
  minify: true,
  legalComments: 'none',
  target: 'es2020',
  // Workbox's development logging is dropped in production builds.
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

// 3. The precache list. Hashed names (trunk's filehash) never change content,
// so they carry no revision and install from the HTTP cache when the page
// already fetched them; the rest (index.html, manifest, icons) are revisioned.
const { count, size, warnings } = await injectManifest({
  swSrc: bundled,
  swDest: path.join(staging, 'sw.js'),
  globDirectory: staging,
  // The PNG icons are for the launcher, which fetches them itself at install.
  globPatterns: ['index.html', '*.{js,wasm,css}', 'snippets/**/*.js', 'manifest.webmanifest', 'icon.svg'],
  globIgnores: ['sw.js', 'screenshots/**', 'icons/**'],
  modifyURLPrefix: { '': '/' },
  dontCacheBustURLsMatching: /-[0-9a-f]{16,}(_bg)?\.(js|wasm|css)$/,
  // The wasm is ~1.7 MB raw; Workbox skips anything over its 2 MB default.
  maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
  // The shell is requested as `/` (navigations and the start URL).
  manifestTransforms: [async (entries) => ({ manifest: entries.map((e) => (e.url === '/index.html' ? { ...e, url: '/' } : e)), warnings: [] })],
});
await rm(tmp, { recursive: true, force: true });
for (const w of warnings) console.warn(`workbox: ${w}`);
if (!(await readFile(path.join(staging, 'sw.js'), 'utf8')).includes('.wasm')) throw new Error('the wasm is not in the precache list');
console.log(`sw.js: ${count} files precached, ${(size / 1000).toFixed(1)} kB`);
