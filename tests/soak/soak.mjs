// The soak (issue 12): N submissions of multi-item events while the sandbox
// departments fail 30% of relays (5xx, or the answer lost as in a timeout),
// drop, repeat and reorder webhooks and go into maintenance for a while; the
// edge is restarted under it by `cargo xtask soak` (which reads the
// `progress` lines). Then the edge's D1 is compared with the departments'
// own records: every item arrived exactly once, every department status
// reached the resident's timeline, nothing is stuck without a visible reason.
//
// Env: BANSHI_URL, SANDBOX_URL, BANSHI_PERSIST, DEPARTMENT_KEYS (unused here),
//      SOAK_SUBMISSIONS (default 1000), SOAK_SETTLE_SECS (default 600).
import { execFileSync } from 'node:child_process';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signIn as signInAt } from '../schemathesis/session.mjs';

const BASE = process.env.BANSHI_URL;
const SANDBOX = process.env.SANDBOX_URL;
const PERSIST = process.env.BANSHI_PERSIST;
const N = Number(process.env.SOAK_SUBMISSIONS ?? 1000);
const SETTLE_SECS = Number(process.env.SOAK_SETTLE_SECS ?? 600);
const WORKERS = 8;
const CRON = { authorization: 'Bearer local-cron-token' };
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0xff, 0xd9]);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const say = (line) => process.stdout.write(`${line}\n`);

/** fetch that treats a refused connection (the edge restarting) as "try again". */
async function call(url, init = {}, tries = 180) {
  for (let i = 0; ; i++) {
    try {
      const r = await fetch(url, init);
      if (r.status >= 500 && i < tries) {
        await sleep(1000);
        continue;
      }
      return r;
    } catch (e) {
      if (i >= tries) throw e;
      await sleep(1000);
    }
  }
}

const signIn = (resident) => signInAt(BASE, SANDBOX, resident, call);

const NEWBORN = {
  event_id: 'newborn',
  answers: { 'born-in-hospital': true, 'parents-married': true, 'register-with': 'father', 'parents-same-ethnicity': true, 'mother-insurance': 'employee' },
  fields: {
    'child.name': '张小宝', 'child.sex': 'male', 'child.birth_date': '2026-11-01',
    'mother.name': '李娜', 'mother.id_number': '110101198706123023', 'father.name': '张伟', 'father.id_number': '110101198503074516',
    'household.head_name': '张伟', 'child.insurance_address': '北京市东城区东华门街道1号', 'mother.bank_card': '6228480402564890018',
    'applicant.phone': '13900139000',
  },
};
const RETIREMENT = {
  event_id: 'retirement',
  answers: { 'reached-age': true, 'needs-file-review': false, 'one-child': false, 'local-hukou': true, 'has-housing-fund': true },
  fields: {
    'applicant.name': '王秀英', 'applicant.id_number': '110101195209182029', 'applicant.phone': '13700137000',
    'housing_fund.centre': '北京住房公积金管理中心', 'applicant.bank_card': '6222021234567890128',
  },
};
const EVENTS = [NEWBORN, RETIREMENT];
const RESIDENTS = ['r-zhang-wei', 'r-li-na', 'r-wang-xiuying', 'r-zhao-min', 'r-chen-jie', 'r-zhang-xiaobao'];

/** A photo of each material the event needs (what its 422 names), once per resident. */
async function materialsFor(s, body) {
  const probe = await call(`${BASE}/api/applications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf, 'idempotency-key': `probe-${Date.now()}-${Math.random().toString(36).slice(2)}`, cookie: s.cookie() },
    body: JSON.stringify({ ...body, materials: { 'no-such-material': { kind: 'deferred' } } }),
  });
  const needed = (await probe.json()).error.fields.map((f) => f.field.replace('materials.', '')).filter((m) => m !== 'no-such-material');
  const out = {};
  for (const m of needed) {
    const r = await call(`${BASE}/api/attachments?name=${m}.jpg`, {
      method: 'POST',
      headers: { 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream', 'idempotency-key': `soak-photo-${m}`, cookie: s.cookie() },
      body: JPEG,
    });
    out[m] = { kind: 'upload', attachments: [(await r.json()).id] };
  }
  return out;
}

async function sandboxPut(path, data) {
  const r = await call(`${SANDBOX}${path}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(data) });
  if (r.status !== 204) throw new Error(`${path}: ${r.status}`);
}

