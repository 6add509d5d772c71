// Write the figures of `cargo xtask bench` into BENCHMARKS.md, between
// <!-- bench:begin --> and <!-- bench:end --> (the rest of the file is
// hand-written and left alone). Inputs: the browser results (run.mjs), the
// criterion estimates under $CARGO_TARGET_DIR/criterion, and the wrk table
// (load.mjs) when that ran.
//
//   node tests/bench/report.mjs --web target/bench/web.json --criterion DIR \
//        [--load target/bench/load.md] --command "cargo xtask bench" [--file BENCHMARKS.md]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { readBudget } from './budget.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const file = arg('file', 'BENCHMARKS.md');
const web = arg('web') && fs.existsSync(arg('web')) ? JSON.parse(fs.readFileSync(arg('web'), 'utf8')) : null;
const criterionDir = arg('criterion');
const loadMd = arg('load') && fs.existsSync(arg('load')) ? fs.readFileSync(arg('load'), 'utf8').trim() : null;
const command = arg('command', 'cargo xtask bench');

const kB = (n) => (n / 1000).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const version = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
};

function machine() {
  const cpu = os.cpus()[0]?.model?.replace(/\s+/g, ' ') ?? 'unknown CPU';
  return `${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `${version('rustc', ['--version']).split(' ').slice(0, 2).join(' ')}, Node ${process.version}, ` +
    `${version(process.env.CHROME_PATH ?? '/usr/bin/chromium', ['--version'])}`;
}

function filesTable(visit) {
  const rows = [...visit.files].sort((a, b) => b.brotli - a.brotli);
  const lines = ['| file | type | status | raw | gzip | brotli | sent |', '|---|---|---|---|---|---|---|'];
  for (const f of rows) {
    const name = f.path.replace(/-[0-9a-f]{16}(?=[._])/, '-…');
    lines.push(`| \`${name}\` | ${f.type} | ${f.status} | ${kB(f.raw)} | ${kB(f.gzip)} | ${kB(f.brotli)} | ${f.fromCache ? 'no (cache)' : kB(f.transferred)} |`);
  }
  const t = visit.totals;
  lines.push(`| **total** (${t.requests} requests) | | | **${kB(t.raw)}** | **${kB(t.gzip)}** | **${kB(t.brotli)}** | **${kB(t.transferred)}** |`);
  return lines.join('\n');
}

function bytesSection(b) {
  const budget = readBudget().first_visit;
  // What moved over the network (a service worker's precache served from the
  // HTTP cache did not), as the guard in tests/e2e/budget.spec.ts counts it.
  const verdict = (t, limit) => (t.transferred / 1000 <= limit ? `within the ${limit} kB budget` : `**over the ${limit} kB budget by ${kB(t.transferred - limit * 1000)} kB**`);
  return [
    '### Bytes of a first visit (kB, 1 kB = 1000 bytes)',
    '',
    'Fresh Chromium context at phone size, every response captured with CDP until the network is quiet',
    '(`tests/bench/bytes.mjs`, flows in `tests/bench/flows.mjs`); each body compressed with Node\'s zlib',
    '(gzip -9, brotli q11) as a CDN would send it. "Sent" is what moved over the network (a cache hit,',
    '304 or a service worker\'s precache served from the HTTP cache moves nothing); "sent again" in the',
    'repeat visit, in the same context.',
    '',
    `**Home page, first visit: ${kB(b.home.totals.transferred)} kB brotli sent** (${verdict(b.home.totals, budget.home_brotli_kb)}); ` +
      `repeat visit sends ${kB(b.homeRepeat.totals.transferred)} kB again.`,
    '',
    filesTable(b.home),
    '',
    `**Home → 新生儿出生 → first question accepts input: ${kB(b.journey.totals.transferred)} kB brotli sent** ` +
      `(${verdict(b.journey.totals, budget.journey_brotli_kb)}); repeat visit sends ${kB(b.journeyRepeat.totals.transferred)} kB again.`,
    '',
    filesTable(b.journey),
    '',
    'Repeat visit of the journey, same context (what the browser fetched again):',
    '',
    filesTable(b.journeyRepeat),
  ].join('\n');
}

function lighthouseSection(lh) {
  const lines = [
    '### Lighthouse 12.2.3, mobile defaults',
    '',
    'Simulated Slow 4G and 4× CPU (Lighthouse\'s defaults), Debian\'s Chromium headless, through a brotli',
    'proxy standing in for the CDN (`tests/bench/lighthouse.mjs`). Goal: performance ≥ 98, accessibility 100.',
    '',
    '| page | performance | accessibility | FCP | LCP | TBT | CLS | Speed Index | bytes (Lighthouse) |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [name, r] of Object.entries(lh)) {
    if (r.skipped) {
      lines.push(`| ${name} | — | — | — | — | — | — | — | ${r.skipped} |`);
      continue;
    }
    const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
    lines.push(`| ${name} \`${new URL(r.url).pathname}\` | ${r.performance} | ${r.accessibility} | ${s(r.fcpMs)} | ${s(r.lcpMs)} | ${r.tbtMs} ms | ${r.cls} | ${s(r.siMs)} | ${r.transferKb} kB |`);
  }
  const failing = Object.entries(lh).filter(([, r]) => r.failedA11y?.length);
  if (failing.length) {
    lines.push('', 'Failing accessibility audits: ' + failing.map(([n, r]) => `${n}: ${r.failedA11y.join(', ')}`).join('; ') + '.');
  }
  return lines.join('\n');
}

