// Every byte a page load pulls over the network, as a real Chromium sees it.
//
// Shared by the size-budget guard (tests/e2e/budget.spec.ts) and the
// benchmarks (tests/bench/bytes.mjs), so the figure the guard enforces is the
// figure BENCHMARKS.md reports.
//
// What counts: every response the page receives (HTML, CSS, JS, wasm, fonts,
// icons, manifest, API JSON, anything a service worker fetches), captured with
// CDP Network events on the page and on every worker it starts. Each body is
// measured raw and compressed the way a CDN would send it: gzip -9 and brotli
// quality 11 with Node's zlib. Local wrangler dev sends gzip only, so the wire
// size of a local run is not what Cloudflare sends; brotli of the body is.
// A response served from the browser cache (or revalidated with a 304) is
// listed with its body size but counts zero transferred body bytes: that is
// the repeat visit.
import zlib from 'node:zlib';

export function sizes(body) {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return {
    raw: buf.length,
    gzip: buf.length ? zlib.gzipSync(buf, { level: 9 }).length : 0,
    brotli: buf.length
      ? zlib.brotliCompressSync(buf, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: buf.length,
          },
        }).length
      : 0,
  };
}

/// Start recording every response of `page` (a Playwright page) and of the
/// workers it spawns. `stop()` waits for bodies and returns the file table.
export async function record(page) {
  const sessions = [];
  const requests = new Map(); // requestId → entry
  const pending = [];

  const attach = async (cdp, origin) => {
    sessions.push(cdp);
    await cdp.send('Network.enable', { maxTotalBufferSize: 100_000_000, maxResourceBufferSize: 50_000_000 });
    cdp.on('Network.requestWillBeSent', (e) => {
      if (e.request.url.startsWith('data:')) return;
      requests.set(`${origin}:${e.requestId}`, {
        url: e.request.url,
        method: e.request.method,
        type: e.type ?? 'Other',
        origin,
        status: 0,
        fromCache: false,
        encoded: 0,
        finished: false,
      });
    });
    cdp.on('Network.requestServedFromCache', (e) => {
      const r = requests.get(`${origin}:${e.requestId}`);
      if (r) r.fromCache = true;
    });
    cdp.on('Network.responseReceived', (e) => {
      const r = requests.get(`${origin}:${e.requestId}`);
      if (!r) return;
      r.status = e.response.status;
      r.mime = e.response.mimeType;
      r.cacheControl = e.response.headers['cache-control'] ?? e.response.headers['Cache-Control'];
      if (e.response.fromDiskCache || e.response.fromServiceWorker || e.response.fromPrefetchCache) {
        r.fromCache = true;
      }
      if (e.response.fromServiceWorker) r.fromServiceWorker = true;
    });
    // The status on the wire: a revalidated response shows as 200 (the cached
    // body) on the page, 304 here.
    cdp.on('Network.responseReceivedExtraInfo', (e) => {
      const r = requests.get(`${origin}:${e.requestId}`);
      if (r) r.wireStatus = e.statusCode;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const r = requests.get(`${origin}:${e.requestId}`);
      if (!r) return;
      r.encoded = e.encodedDataLength;
      r.finished = true;
      pending.push(
        cdp
          .send('Network.getResponseBody', { requestId: e.requestId })
          .then((b) => {
            r.body = Buffer.from(b.body, b.base64Encoded ? 'base64' : 'utf8');
            if (r.body.length === 0 && r.method === 'GET') r.refetch = true;
          })
          .catch(() => {
            r.refetch = true;
          }),
      );
    });
  };

  const context = page.context();
  await attach(await context.newCDPSession(page), 'page');
  // A service worker's own fetches (precaching) do not show on the page's CDP
  // session; Playwright reports them on the context.
  const onSwResponse = (response) => {
    const request = response.request();
    if (!request.serviceWorker()) return;
    const r = {
      url: request.url(),
      method: request.method(),
      type: 'SW fetch',
      origin: 'worker',
      status: response.status(),
      fromCache: false,
      cacheControl: response.headers()['cache-control'],
      finished: true,
    };
    requests.set(`sw:${requests.size}`, r);
    // Precaching asks for files the page already has: Workbox fetches an
    // unrevisioned (hashed, immutable) file through the HTTP cache, and a hit
    // moves no body over the network. Chromium reports such a hit to
    // Playwright with a negative body size (checked against a server that
    // counts its hits: one download, not two); 0 is ambiguous (the worker's
    // own script shows 0 though it was downloaded), so it still counts.
    pending.push(
      request
        .sizes()
        .then((s) => {
          if (s.responseBodySize < 0 && r.status === 200) r.fromCache = true;
        })
        .catch(() => {}),
    );
    pending.push(
      response
        .body()
        .then((b) => (r.body = b))
        .catch(() => (r.body = Buffer.alloc(0))),
    );
  };
  context.on('response', onSwResponse);

  return {
    async stop() {
      await Promise.all(pending);
      // Chromium keeps no body for some responses (<link rel=prefetch>, a
      // page that navigated away): fetch the same URL again in this context,
      // so those bytes are counted, not silently dropped.
      for (const r of requests.values()) {
        if (!r.refetch || r.fromCache || r.status === 304 || r.wireStatus === 304) continue;
        try {
          r.body = await context.request.get(r.url, { maxRedirects: 0 }).then((res) => res.body());
        } catch {
          r.body = Buffer.alloc(0);
        }
      }
      context.off('response', onSwResponse);
      await Promise.all(sessions.map((s) => s.detach().catch(() => {})));
      return [...requests.values()]
        .filter((r) => r.finished)
        .map((r) => {
          // A 304 or a cache hit moves no body over the network.
          const revalidated = r.status === 304 || r.wireStatus === 304;
          const moved = !r.fromCache && !revalidated;
          const s = sizes(r.body ?? Buffer.alloc(0));
          return {
            url: r.url,
            path: new URL(r.url).pathname + new URL(r.url).search,
            type: r.type,
            status: revalidated ? 304 : r.status,
            fromCache: r.fromCache || revalidated,
            cacheControl: r.cacheControl ?? '',
            raw: s.raw,
            gzip: s.gzip,
            brotli: s.brotli,
            // What the resident pays for this response with a brotli CDN.
            transferred: moved ? s.brotli : 0,
          };
        });
    },
  };
}