const FAULTS = {
  step_ms: 300,
  error_rate: 0.2,
  lost_answer_rate: 0.1,
  webhook_drop_rate: 0.1,
  webhook_duplicate_rate: 0.1,
  webhook_delay_rate: 0.1,
};

/** Read the edge's D1 directly; the edge may hold a write lock a moment. */
async function d1(sql) {
  for (let i = 0; ; i++) {
    try {
      return d1Once(sql);
    } catch (e) {
      // Under a backlog the edge can hold it for a while: keep asking.
      if (i >= 120 || !String(e.stderr ?? e.message).includes('SQLITE_BUSY')) throw e;
      await sleep(1000);
    }
  }
}

function d1Once(sql) {
  const out = execFileSync(
    resolve(ROOT, 'node_modules/.bin/wrangler'),
    ['d1', 'execute', 'DB', '--local', '--persist-to', PERSIST, '--json', '--command', sql],
    { cwd: resolve(ROOT, 'edge'), env: { ...process.env, CI: 'true', SKIP_WORKER_BUILD: '1' }, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return JSON.parse(out).at(-1)?.results ?? [];
}

async function cron(at) {
  try {
    await fetch(`${BASE}/api/ops/cron${at ? `?time=${at}` : ''}`, { method: 'POST', headers: CRON });
  } catch {
    // The edge is restarting: the next tick will do.
  }
}

/** Every soak item as the edge holds it and as its department does. */
async function compare(final) {
  const rows = await d1(`SELECT i.id, i.department, i.status, i.relay_state, i.withdraw_state,
      (SELECT group_concat(status, ',') FROM (SELECT status FROM item_timeline t
         WHERE t.item_row_id = i.id AND t.kind = 'status' AND t.status <> 'submitted' ORDER BY t.at, t.seq)) AS statuses
    FROM application_items i JOIN applications a ON a.id = i.application_id
    WHERE a.idempotency_key LIKE 'soak-%'`);
  const apps = (await d1(`SELECT COUNT(*) AS n, COUNT(DISTINCT resident_id || idempotency_key) AS keys FROM applications WHERE idempotency_key LIKE 'soak-%'`))[0];
  const depts = [...new Set(rows.map((r) => r.department))];
  const held = new Map();
  for (const d of depts) {
    const list = await (await call(`${SANDBOX}/_sandbox/departments/${d}/received`)).json();
    for (const rec of list) held.set(rec.external_id, rec);
  }
  const counts = { applications: apps.n, items: rows.length, arrived: 0, lost: 0, duplicated: 0, settled: 0, stuck_with_reason: 0, stuck_silently: 0, relay_attempts: 0, updates: 0 };
  const stuck = [];
  for (const r of rows) {
    const rec = held.get(r.id);
    if (!rec) {
      if (['following_up', 'held'].includes(r.relay_state)) counts.stuck_with_reason++;
      else if (final) { counts.lost++; stuck.push({ id: r.id, why: 'never arrived', relay: r.relay_state }); }
      continue;
    }
    counts.arrived++;
    counts.relay_attempts += rec.deliveries;
    const want = rec.updates.map((u) => u.status);
    counts.updates += want.length;
    const have = (r.statuses ?? '').split(',').filter(Boolean);
    const repeats = (xs) => xs.some((x, i) => i > 0 && xs[i - 1] === x);
    if (repeats(have) || repeats(want) || have.length > want.length) {
      counts.duplicated++;
      stuck.push({ id: r.id, why: 'duplicated', have, want });
      continue;
    }
    if (rec.finished && have.join() === want.join()) {
      counts.settled++;
    } else if (['following_up', 'held'].includes(r.relay_state) || r.withdraw_state) {
      counts.stuck_with_reason++;
    } else if (final) {
      counts.stuck_silently++;
      stuck.push({ id: r.id, why: 'not settled', have, want, finished: rec.finished });
    }
  }
  if (apps.n !== apps.keys || apps.n > N) counts.duplicated += apps.n - Math.min(apps.keys, N);
  return { counts, stuck: stuck.slice(0, 20) };
}

async function main() {
  const started = Date.now();
  await call(`${SANDBOX}/_sandbox/reset`, { method: 'POST' });
  const departments = ['health', 'maternity-hospital', 'cdc', 'police', 'medical-security', 'tax', 'hrss', 'housing-fund'];
  for (const d of departments) await sandboxPut(`/_sandbox/departments/${d}/scenario`, { ...FAULTS, no_webhook: d === 'housing-fund' });
  const sessions = [];
  for (const r of RESIDENTS) sessions.push(await signIn(r));
  const materials = new Map();
  for (const s of sessions) for (const e of EVENTS) materials.set(`${s.resident}/${e.event_id}`, await materialsFor(s, e));
  say(`ready ${sessions.length} residents`);

  // Cron each few seconds while submitting (sweeper, polls, outboxes), as Cloudflare would each minute.
  let submitting = true;
  const ticker = (async () => { while (submitting) { await cron(); await sleep(3000); } })();

  let next = 0;
  let done = 0;
  let created = 0;
  let replayed = 0;
  let reported = 0;
  const windowAt = Math.floor(N / 2);
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= N) return;
      if (i === windowAt) {
        // A maintenance window on two departments for 20 s.
        const now = Date.now();
        const window = { starts_at: new Date(now).toISOString(), ends_at: new Date(now + 20_000).toISOString(), notice: { zh: '系统升级', en: 'Upgrade' } };
        for (const d of ['police', 'hrss']) await sandboxPut(`/_sandbox/departments/${d}/scenario`, { ...FAULTS, maintenance_windows: [window] });
      }
      const s = sessions[i % sessions.length];
      const event = EVENTS[i % EVENTS.length];
      const body = { ...event, materials: materials.get(`${s.resident}/${event.event_id}`) };
      const key = `soak-${String(i).padStart(6, "0")}`;
      for (let attempt = 0; ; attempt++) {
        const r = await call(`${BASE}/api/applications`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf, 'idempotency-key': key, cookie: s.cookie() },
          body: JSON.stringify(body),
        });
        if (r.status === 201) { created++; break; }
        if (r.status === 200) { replayed++; break; }
        throw new Error(`submission ${i}: ${r.status} ${await r.text()}`);
      }
      done++;
      const pct = Math.floor((done * 100) / N);
      if (pct >= reported + 5) {
        reported = pct;
        say(`progress ${done}/${N}`);
      }
    }
  };
  await Promise.all(Array.from({ length: WORKERS }, worker));
  const submittedIn = (Date.now() - started) / 1000;
  say(`submitted ${N} in ${submittedIn.toFixed(0)} s (${created} created, ${replayed} answered as replays after a retry)`);
  submitting = false;
  await ticker;

  // Settle: the cron runs "later and later" (each tick 11 minutes on), so
  // quiet items are reconciled by polls and lost jobs swept, while the
  // departments finish their walks.
  const deadline = Date.now() + SETTLE_SECS * 1000;
  let tick = 0;
  let result;
  for (;;) {
    for (let k = 0; k < 5; k++) {
      tick++;
      await cron(Date.now() + tick * 11 * 60_000);
      await sleep(1000);
    }
    result = await compare(false);
    const c = result.counts;
    say(`settling: ${c.settled}/${c.items} settled, ${c.arrived} arrived, ${c.duplicated} duplicated, ${c.stuck_with_reason} waiting with a reason`);
    if (c.settled + c.stuck_with_reason === c.items || Date.now() > deadline) break;
  }
  result = await compare(true);
  const summary = {
    submissions: N,
    residents: RESIDENTS.length,
    events: EVENTS.map((e) => e.event_id),
    faults: FAULTS,
    created,
    replayed,
    submitted_secs: Math.round(submittedIn),
    total_secs: Math.round((Date.now() - started) / 1000),
    ...result.counts,
    examples: result.stuck,
  };
  say(`result ${JSON.stringify(summary)}`);
  const ok = summary.lost === 0 && summary.duplicated === 0 && summary.stuck_silently === 0 && summary.applications === N;
  process.exit(ok ? 0 : 1);
}

main().catch((e) => {
  say(`error ${e.stack ?? e}`);
  process.exit(2);
});
