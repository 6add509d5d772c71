// Debian's Chromium, as the tests drive it (tests/playwright.config.ts):
// phone-sized, Chinese, no sandbox, nothing phoning home. Never a downloaded
// browser.
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
export const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const PHONE = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
};

export function launch(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...ARGS, ...extraArgs] });
}

// Lighthouse's mobile defaults (simulated "Slow 4G" and a 4× slower CPU),
// applied for real with CDP so both apps of the side-by-side get the same.
export const THROTTLE = {
  cpuSlowdown: 4,
  latencyMs: 150,
  downloadKbps: 1638.4,
  uploadKbps: 750,
};

export async function throttle(page, t = THROTTLE) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: t.latencyMs,
    downloadThroughput: (t.downloadKbps * 1024) / 8,
    uploadThroughput: (t.uploadKbps * 1024) / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: t.cpuSlowdown });
  return cdp;
}
