// Black-box helpers for the edge API: sign in through the sandbox identity
// provider exactly as a browser would (OAuth code + PKCE, cookies), sign
// department webhooks, poll until something is true.
import { APIRequestContext, expect, request } from '@playwright/test';
import { createHmac, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export const BASE = process.env.BANSHI_URL ?? 'http://127.0.0.1:8787';
export const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';
/** Each department's own key (`cargo xtask test` passes them all). */
const DEPARTMENT_KEYS: Record<string, string> = JSON.parse(process.env.DEPARTMENT_KEYS ?? '{}');
export function departmentKey(dept: string): string {
  return DEPARTMENT_KEYS[dept] ?? `sandbox-department-key-${dept}`;
}

export type Session = { api: APIRequestContext; csrf: string };

/** Sign in through the whole flow asking to come back to `returnTo`; where
 *  the edge sends the browser afterwards. */
export async function signInReturningTo(resident: string, returnTo: string): Promise<string> {
  const api = await request.newContext({ baseURL: BASE });
  const login = await api.get(`/api/auth/login?return_to=${encodeURIComponent(returnTo)}`, { maxRedirects: 0 });
  expect(login.status()).toBe(302);
  const authorize = new URL(login.headers()['location']);
  const form: Record<string, string> = Object.fromEntries(authorize.searchParams);
  form.resident = resident;
  const chosen = await api.post(`${SANDBOX}/oauth/authorize`, { form, maxRedirects: 0 });
  const done = await api.get(chosen.headers()['location'], { maxRedirects: 0 });
  expect(done.status()).toBe(302);
  return done.headers()['location'];
}

/** A fresh cookie jar signed in as a seeded resident (`r-zhang-wei`, `r-chen-jie`, …). */
export async function signIn(resident: string): Promise<Session> {
  const api = await request.newContext({ baseURL: BASE });
  const login = await api.get('/api/auth/login?return_to=/applications', { maxRedirects: 0 });
  expect(login.status()).toBe(302);
  const authorize = new URL(login.headers()['location']);
  expect(authorize.origin).toBe(SANDBOX);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  const form: Record<string, string> = Object.fromEntries(authorize.searchParams);
  form.resident = resident;
  const chosen = await api.post(`${SANDBOX}/oauth/authorize`, { form, maxRedirects: 0 });
  expect(chosen.status()).toBe(303);
  const callback = chosen.headers()['location'];
  const done = await api.get(callback, { maxRedirects: 0 });
  expect(done.status()).toBe(302);
  expect(done.headers()['location']).toBe('/applications');
  const session = await (await api.get('/api/session')).json();
  expect(session.resident).not.toBeNull();
  return { api, csrf: session.csrf_token };
}

export function key(): string {
  return `test-${randomUUID()}`;
}

export const SSC = {
  event_id: 'social-security-card',
  answers: { 'has-card': false, 'for-child': false },
  fields: {
    'cardholder.name': '张伟',
    'cardholder.id_number': '110101198503074516',
    'applicant.phone': '13800138000',
  } as Record<string, string>,
};

/** A tiny valid JPEG (SOI, APP0, EOI): typed by content as image/jpeg. */
export const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

/** Upload `data` as the resident; with `idempotencyKey`, a resend answers the stored one. */
export async function upload(s: Session, data: Buffer = JPEG, name = 'photo.jpg', idempotencyKey?: string) {
  return s.api.post(`/api/attachments?name=${encodeURIComponent(name)}`, {
    data,
    headers: {
      'x-csrf-token': s.csrf,
      'content-type': 'application/octet-stream',
      ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
    },
  });
}

/** One photo per material, the same attachment every time for this
 *  resident (a fixed Idempotency-Key), so a replayed submission is identical. */
export async function photos(s: Session, materialIds: string[]) {
  const out: Record<string, unknown> = {};
  for (const id of materialIds) {
    const r = await upload(s, JPEG, `${id}.jpg`, `fixture-photo-${id}`);
    expect([200, 201], await r.text()).toContain(r.status());
    out[id] = { kind: 'upload', attachments: [(await r.json()).id] };
  }
  return out;
}

/** POST /api/applications. A body without `materials` is given a photo of
 *  each material the edge says is still needed, so tests about other things
 *  need not know each event's materials. The edge is asked with a probe that
 *  can never be stored (an unknown material, a throwaway key): its 422 names
 *  every material still needed. */
export async function submit(s: Session, body: any, idempotencyKey = key(), headers: Record<string, string> = {}) {
  const post = (data: unknown, k = idempotencyKey) =>
    s.api.post('/api/applications', {
      data,
      headers: { 'x-csrf-token': s.csrf, 'idempotency-key': k, ...headers },
    });
  if (body && typeof body === 'object' && body.materials === undefined) {
    const probe = await post({ ...body, materials: { 'no-such-material': { kind: 'deferred' } } }, key());
    if (probe.status() !== 422) return probe;
    const fields: string[] = ((await probe.json()).error.fields ?? []).map((f: { field: string }) => f.field);
    if (!fields.every((f) => f.startsWith('materials.'))) return post(body);
    const needed = fields.map((f) => f.slice('materials.'.length)).filter((m) => m !== 'no-such-material');
    return post({ ...body, materials: await photos(s, needed) });
  }
  return post(body);
}

/** The signature headers of a platform call, as core::signature makes them:
 *  HMAC-SHA256 over version, method, path and query, party, timestamp, body. */
export function signFor(key: string, party: string, method: string, path: string, body = '', ts = Math.floor(Date.now() / 1000)) {
  const sig = createHmac('sha256', key).update(`banshi-v2\n${method}\n${path}\n${party}\n${ts}\n${body}`).digest('hex');
  return { 'x-banshi-timestamp': String(ts), 'x-banshi-signature': sig };
}

/** A department's webhook call, signed with that department's key. */
export function sign(dept: string, path: string, body: string, ts?: number) {
  return { 'content-type': 'application/json', ...signFor(departmentKey(dept), dept, 'POST', path, body, ts) };
}

export async function webhook(api: APIRequestContext, dept: string, update: object, ts?: number) {
  const body = JSON.stringify(update);
  const path = `/api/webhooks/departments/${dept}`;
  return api.post(`${BASE}${path}`, { data: body, headers: sign(dept, path, body, ts) });
}

export async function scenario(api: APIRequestContext, dept: string, s: object) {
  const r = await api.put(`${SANDBOX}/_sandbox/departments/${dept}/scenario`, { data: s });
  expect(r.status()).toBe(204);
}

/** Every platform back to its default pace and no faults (the housing fund
 *  centre stays poll-only, as the edge's adapter config says it is). */
export async function resetScenarios(api?: APIRequestContext) {
  const ctx = api ?? (await request.newContext());
  const r = await ctx.post(`${SANDBOX}/_sandbox/reset`);
  expect(r.status()).toBe(204);
  await scenario(ctx, 'housing-fund', { no_webhook: true, step_ms: 300 });
}

/** The operator's view of every outbox (`GET /api/ops/outbox`). */
export async function outbox() {
  const ctx = await request.newContext();
  const r = await ctx.get(`${BASE}/api/ops/outbox`, { headers: { authorization: 'Bearer local-cron-token' } });
  expect(r.status(), await r.text()).toBe(200);
  return r.json();
}

/** Run the edge's cron once, as if it fired at `at` (ms since the epoch). */
export async function cron(at = Date.now()) {
  const ctx = await request.newContext();
  const r = await ctx.post(`${BASE}/api/ops/cron?time=${at}`, { headers: { authorization: 'Bearer local-cron-token' } });
  expect(r.status(), await r.text()).toBe(200);
}

/** A department's signed GET of `pathAndQuery`. */
export function signGet(pathAndQuery: string, dept: string, ts?: number) {
  return signFor(departmentKey(dept), dept, 'GET', pathAndQuery, '', ts);
}

export async function eventually<T>(what: string, f: () => Promise<T | undefined>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Run SQL on the edge's local D1 directly (the state `cargo xtask test`
 *  persists), for stored state no API call can make: an application written
 *  under an older catalog. Returns the rows of the last statement. The
 *  statements must be safe to run twice: a failed attempt is retried. */
export function d1(sql: string): any[] {
  const persist = process.env.BANSHI_PERSIST;
  if (!persist) throw new Error('BANSHI_PERSIST is not set (run through cargo xtask test)');
  const root = resolve(__dirname, '../..');
  for (let attempt = 0; ; attempt++) {
    try {
      const out = execFileSync(
        resolve(root, 'node_modules/.bin/wrangler'),
        ['d1', 'execute', 'DB', '--local', '--persist-to', persist, '--json', '--command', sql],
        { cwd: resolve(root, 'edge'), env: { ...process.env, CI: 'true', SKIP_WORKER_BUILD: '1' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      return JSON.parse(out).at(-1)?.results ?? [];
    } catch (e: any) {
      const said = String(e.stderr ?? '') + String(e.stdout ?? '');
      // A mistake in the SQL itself is the test's bug: say so at once.
      const wrong = /SQLITE_(ERROR|CONSTRAINT)|syntax error|no such (table|column)|constraint failed/i.test(said);
      // Anything else is the tool, not the statement: the edge holding the
      // database a moment (SQLITE_BUSY), or wrangler's own workerd dying on
      // a broken pipe under load (seen once in CI). Callers write statements
      // that are safe to run twice (INSERT OR IGNORE, UPDATE), so try again.
      if (wrong || attempt >= 8) {
        throw new Error(`wrangler d1 execute failed (attempt ${attempt + 1}): ${said.slice(-2000) || e.message}`);
      }
      execFileSync('sleep', [said.includes('SQLITE_BUSY') ? '0.5' : '2']);
    }
  }
}

/** A SQL string literal. */
export function sql(s: string) {
  return `'${s.replaceAll("'", "''")}'`;
}
