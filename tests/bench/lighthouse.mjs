// Lighthouse 12.2.3 (tests/bench/package.json), mobile defaults (simulated
// Slow 4G, 4× CPU, Moto G Power screen), on Debian's Chromium: the home
// page, a question page and the form page, through the brotli proxy so the
// transfer sizes it simulates with are what a CDN sends.
//
// Home and question page are cold loads (Lighthouse clears storage and cache).
// The form page needs a draft on the device: flows.mjs answers the questions
// in the same browser first, the HTTP cache is then cleared, and Lighthouse
// loads the form URL with storage kept: a resident reopening the form later.
//
//   BANSHI_URL=http://127.0.0.1:8787 node tests/bench/lighthouse.mjs
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import lighthouse from 'lighthouse';
import { ARGS, CHROMIUM, PHONE } from './browser.mjs';
import * as flows from './flows.mjs';

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function startChromium() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'banshi-lh-'));
  const port = 9222 + Math.floor(Math.random() * 500);
  const proc = spawn(CHROMIUM, [...ARGS.map((a) => (a === '--headless' ? '--headless=new' : a)),
    // Chinese first, as a resident's phone: the app picks its language from the browser.
    '--lang=zh-CN', '--accept-lang=zh-CN',
    `--remote-debugging-port=${port}`, `--user-data-dir=${dir}`, 'about:blank'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/json/version`);
      if (r.ok) break;
    } catch {}
    await wait(100);
  }
  return { port, stop: () => { proc.kill('SIGTERM'); fs.rmSync(dir, { recursive: true, force: true }); } };
}

function figures(lhr) {
  const a = lhr.audits;
  const ms = (id) => Math.round(a[id]?.numericValue ?? NaN);
  return {
    url: lhr.finalDisplayedUrl,
    performance: Math.round((lhr.categories.performance.score ?? 0) * 100),
    accessibility: Math.round((lhr.categories.accessibility.score ?? 0) * 100),
    fcpMs: ms('first-contentful-paint'),
    lcpMs: ms('largest-contentful-paint'),
    tbtMs: ms('total-blocking-time'),
    cls: Number((a['cumulative-layout-shift']?.numericValue ?? NaN).toFixed(3)),
    siMs: ms('speed-index'),
    transferKb: Math.round((a['total-byte-weight']?.numericValue ?? 0) / 100) / 10,
    runtimeError: lhr.runtimeError?.message,
    failedA11y: Object.values(a)
      .filter((x) => x.score === 0 && lhr.categories.accessibility.auditRefs.some((r) => r.id === x.id && r.weight > 0))
      .map((x) => x.id),
  };
}

export async function runLighthouse(baseURL, { log = console.error } = {}) {
  const chrome = await startChromium();
  const flags = { port: chrome.port, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'] };
  const results = {};
  try {
    // The flows run in Lighthouse's own browser, on the default context, so
    // the draft they save is there when Lighthouse loads the page.
    const browser = await chromium.connectOverCDP(`http://127.0.0.1:${chrome.port}`);
    const context = browser.contexts()[0];
    const prep = await context.newPage();
    await prep.setViewportSize(PHONE.viewport);

    // Warm the brotli proxy (it compresses each body on first sight, which
    // takes seconds for the wasm; a CDN has it ready) before any audit.
    await prep.goto(new URL(flows.HOME, baseURL).href);
    await prep.waitForLoadState('networkidle');

    log('lighthouse: home');
    results.home = figures((await lighthouse(new URL(flows.HOME, baseURL).href, flags)).lhr);

    const questionUrl = await flows.questionPage(prep, baseURL).catch((e) => {
      throw new Error(`the question-page flow failed (tests/bench/flows.mjs): ${e.message.split('\n')[0]}`);
    });
    const questionNeedsDraft = /\/drafts\//.test(questionUrl);
    log(`lighthouse: question page ${questionUrl}`);
    const cdp = await context.newCDPSession(prep);
    await cdp.send('Network.clearBrowserCache');
    results.question = figures((await lighthouse(questionUrl, { ...flags, disableStorageReset: questionNeedsDraft })).lhr);

    const formUrl = await flows.formPage(prep, baseURL);
    if (formUrl) {
      log(`lighthouse: form page ${formUrl}`);
      await cdp.send('Network.clearBrowserCache');
      results.form = figures((await lighthouse(formUrl, { ...flags, disableStorageReset: true })).lhr);
    } else {
      results.form = { skipped: 'the form has no URL of its own in this version of the app (it follows the questions on the event URL)' };
    }
    await browser.close().catch(() => {});
  } finally {
    chrome.stop();
  }
  for (const [k, v] of Object.entries(results)) log(`${k}: ${JSON.stringify(v)}`);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';
  process.stdout.write(JSON.stringify(await runLighthouse(base), null, 2));
}
