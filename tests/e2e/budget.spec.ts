// The size budget (budget.toml), enforced: a fresh browser loads the home
// page, and then walks to the first question, capturing every response; the
// brotli (q11) bodies are summed and compared with the limit. The per-file
// table is printed either way, so a failure says what grew.
// Measured with the same code as the benchmarks (tests/bench/capture.mjs).
import { expect, test } from '@playwright/test';
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

// The shared modules are plain ES modules that Node runs as they are; load
// them with Node's own import, past Playwright's CommonJS transform.
const nativeImport = new Function('url', 'return import(url)') as (url: string) => Promise<any>;
const bench = (file: string) => nativeImport(pathToFileURL(path.join(__dirname, '../bench', file)).href);
let record: any, settle: any, sizes: any, table: any, totals: any, flows: any, budget: any;
test.beforeAll(async () => {
  ({ record, settle, sizes, table, totals } = await bench('capture.mjs'));
  flows = await bench('flows.mjs');
  budget = (await bench('budget.mjs')).readBudget().first_visit;
});

// Playwright gives each test a fresh context (empty cache and storage), phone-sized.
test('the first visit of the home page fits the size budget', async ({ page }) => {
  const rec = await record(page);
  await page.goto(flows.HOME);
  await settle(page);
  const files = await rec.stop();
  const total = totals(files);
  console.log(`first visit, home page (budget ${budget.home_brotli_kb} kB brotli)\n${table(files)}`);
  expect(files.some((f: any) => f.type === 'Document'), 'the page itself was captured').toBe(true);
  expect(total.transferred / 1000, 'kB brotli, home page first visit').toBeLessThanOrEqual(budget.home_brotli_kb);
});

test('the first visit from the home page to the first question fits the size budget', async ({ page }) => {
  const rec = await record(page);
  await page.goto(flows.HOME);
  await flows.homeToEvent(page);
  await flows.firstQuestionAcceptsInput(page);
  await settle(page);
  const files = await rec.stop();
  const total = totals(files);
  console.log(`first visit, home → first question (budget ${budget.journey_brotli_kb} kB brotli)\n${table(files)}`);
  expect(total.transferred / 1000, 'kB brotli, home → first question').toBeLessThanOrEqual(budget.journey_brotli_kb);
});

// The guard itself: it must see every response, including what a script
// pulls after the load event and what a <link rel=prefetch> fetches for
// later (Chromium keeps no body for that one), and measure each body
// exactly. A synthetic site with known bodies on a loopback server.
test('the budget guard counts a fetch made after load and a prefetch, and measures each body exactly', async ({ browser }) => {
  const late = randomBytes(60_000);
  const prefetched = randomBytes(30_000);
  const css = 'body{color:#123}'.repeat(500);
  const html = `<!doctype html><title>t</title><script>
    addEventListener('load', () => setTimeout(() => fetch('/late.bin').then(r => r.arrayBuffer()), 300));
  </script><link rel="stylesheet" href="/a.css"><link rel="prefetch" href="/next.bin">`;
  const bodies: Record<string, [string, Buffer | string]> = {
    '/': ['text/html', html],
    '/a.css': ['text/css', css],
    '/late.bin': ['application/octet-stream', late],
    '/next.bin': ['application/octet-stream', prefetched],
  };
  const server = http.createServer((req, res) => {
    const hit = bodies[new URL(req.url!, 'http://x').pathname];
    if (!hit) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': hit[0], 'cache-control': 'no-store' }).end(hit[1]);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const context = await browser.newContext();
  const page = await context.newPage();
  const rec = await record(page);
  await page.goto(`${origin}/`);
  await settle(page);
  const files = await rec.stop();
  await context.close();
  server.close();
  console.log(table(files));
  const byPath = (p: string) => files.find((f: any) => f.path === p);
  // The browser's own favicon request counts too (a 404 here, no body).
  expect(files.map((f: any) => f.path).sort()).toEqual(['/', '/a.css', '/favicon.ico', '/late.bin', '/next.bin']);
  expect(byPath('/late.bin').raw, 'a fetch made 300 ms after load').toBe(late.length);
  expect(byPath('/next.bin').raw, 'a prefetch for a later page').toBe(prefetched.length);
  expect(byPath('/late.bin').brotli).toBe(sizes(late).brotli);
  expect(byPath('/a.css').brotli).toBe(sizes(css).brotli);
  // Random bytes do not compress: 90 kB of them cannot hide in the total.
  expect(totals(files).brotli).toBe(files.reduce((n: number, f: any) => n + f.brotli, 0));
  expect(totals(files).brotli).toBeGreaterThan(late.length + prefetched.length);
});
