// Banshi and SurveyJS side by side, in the same Chromium run, with the same
// CPU and network throttling (Lighthouse's mobile figures, applied for real
// with CDP: 4× CPU, 150 ms RTT, 1.6 Mbps down), both behind the same brotli
// proxy. The same questionnaire: 新生儿出生 (tests/bench/surveyjs/ rebuilds it).
//
// For each app, RUNS cold loads (fresh context):
//   bytes       every response until the first question accepts input and
//               the network is quiet, brotli q11 of each body (capture.mjs)
//   firstInput  ms from navigation start until the first question's answer
//               control passes Playwright's actionability checks
// cold loads alternate between the apps; the last one of each goes on to
//   heap        JS heap used + array-buffer backing stores + wasm linear
//               memory, after GC, once every question is answered and the
//               whole form filled
// then, in a fresh page each:
//   change      ms per answer change, over CHANGES changes of 妈妈参加的是哪种医保
//               (生育津贴 applies / does not), p50 and p95
import { launch, PHONE, throttle, THROTTLE } from './browser.mjs';
import { record, settle, totals } from './capture.mjs';
import { compressingProxy } from './proxy.mjs';
import { serveSurveyJs } from './serve.mjs';
import * as flows from './flows.mjs';

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const median = (xs) => quantile(xs, 0.5);

// SurveyJS's side of the flows: the same questions, found the same way.
const surveyjs = {
  url: '/',
  question: (page, title) => page.locator('.sd-question', { has: page.getByText(title) }).first(),
  // An answer option: SurveyJS hides the native radio under a styled label,
  // and that label is what takes the tap (the description may repeat its text).
  option: (q, text) => q.locator('label.sd-selectbase__label').filter({ hasText: text }).first(),
  async firstQuestionAcceptsInput(page) {
    const q = this.question(page, flows.FIRST_QUESTION);
    await q.waitFor({ state: 'visible', timeout: 60_000 });
    await this.option(q, flows.ANSWERS[0].answer).click({ trial: true, timeout: 60_000 });
  },
  async answerAll(page) {
    for (const step of flows.ANSWERS) {
      const q = this.question(page, step.question);
      if ((await q.count()) === 0) continue; // not asked for this event
      await this.option(q, step.answer).click();
    }
    await this.applies(page).waitFor({ state: 'visible' });
  },
  // The item CHANGE flips (its name may also appear in a question's help).
  applies: (page) => page.locator(`[data-name="item-${flows.CHANGE.item}"]`),
  async fillForm(page) {
    await page.getByRole('button', { name: /下一页|Next/ }).first().click();
    for (const f of flows.FORM) {
      const q = this.question(page, f.label);
      if (!(await q.isVisible())) continue;
      if (f.choice) await this.option(q, f.choice).click();
      else await q.locator('input, textarea').first().fill(f.value);
    }
    await page.getByRole('button', { name: /完成|提交|Complete/ }).first().click();
    await page.getByText(/感谢|Thank/).first().waitFor({ state: 'visible' });
  },
  async change(page, i) {
    const t0 = performance.now();
    const q = this.question(page, flows.CHANGE.question);
    await this.option(q, flows.CHANGE.answers[i % 2]).click();
    await this.applies(page).waitFor({ state: i % 2 === 0 ? 'visible' : 'hidden' });
    return performance.now() - t0;
  },
};

const banshi = {
  url: flows.EVENT_URL,
  firstQuestionAcceptsInput: flows.firstQuestionAcceptsInput,
  // The first question is already up: answer the rest of the way.
  async answerAll(page) {
    await flows.answerAll(page);
  },
  async fillForm(page) {
    await flows.toForm(page);
    await flows.fillForm(page);
  },
  async change(page, i) {
    await flows.backToChangeQuestion(page);
    const t0 = performance.now();
    await flows.change(page, i);
    return performance.now() - t0;
  },
};

async function heap(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('HeapProfiler.collectGarbage');
  const h = await cdp.send('Runtime.getHeapUsage');
  // Wasm linear memory lives outside the JS heap; trunk hands us the module.
  const wasm = await page.evaluate(() => globalThis.__wasmMemory?.buffer.byteLength ?? 0);
  await cdp.detach();
  return { jsUsed: h.usedSize, backing: h.backingStorageSize ?? 0, wasm };
}

