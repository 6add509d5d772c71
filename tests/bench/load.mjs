// Load benchmark for the edge on workerd (wrangler dev, loopback), driven by
// `cargo xtask bench --load` which starts the stack. Signs in through the
// sandbox identity provider, then runs wrk against catalog, tracking and
// submit at 50 and 200 connections and prints a Markdown table.
import { request } from 'playwright-core';
import { execFileSync } from 'node:child_process';

const BASE = process.env.BANSHI_URL;
const SANDBOX = process.env.SANDBOX_URL;
const SECONDS = process.env.BENCH_SECONDS ?? '10';

async function signIn(resident) {
  const api = await request.newContext({ baseURL: BASE });
  const login = await api.get('/api/auth/login?return_to=/', { maxRedirects: 0 });
  const authorize = new URL(login.headers()['location']);
  const form = Object.fromEntries(authorize.searchParams);
  form.resident = resident;
  const chosen = await api.post(`${SANDBOX}/oauth/authorize`, { form, maxRedirects: 0 });
  await api.get(chosen.headers()['location'], { maxRedirects: 0 });
  const session = await (await api.get('/api/session')).json();
  const cookie = (await api.storageState()).cookies.find((c) => c.name === 'banshi_session');
  return { api, csrf: session.csrf_token, cookie: `banshi_session=${cookie.value}` };
}

const body = {
  event_id: 'social-security-card',
  answers: { 'has-card': false, 'for-child': false },
  fields: { 'cardholder.name': '张伟', 'cardholder.id_number': '110101198503074516', 'applicant.phone': '13800138000' },
};

function wrk(args, env = {}) {
  const out = execFileSync('wrk', ['--latency', '-t2', `-d${SECONDS}s`, ...args], {
    encoding: 'utf8', env: { ...process.env, ...env },
  });
  const rps = out.match(/Requests\/sec:\s+([\d.]+)/)[1];
  const pct = (p) => out.match(new RegExp(`\\s${p}%\\s+([\\d.]+\\w+)`))[1];
  const non2xx = out.match(/Non-2xx or 3xx responses:\s+(\d+)/)?.[1] ?? '0';
  const errors = out.match(/Socket errors:.*/)?.[0] ?? '';
  // submit.lua reports answers by status and one body per failing status.
  for (const line of out.split('\n').filter((l) => /^(status|sample) \d+:/.test(l))) console.error(`  ${args[0]} ${line}`);
  return { rps: Number(rps).toFixed(0), p50: pct(50), p99: pct(99), non2xx, errors };
}

const s = await signIn('r-zhang-wei');
const app = await (await s.api.post('/api/applications', {
  data: body, headers: { 'x-csrf-token': s.csrf, 'idempotency-key': `bench-tracking-${Date.now()}` },
})).json();

// Submits leave relay work behind (queue → sandbox → six webhooks and texts
// per item), which shares the two cores with the next run. Wait until the
// edge answers the catalog quickly again before measuring on, and report
// how long that took.
async function drained() {
  const start = Date.now();
  let quick = 0;
  while (quick < 3 && Date.now() - start < 180_000) {
    const t = Date.now();
    try { await fetch(`${BASE}/api/events`); } catch { /* still busy */ }
    quick = Date.now() - t < 100 ? quick + 1 : 0;
    await new Promise((r) => setTimeout(r, 500));
  }
  return ((Date.now() - start) / 1000).toFixed(0);
}

const rows = [];
const drains = [];
for (const c of [50, 200]) rows.push(['GET /api/events (catalog)', c, wrk([`-c${c}`, `${BASE}/api/events`])]);
for (const c of [50, 200]) {
  rows.push([`GET /api/applications/{id} (tracking)`, c, wrk([`-c${c}`, '-H', `Cookie: ${s.cookie}`, `${BASE}/api/applications/${app.id}`])]);
}
for (const c of [50, 200]) {
  rows.push(['POST /api/applications (submit, new key each)', c, wrk([
    `-c${c}`, '-s', 'tests/bench/submit.lua',
    '-H', `Cookie: ${s.cookie}`, '-H', `X-CSRF-Token: ${s.csrf}`, '-H', 'Content-Type: application/json',
    `${BASE}/api/applications`,
  ], { BENCH_BODY: JSON.stringify(body) })]);
  drains.push([c, await drained()]);
}
console.log(`\n| endpoint | connections | req/s | p50 | p99 | non-2xx | socket errors |\n|---|---|---|---|---|---|---|`);
for (const [what, c, r] of rows) {
  console.log(`| ${what} | ${c} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors.replace('Socket errors: ', '') || 'none'} |`);
}
for (const [c, secs] of drains) console.log(`\nAfter the ${c}-connection submit run the relay backlog took ${secs} s to drain.`);