function surveySection(c) {
  const b = c.banshi, s = c.surveyjs, r = c.ratios;
  const mb = (h) => ((h.jsUsed + h.backing + h.wasm) / 2 ** 20).toFixed(1);
  return [
    '### Side by side with SurveyJS (新生儿出生)',
    '',
    `The same questions, conditions and validators built once in SurveyJS 2.5.38 (survey-core + survey-js-ui,`,
    '`tests/bench/surveyjs/`) and once in Banshi, measured in the same Chromium run with the same throttling',
    `(CPU ${c.throttle.cpuSlowdown}×, ${c.throttle.latencyMs} ms RTT, ${c.throttle.downloadKbps} kbit/s down, applied with CDP), both`,
    `behind the same brotli proxy (\`tests/bench/compare.mjs\`); ${c.runs} cold loads each, medians. Goal: bytes ≤ 0.5×, first input ≤ 0.7×.`,
    '',
    '| figure | Banshi | SurveyJS | Banshi ÷ SurveyJS |',
    '|---|---|---|---|',
    `| bytes until the first question accepts input (brotli) | ${kB(b.bytesBrotli)} kB | ${kB(s.bytesBrotli)} kB | **${r.bytes}×** |`,
    `| time until the first question accepts input | ${b.firstInputMs} ms | ${s.firstInputMs} ms | **${r.firstInput}×** |`,
    `| heap after answering everything (JS used + array buffers + wasm memory) | ${mb(b.heap)} MiB | ${mb(s.heap)} MiB | ${r.heap}× |`,
    `| time per answer change, p50 (${b.changes} changes) | ${b.changeP50Ms} ms | ${s.changeP50Ms} ms | ${r.changeP50}× |`,
    `| time per answer change, p95 | ${b.changeP95Ms} ms | ${s.changeP95Ms} ms | ${r.changeP95}× |`,
    '',
    'An answer change (`CHANGE` in `tests/bench/flows.mjs`): pick the other answer to 宝宝是在本省有接生资格的医院出生的吗',
    'and wait until 出生医学证明 shows or goes from the items that apply. In SurveyJS that happens in place on one page;',
    'in Banshi (one question per page) it is that question page, then each following question page again, then the',
    'result page; going back to the question is not timed. Times include Playwright\'s round trips, alike for both.',
    `First-input runs (ms): Banshi ${b.firstInputRunsMs.join(', ')}; SurveyJS ${s.firstInputRunsMs.join(', ')}.`,
  ].join('\n');
}

function criterionSection(dir) {
  if (!dir || !fs.existsSync(dir)) return null;
  const rows = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name === 'new' && fs.existsSync(path.join(p, 'estimates.json'))) {
        const est = JSON.parse(fs.readFileSync(path.join(p, 'estimates.json'), 'utf8'));
        const bench = JSON.parse(fs.readFileSync(path.join(p, 'benchmark.json'), 'utf8'));
        rows.push({ id: bench.full_id ?? bench.title, m: est.median });
      } else if (e.isDirectory() && e.name !== 'report') walk(p);
    }
  };
  walk(dir);
  if (!rows.length) return null;
  const t = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
  rows.sort((a, b) => a.id.localeCompare(b.id));
  return [
    '### CPU per submit and core logic (criterion, native)',
    '',
    '`cargo bench -p banshi-core` (`core/benches/guide.rs`, `core/benches/submit.rs`): the same core code the',
    'Worker runs, natively, since workerd hides timers. Goal: `check_submission` ≤ 2 ms median (the free plan allows 10 ms CPU).',
    '',
    '| benchmark | median | 95% interval |',
    '|---|---|---|',
    ...rows.map((r) => `| \`${r.id}\` | ${t(r.m.point_estimate)} | ${t(r.m.confidence_interval.lower_bound)}–${t(r.m.confidence_interval.upper_bound)} |`),
  ].join('\n');
}

const parts = [
  `Generated by \`${command}\` on ${new Date().toISOString().slice(0, 10)}; machine: ${machine()}.`,
  'Do not edit by hand: the next run rewrites everything between the markers.',
];
if (web) parts.push(bytesSection(web.bytes), lighthouseSection(web.lighthouse), surveySection(web.surveyjs));
const crit = criterionSection(criterionDir);
if (crit) parts.push(crit);
if (loadMd) parts.push(['### Edge under load (wrk, loopback)', '', '`tests/bench/load.mjs` against `wrangler dev` (see the section above for how to read it).', '', loadMd].join('\n'));

const section = `<!-- bench:begin -->\n## Measured by \`cargo xtask bench\`\n\n${parts.join('\n\n')}\n<!-- bench:end -->`;
const md = fs.readFileSync(file, 'utf8');
const re = /<!-- bench:begin -->[\s\S]*?<!-- bench:end -->/;
fs.writeFileSync(file, re.test(md) ? md.replace(re, section) : `${md.trimEnd()}\n\n${section}\n`);
console.error(`wrote the measured figures into ${file}`);
