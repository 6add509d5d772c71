// Nothing typed is lost (issue 10): a resident types into the form while,
// at random, the page is reloaded, the tab is closed, or the whole browser
// is killed (SIGKILL, on a persistent profile, as a phone's system kills
// it) — online for half the cycles and offline for the other half. After
// each interruption every character typed more than 300 ms before it must
// still be there. SOAK_CYCLES (default 60) sets the number of cycles;
// `cargo xtask bench` runs a longer one.
import { type Browser, type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const BASE = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';
const CYCLES = Number(process.env.SOAK_CYCLES ?? 60);
const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--window-size=390,844',
];

type Running = { proc: ChildProcess; browser: Browser; context: BrowserContext };

/** Debian's Chromium on a persistent profile, driven over CDP, killable. */
async function launch(profile: string): Promise<Running> {
  const proc = spawn('/usr/bin/chromium', [...ARGS, `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const ws = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('chromium did not start')), 20_000);
    proc.stderr!.on('data', (d) => {
      const m = /DevTools listening on (ws:\S+)/.exec(String(d));
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  const browser = await chromium.connectOverCDP(ws);
  return { proc, browser, context: browser.contexts()[0] };
}

async function kill(r: Running) {
  r.proc.kill('SIGKILL');
  await new Promise((res) => r.proc.once('exit', res));
  await r.browser.close().catch(() => {});
}

function rng(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}

test('a soak of reloads, closed tabs and killed browsers loses nothing typed more than 300 ms before', async () => {
  test.setTimeout(60_000 + CYCLES * 6_000);
  const profile = mkdtempSync(path.join(tmpdir(), 'banshi-soak-'));
  const random = rng(20261201);
  let run = await launch(profile);
  try {
    // A draft of 社会保障卡居民服务, started signed out, on its cardholder page.
    let page: Page = run.context.pages()[0] ?? (await run.context.newPage());
    await page.goto(`${BASE}/events/social-security-card`);
    await page.getByRole('button', { name: '开始办理' }).click();
    for (const q of [/已经有社会保障卡/, /不满16岁/]) {
      await expect(page.getByRole('heading', { level: 1, name: q })).toBeVisible();
      await page.getByRole('radio', { name: '否' }).check();
      await page.getByRole('button', { name: '继续' }).click();
    }
    await expect(page.getByRole('heading', { level: 1, name: /一次办好/ })).toBeVisible();
    const form = page.url().replace(/\/result$/, '/form/cardholder');
    const field = (p: Page) => p.getByLabel(/持卡人姓名/);

    const alphabet = '张伟李娜王秀英陈杰赵敏刘洋孙丽周桂兰吴芳何军';
    let typed = ''; // everything typed, in order
    let safe = ''; // what was typed at least 300 ms before the last interruption
    const tally = { reload: 0, close: 0, kill: 0, offline: 0 };
    for (let cycle = 0; cycle < CYCLES; cycle++) {
      const offline = cycle >= CYCLES / 2;
      await page.goto(form);
      await expect(field(page)).toBeVisible();
      const value = await field(page).inputValue();
      expect(value.startsWith(safe), `cycle ${cycle}: ${JSON.stringify(value)} keeps ${JSON.stringify(safe)}`).toBe(true);
      expect(typed.startsWith(value), `cycle ${cycle}: nothing invented`).toBe(true);
      // What survived beyond the safe part is kept too: continue from it.
      typed = value;
      if (offline) {
        await run.context.setOffline(true);
        tally.offline += 1;
      }
      await field(page).click();
      await page.keyboard.press('End');
      const stamps: number[] = [];
      const n = 1 + Math.floor(random() * 4);
      for (let i = 0; i < n; i++) {
        const ch = alphabet[Math.floor(random() * alphabet.length)];
        await page.keyboard.type(ch);
        typed += ch;
        stamps.push(Date.now());
        await page.waitForTimeout(Math.floor(random() * 250));
      }
      await page.waitForTimeout(Math.floor(random() * 600));
      const cut = Date.now();
      const old = stamps.filter((t) => cut - t > 300).length;
      safe = typed.slice(0, typed.length - n + old);
      const how = random();
      if (how < 0.34 && !offline) {
        tally.reload += 1;
        await page.reload();
      } else if (how < 0.67) {
        tally.close += 1;
        await page.close();
        page = await run.context.newPage();
      } else {
        tally.kill += 1;
        await kill(run);
        run = await launch(profile);
        page = run.context.pages()[0] ?? (await run.context.newPage());
      }
      await run.context.setOffline(false);
    }
    console.log(`soak: ${CYCLES} cycles`, tally, `${typed.length} characters typed`);
    expect(tally.kill).toBeGreaterThan(CYCLES / 5);
  } finally {
    await kill(run).catch(() => {});
    rmSync(profile, { recursive: true, force: true });
  }
});