export function totals(files) {
  const sum = (k) => files.reduce((n, f) => n + f[k], 0);
  return { requests: files.length, raw: sum('raw'), gzip: sum('gzip'), brotli: sum('brotli'), transferred: sum('transferred') };
}

const kb = (n) => (n / 1000).toFixed(1);

/// A plain-text table, widest column first, for a terminal or a test log.
export function table(files) {
  const rows = [...files].sort((a, b) => b.transferred - a.transferred || b.brotli - a.brotli);
  const t = totals(files);
  const lines = [
    `${'file'.padEnd(48)} ${'type'.padEnd(10)} ${'st'.padStart(3)} ${'raw KB'.padStart(8)} ${'gzip KB'.padStart(8)} ${'br KB'.padStart(8)} ${'sent KB'.padStart(8)}`,
  ];
  for (const f of rows) {
    const name = f.path.length > 48 ? `…${f.path.slice(-47)}` : f.path;
    lines.push(
      `${name.padEnd(48)} ${f.type.padEnd(10)} ${String(f.status).padStart(3)} ${kb(f.raw).padStart(8)} ${kb(f.gzip).padStart(8)} ${kb(f.brotli).padStart(8)} ${kb(f.transferred).padStart(8)}${f.fromCache ? ' (cache)' : ''}`,
    );
  }
  lines.push(
    `${'total'.padEnd(48)} ${String(t.requests).padEnd(10)} ${''.padStart(3)} ${kb(t.raw).padStart(8)} ${kb(t.gzip).padStart(8)} ${kb(t.brotli).padStart(8)} ${kb(t.transferred).padStart(8)}`,
  );
  return lines.join('\n');
}

/// Wait until no request has started or finished for `quietMs` (the page has
/// stopped fetching: deferred loads, idle-time prefetches and workers included).
export async function settle(page, quietMs = 1000, limitMs = 30_000) {
  const start = Date.now();
  let last = Date.now();
  const bump = () => (last = Date.now());
  page.on('request', bump);
  page.on('requestfinished', bump);
  page.on('requestfailed', bump);
  try {
    while (Date.now() - last < quietMs && Date.now() - start < limitMs) {
      await page.waitForTimeout(100);
    }
  } finally {
    page.off('request', bump);
    page.off('requestfinished', bump);
    page.off('requestfailed', bump);
  }
}
