// How long a phone may keep what it downloaded (public/_headers, applied by
// Workers static assets on workerd): hashed files a year without asking
// again; the HTML, the manifest and the catalog API revalidated with an ETag,
// so a repeat visit costs 304s and no bodies.
import { expect, test } from '@playwright/test';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Every same-origin file index.html links: scripts, styles, preloads, icons, the manifest. */
async function linkedAssets(request: import('@playwright/test').APIRequestContext): Promise<string[]> {
  const html = await (await request.get('/')).text();
  const urls = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]);
  // The app's script and wasm are named in the loader's JSON note, not linked.
  const note = /<script type="application\/json" id="banshi-assets">([^<]*)<\/script>/.exec(html);
  if (note) urls.push(...(Object.values(JSON.parse(note[1])) as string[]));
  // The sign-in link is an API redirect, not a file.
  return [...new Set(urls)].filter((u) => !u.startsWith('/api/'));
}

// trunk's file hash is 16 hex digits most of the time and now and then
// fewer (seen: banshi-app-4d6e49f7e19f79d.js, 15).
const hashed = (path: string) => /-[0-9a-f]{12,16}(_bg)?\.(js|wasm|css)$/.test(path);

test('every hashed file the page links is cached for a year as immutable', async ({ request }) => {
  const assets = (await linkedAssets(request)).filter(hashed);
  expect(assets.some((a) => a.endsWith('.wasm')), `the wasm is among ${assets}`).toBe(true);
  expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
  expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
  for (const path of assets) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    expect(r.headers()['cache-control'], path).toBe(IMMUTABLE);
  }
});

test('the HTML, every client-side route and the manifest are revalidated, and answer 304 to their ETag', async ({ request }) => {
  const unhashed = (await linkedAssets(request)).filter((p) => !hashed(p));
  for (const path of ['/', '/events/newborn', '/applications', ...unhashed]) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    const cc = r.headers()['cache-control'] ?? '';
    expect(cc, path).not.toContain('immutable');
    expect(cc, path).toMatch(/max-age=0|no-cache/);
    const etag = r.headers()['etag'];
    expect(etag, `${path} has an ETag`).toBeTruthy();
    const again = await request.get(path, { headers: { 'If-None-Match': etag } });
    expect(again.status(), `${path} revalidates`).toBe(304);
    expect((await again.body()).length).toBe(0);
  }
});

test('the headers file itself is never served', async ({ request }) => {
  const r = await request.get('/_headers');
  expect(await r.text()).not.toContain('Cache-Control: public, max-age=31536000');
});

test('the catalog API keeps its ETag: an unchanged catalog costs a 304', async ({ request }) => {
  for (const path of ['/api/events', '/api/events/newborn']) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    const etag = r.headers()['etag'];
    expect(etag, `${path} has an ETag`).toBeTruthy();
    const again = await request.get(path, { headers: { 'If-None-Match': etag } });
    expect(again.status(), path).toBe(304);
  }
});

test('the service worker script is revalidated against its own content, so a new version is never a 304', async ({ request }) => {
  const r = await request.get('/sw.js');
  expect(r.status()).toBe(200);
  expect(r.headers()['cache-control'] ?? '').not.toContain('immutable');
  const etag = r.headers()['etag'];
  const { createHash } = await import('node:crypto');
  expect(etag).toBe(`"${createHash('sha256').update(await r.body()).digest('base64')}"`);
  expect((await request.get('/sw.js', { headers: { 'If-None-Match': etag } })).status()).toBe(304);
  // A validator of another content (an older build's) gets the script.
  const stale = await request.get('/sw.js', { headers: { 'If-None-Match': '"an-older-build"' } });
  expect(stale.status()).toBe(200);
  expect((await stale.body()).length).toBeGreaterThan(1000);
});
