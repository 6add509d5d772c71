// Bytes of a first visit, file by file: the home page, the journey up to the
// first question accepting input, and a repeat visit of both (what is sent
// again). A fresh browser context each, the page driven by flows.mjs, every
// response captured by capture.mjs. Prints JSON: { home, journey, repeat }.
//
//   BANSHI_URL=http://127.0.0.1:8787 node tests/bench/bytes.mjs
import { launch, PHONE } from './browser.mjs';
import { record, settle, table, totals } from './capture.mjs';
import * as flows from './flows.mjs';

export async function measureBytes(baseURL, { log = console.error } = {}) {
  const browser = await launch();
  try {
    const visit = async (context, path, drive) => {
      const page = await context.newPage();
      const rec = await record(page);
      await page.goto(new URL(path, baseURL).href);
      if (drive) await drive(page);
      await settle(page);
      const files = await rec.stop();
      await page.close();
      return files;
    };
    const result = {};

    // Home: what the first visit transfers before the resident does anything.
    const ctx1 = await browser.newContext(PHONE);
    result.home = await visit(ctx1, flows.HOME);
    log(`\nfirst visit, home page\n${table(result.home)}`);
    // The same page again in the same context: what a repeat visit re-sends.
    result.homeRepeat = await visit(ctx1, flows.HOME);
    log(`\nrepeat visit, home page\n${table(result.homeRepeat)}`);
    await ctx1.close();

    // Journey: home → the event → the first question accepts input.
    const ctx2 = await browser.newContext(PHONE);
    result.journey = await visit(ctx2, flows.HOME, async (page) => {
      await flows.homeToEvent(page);
      await flows.firstQuestionAcceptsInput(page);
    });
    log(`\nfirst visit, home → first question\n${table(result.journey)}`);
    result.journeyRepeat = await visit(ctx2, flows.HOME, async (page) => {
      await flows.homeToEvent(page);
      await flows.firstQuestionAcceptsInput(page);
    });
    log(`\nrepeat visit, home → first question\n${table(result.journeyRepeat)}`);
    await ctx2.close();

    for (const k of Object.keys(result)) {
      result[k] = { totals: totals(result[k]), files: result[k] };
    }
    return result;
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const base = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';
  const r = await measureBytes(base);
  process.stdout.write(JSON.stringify(r, null, 2));
}
