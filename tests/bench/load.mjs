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
  return { rps: Number(rps).toFixed(0), p50: pct(50), p99: pct(99), non2xx, errors };
}

const s = await signIn('r-zhang-wei');
const app = await (await s.api.post('/api/applications', {
  data: body, headers: { 'x-csrf-token': s.csrf, 'idempotency-key': `bench-tracking-${Date.now()}` },
})).json();

const rows = [];
for (const c of [50, 200]) {
  rows.push(['GET /api/events (catalog)', c, wrk([`-c${c}`, `${BASE}/api/events`])]);
  rows.push([`GET /api/applications/{id} (tracking)`, c, wrk([`-c${c}`, '-H', `Cookie: ${s.cookie}`, `${BASE}/api/applications/${app.id}`])]);
  rows.push(['POST /api/applications (submit, new key each)', c, wrk([
    `-c${c}`, '-s', 'tests/bench/submit.lua',
    '-H', `Cookie: ${s.cookie}`, '-H', `X-CSRF-Token: ${s.csrf}`, '-H', 'Content-Type: application/json',
    `${BASE}/api/applications`,
  ], { BENCH_BODY: JSON.stringify(body) })]);
}
console.log(`\n| endpoint | connections | req/s | p50 | p99 | non-2xx | socket errors |\n|---|---|---|---|---|---|---|`);
for (const [what, c, r] of rows) {
  console.log(`| ${what} | ${c} | ${r.rps} | ${r.p50} | ${r.p99} | ${r.non2xx} | ${r.errors.replace('Socket errors: ', '') || 'none'} |`);
}