/// One cold load: fresh context, throttled, every response captured, until
/// the first question accepts input. `after` may go on in the same page.
async function coldLoad(browser, baseURL, app, after) {
  const context = await browser.newContext(PHONE);
  await context.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => (globalThis.__wasmMemory = e.detail?.wasm?.memory));
  });
  const page = await context.newPage();
  await throttle(page);
  const rec = await record(page);
  await page.goto(new URL(app.url, baseURL).href, { waitUntil: 'commit' });
  await app.firstQuestionAcceptsInput(page);
  const firstInputMs = await page.evaluate(() => performance.now());
  await settle(page);
  const bytes = totals(await rec.stop());
  const extra = after ? await after(page) : undefined;
  await context.close();
  return { firstInputMs, bytes, extra };
}

/// Answer everything, fill the whole form, then weigh the heap.
async function heapAfterEverything(page, app) {
  await app.answerAll(page);
  await app.fillForm(page);
  return heap(page);
}

/// `changes` answer changes in one throttled page, each timed.
async function answerChanges(browser, baseURL, app, changes) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  await throttle(page);
  await page.goto(new URL(app.url, baseURL).href);
  await app.firstQuestionAcceptsInput(page);
  await app.answerAll(page);
  const times = [];
  for (let i = 1; i <= changes; i++) times.push(await app.change(page, i));
  await context.close();
  return times;
}

function summary(runs, heapBytes, times) {
  const b = runs[0].bytes;
  const first = runs.map((r) => r.firstInputMs);
  return {
    // Sent over the network: Banshi's service worker precaches files the
    // page already has, from the HTTP cache (counted once, as the budget does).
    bytesBrotli: b.transferred,
    bytesRaw: b.raw,
    requests: b.requests,
    firstInputMs: Math.round(median(first)),
    firstInputRunsMs: first.map(Math.round),
    heap: heapBytes,
    changeP50Ms: Math.round(median(times) * 10) / 10,
    changeP95Ms: Math.round(quantile(times, 0.95) * 10) / 10,
    changes: times.length,
  };
}

export async function compare(banshiOrigin, { runs = 5, changes = 100, log = console.error } = {}) {
  // The same event Banshi serves, so both apps ask the same questions.
  const event = await (await fetch(new URL(`/api/events/${flows.EVENT}`, banshiOrigin))).text();
  const sjsOrigin = await serveSurveyJs(event);
  const banshiProxy = await compressingProxy(banshiOrigin);
  const sjsProxy = await compressingProxy(sjsOrigin.url);
  const browser = await launch();
  try {
    const apps = [
      { name: 'banshi', app: banshi, url: banshiProxy.url, runs: [] },
      { name: 'surveyjs', app: surveyjs, url: sjsProxy.url, runs: [] },
    ];
    // One load each first, not counted: the proxy compresses a
    // body on first sight (brotli q11 of a megabyte takes seconds), and no
    // CDN makes a phone wait for that.
    for (const a of apps) await coldLoad(browser, a.url, a.app);
    // Cold loads alternate, A B A B …, so drift on a shared machine hits both
    // alike; the last run of each goes on to answer everything.
    for (let i = 0; i < runs; i++) {
      for (const a of apps) {
        const last = i === runs - 1;
        const r = await coldLoad(browser, a.url, a.app, last ? (page) => heapAfterEverything(page, a.app) : undefined);
        a.runs.push(r);
        if (last) a.heap = r.extra;
        log(`${a.name} cold load ${i + 1}/${runs}: first input ${Math.round(r.firstInputMs)} ms, ${(r.bytes.brotli / 1000).toFixed(1)} kB brotli`);
      }
    }
    for (const a of apps) {
      a.times = await answerChanges(browser, a.url, a.app, changes);
      log(`${a.name}: ${changes} answer changes, p50 ${median(a.times).toFixed(1)} ms`);
    }
    const [b, s] = apps.map((a) => summary(a.runs, a.heap, a.times));
    const ratio = (x, y) => Math.round((x / y) * 100) / 100;
    const heapOf = (h) => h.jsUsed + h.backing + h.wasm;
    return {
      throttle: THROTTLE,
      runs,
      banshi: b,
      surveyjs: s,
      ratios: {
        bytes: ratio(b.bytesBrotli, s.bytesBrotli),
        firstInput: ratio(b.firstInputMs, s.firstInputMs),
        heap: ratio(heapOf(b.heap), heapOf(s.heap)),
        changeP50: ratio(b.changeP50Ms, s.changeP50Ms),
        changeP95: ratio(b.changeP95Ms, s.changeP95Ms),
      },
    };
  } finally {
    await browser.close();
    await Promise.all([banshiProxy.close(), sjsProxy.close(), sjsOrigin.close()]);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';
  const runs = Number(process.env.RUNS ?? 5);
  const changes = Number(process.env.CHANGES ?? 100);
  process.stdout.write(JSON.stringify(await compare(base, { runs, changes }), null, 2));
}
