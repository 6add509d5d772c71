// The browser benchmarks of `cargo xtask bench`, against a running stack:
// bytes (first and repeat visit), Lighthouse, the SurveyJS side-by-side.
// Writes one JSON file; tests/bench/report.mjs turns it into BENCHMARKS.md.
//
//   BANSHI_URL=… BENCH_OUT=target/bench/web.json node tests/bench/run.mjs [--quick]
import fs from 'node:fs';
import path from 'node:path';
import { measureBytes } from './bytes.mjs';
import { runLighthouse } from './lighthouse.mjs';
import { compare } from './compare.mjs';
import { compressingProxy } from './proxy.mjs';

const quick = process.argv.includes('--quick');
const base = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';
const out = process.env.BENCH_OUT ?? 'target/bench/web.json';
const log = (s) => console.error(s);

const result = { quick, startedAt: new Date().toISOString() };

log('\n==> bytes: first visit and repeat visit (Chromium, every response)');
result.bytes = await measureBytes(base, { log });

log('\n==> Lighthouse 12.2.3, mobile defaults, through a brotli proxy');
const proxy = await compressingProxy(base);
try {
  result.lighthouse = await runLighthouse(proxy.url, { log });
} finally {
  await proxy.close();
}

log('\n==> Banshi and SurveyJS side by side (same Chromium, same throttling)');
result.surveyjs = await compare(base, quick ? { runs: 2, changes: 20, log } : { runs: 5, changes: 100, log });

fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, JSON.stringify(result, null, 2));
log(`\nwrote ${out}`);
