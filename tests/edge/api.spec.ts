// The edge's HTTP API on workerd: catalog, calendar, sign-in, submission
// (validation, idempotency, scoping), relay to the department and the signed
// status webhook coming back. Every error is JSON with a 4xx, never a panic.
import { expect, request, test } from '@playwright/test';
import { BASE, SSC, d1, eventually, key, scenario, signIn, sql, submit, webhook, resetScenarios } from './helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

test.describe('catalog and calendar', () => {
  test('lists the events and serves each with an ETag that revalidates', async () => {
    const api = await request.newContext({ baseURL: BASE });
    const r = await api.get('/api/events');
    expect(r.status()).toBe(200);
    const body = await r.json();
    const names = body.events.map((e: any) => e.name.zh);
    expect(names).toContain('社会保障卡居民服务');
    expect(body.events.length).toBeGreaterThanOrEqual(13);
    const etag = r.headers()['etag'];
    expect(etag).toBeTruthy();
    const again = await api.get('/api/events', { headers: { 'if-none-match': etag } });
    expect(again.status()).toBe(304);
    const one = await api.get('/api/events/social-security-card');
    expect((await one.json()).event.items.map((i: any) => i.id)).toContain('ssc-apply');
  });

  test('an event placed in one of two lists is labelled with their years, and its page names both lists', async () => {
    const api = await request.newContext({ baseURL: BASE });
    const list = await (await api.get('/api/events')).json();
    const loan = list.events.find((e: any) => e.id === 'housing-fund-loan');
    expect(loan.batch.zh).toBe('国家重点事项（2024—2025年）');
    const single = list.events.find((e: any) => e.id === 'car-trade-in');
    expect(single.batch.zh).toBe('2025年第一批');
    const page = await (await api.get('/api/events/housing-fund-loan')).json();
    expect(page.batch.zh).toContain('国办函〔2024〕53号或国办函〔2025〕3号');
    expect(page.batch.zh).toContain('具体哪一批尚未查明');
    expect(page.event.batch).toBeUndefined();
    expect(page.event.batch_one_of).toEqual(['2024-2', '2025-1']);
  });

  test('unknown events, routes and methods are JSON errors', async () => {
    const api = await request.newContext({ baseURL: BASE });
    for (const [method, path, status, code] of [
      ['get', '/api/events/no-such-event', 404, 'not_found'],
      ['get', '/api/no-such-route', 404, 'no_such_route'],
      ['delete', '/api/events', 405, 'method_not_allowed'],
    ] as const) {
      const r = await (api as any)[method](path);
      expect(r.status(), path).toBe(status);
      expect(r.headers()['content-type']).toContain('application/json');
      expect((await r.json()).error.code).toBe(code);
    }
  });

  test('the OpenAPI document describes exactly the routes that exist', async () => {
    const api = await request.newContext({ baseURL: BASE });
    const spec = await (await api.get('/api/openapi.json')).json();
    expect(spec.openapi).toBe('3.1.0');
    for (const [path, ops] of Object.entries<any>(spec.paths)) {
      for (const method of Object.keys(ops)) {
        const url = path.replace(/\{[^}]+\}/g, 'x');
        const r = await api.fetch(url, { method, maxRedirects: 0 });
        const body = r.headers()['content-type']?.includes('json') ? await r.json().catch(() => ({})) : {};
        expect(body?.error?.code, `${method.toUpperCase()} ${path} is routed`).not.toBe('no_such_route');
        expect(r.status(), `${method.toUpperCase()} ${path}`).not.toBe(405);
      }
    }
  });

  test('counts working days by the official calendar and marks unknown years as estimates', async () => {
    const api = await request.newContext({ baseURL: BASE });
    expect(await (await api.get('/api/calendar/due?from=2026-09-30&working_days=5')).json()).toEqual({
      due: '2026-10-13',
      estimated: false,
    });
    expect(await (await api.get('/api/calendar/due?from=2026-02-13&working_days=2')).json()).toEqual({
      due: '2026-02-24',
      estimated: false,
    });
    expect(await (await api.get('/api/calendar/due?from=2026-12-30&working_days=3')).json()).toEqual({
      due: '2027-01-04',
      estimated: true,
    });
    const bad = await api.get('/api/calendar/due?from=yesterday&working_days=-1');
    expect(bad.status()).toBe(400);
    const fields = (await bad.json()).error.fields.map((f: any) => f.field);
    expect(fields).toEqual(['from', 'working_days']);
  });
});

test.describe('sign-in and scoping', () => {
  test('the session cookie is HttpOnly and SameSite, and the page never sees a token', async () => {
    const s = await signIn('r-zhang-wei');
    const state = await s.api.storageState();
    const cookie = state.cookies.find((c) => c.name === 'banshi_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const session = await (await s.api.get('/api/session')).json();
    expect(session.resident.name_masked).toBe('张*');
    expect(session.resident.id_number_masked).toBe('1101**********4516');
    expect(JSON.stringify(session)).not.toContain('access_token');
  });

  test('a callback without the browser-bound state is refused', async () => {
    const api = await request.newContext({ baseURL: BASE });
    const r = await api.get('/api/auth/callback?code=abc&state=forged', { maxRedirects: 0 });
    expect(r.status()).toBe(403);
  });

  test('submitting without signing in is 401, without the CSRF token 403', async () => {
    const anon = await request.newContext({ baseURL: BASE });
    const r = await anon.post('/api/applications', { data: SSC, headers: { 'idempotency-key': key() } });
    expect(r.status()).toBe(401);
    expect((await r.json()).error.code).toBe('unauthenticated');
    const s = await signIn('r-zhang-wei');
    const noCsrf = await s.api.post('/api/applications', { data: SSC, headers: { 'idempotency-key': key() } });
    expect(noCsrf.status()).toBe(403);
  });

  test("another resident's application is a 404, not a 403", async () => {
    const zhang = await signIn('r-zhang-wei');
    const created = await submit(zhang, SSC);
    expect(created.status()).toBe(201);
    const id = (await created.json()).id;
    const chen = await signIn('r-chen-jie');
    const r = await chen.api.get(`/api/applications/${id}`);
    expect(r.status()).toBe(404);
    const list = await (await chen.api.get('/api/applications')).json();
    expect(list.applications.map((a: any) => a.id)).not.toContain(id);
  });
});

test.describe('submission', () => {
  test('malformed, mistyped and oversized bodies get clear 4xx errors', async () => {
    const s = await signIn('r-zhang-wei');
    const post = (data: string, headers: Record<string, string> = {}) =>
      s.api.post('/api/applications', {
        data,
        headers: { 'content-type': 'application/json', 'x-csrf-token': s.csrf, 'idempotency-key': key(), ...headers },
      });
    let r = await post('{"event_id": ');
    expect(r.status()).toBe(400);
    expect((await r.json()).error.code).toBe('malformed_json');
    r = await post('{"event_id": 42, "answers": "yes"}');
    expect(r.status()).toBe(400);
    expect((await r.json()).error.code).toBe('malformed_json');
    r = await post(JSON.stringify({ ...SSC, fields: { x: 'a'.repeat(70_000) } }));
    expect(r.status()).toBe(413);
    r = await post(JSON.stringify(SSC), { 'content-type': 'text/plain' });
    expect(r.status()).toBe(415);
    r = await s.api.post('/api/applications', { data: SSC, headers: { 'x-csrf-token': s.csrf } });
    expect(r.status()).toBe(400);
    expect((await r.json()).error.code).toBe('idempotency_key_required');
  });

  test('invalid fields are a 422 naming each field in Chinese and English', async () => {
    const s = await signIn('r-zhang-wei');
    const r = await submit(s, { ...SSC, fields: { ...SSC.fields, 'applicant.phone': '12345', 'cardholder.id_number': '110101198503074510' } });
    expect(r.status()).toBe(422);
    const err = (await r.json()).error;
    expect(err.code).toBe('invalid_fields');
    const byField = Object.fromEntries(err.fields.map((f: any) => [f.field, f.message]));
    expect(byField['applicant.phone'].zh).toContain('手机号码');
    expect(byField['applicant.phone'].en).toContain('Mobile number');
    expect(byField['cardholder.id_number'].zh).toContain('校验位');
    const incomplete = await submit(s, { ...SSC, answers: {} });
    expect(incomplete.status()).toBe(422);
    expect((await incomplete.json()).error.fields[0].field).toBe('answers.has-card');
  });

  test('the same idempotency key returns the same application and creates nothing new', async () => {
    const s = await signIn('r-zhang-wei');
    const k = key();
    const first = await submit(s, SSC, k);
    expect(first.status()).toBe(201);
    const again = await submit(s, SSC, k);
    expect(again.status()).toBe(200);
    expect(again.headers()['idempotent-replayed']).toBe('true');
    expect((await again.json()).id).toBe((await first.json()).id);
    const other = await submit(s, { ...SSC, fields: { ...SSC.fields, 'delivery.address': '北京市东城区1号' } }, k);
    expect(other.status()).toBe(409);
  });

  test('two concurrent submits with one key make one application', async () => {
    const s = await signIn('r-li-na');
    const before = (await (await s.api.get('/api/applications')).json()).applications.length;
    const k = key();
    const body = { ...SSC, fields: { ...SSC.fields, 'cardholder.name': '李娜', 'cardholder.id_number': '110101198706123023' } };
    const results = await Promise.all(Array.from({ length: 6 }, () => submit(s, body, k)));
    const ids = new Set(await Promise.all(results.map(async (r) => (await r.json()).id)));
    expect(results.map((r) => r.status()).filter((c) => c === 201)).toHaveLength(1);
    expect(ids.size).toBe(1);
    const after = (await (await s.api.get('/api/applications')).json()).applications.length;
    expect(after).toBe(before + 1);
  });
});

test.describe('relay and status intake', () => {
  test('one submission reaches the department once and comes back 已受理 with a due date', async () => {
    const s = await signIn('r-wang-xiuying');
    const body = { ...SSC, fields: { 'cardholder.name': '王秀英', 'cardholder.id_number': '110101195209182029', 'applicant.phone': '13700137000' } };
    const app = await (await submit(s, body)).json();
    const item = app.items[0];
    expect(item.status).toBe('submitted');
    expect(item.timeline[0].title.zh).toContain('已提交');
    const accepted = await eventually('the item is accepted', async () => {
      const view = await (await s.api.get(`/api/applications/${app.id}`)).json();
      const it = view.items[0];
      return it.timeline.some((e: any) => e.status === 'accepted') ? { view, it } : undefined;
    });
    expect(accepted.it.relay).toBe('delivered');
    expect(accepted.it.due).not.toBeNull();
    expect(accepted.it.department.zh).toBe('人力资源社会保障部门');
    const entry = accepted.it.timeline.find((e: any) => e.status === 'accepted');
    expect(entry.body.zh).toContain('受理不等于办结');
    expect(entry.body.zh).toContain('30个工作日');
    const received = await (await s.api.get(`${process.env.SANDBOX_URL}/_sandbox/departments/hrss/received`)).json();
    const mine = received.filter((r: any) => r.external_id === item.id);
    expect(mine).toHaveLength(1);
    expect(mine[0].deliveries).toBe(1);
  });

  test('webhooks with a bad signature or a stale timestamp are refused', async () => {
    const api = await request.newContext();
    const update = { update_id: `u-${key()}`, external_id: 'Inone', status: 'accepted', at: new Date().toISOString() };
    const body = JSON.stringify(update);
    const forged = await api.post(`${BASE}/api/webhooks/departments/hrss`, {
      data: body,
      headers: { 'content-type': 'application/json', 'x-banshi-timestamp': String(Math.floor(Date.now() / 1000)), 'x-banshi-signature': 'ab'.repeat(32) },
    });
    expect(forged.status()).toBe(401);
    expect((await forged.json()).error.code).toBe('bad_signature');
    const stale = await webhook(api, 'hrss', update, Math.floor(Date.now() / 1000) - 3600);
    expect(stale.status()).toBe(401);
    const unsigned = await api.post(`${BASE}/api/webhooks/departments/hrss`, { data: update });
    expect(unsigned.status()).toBe(401);
    const unknown = await webhook(api, 'hrss', update);
    expect(unknown.status()).toBe(404);
  });

  test('out-of-order and repeated callbacks settle in order, each applied once', async () => {
    const s = await signIn('r-zhao-min');
    await scenario(s.api, 'hrss', { script: [], step_ms: 300 });
    try {
      const body = { ...SSC, fields: { 'cardholder.name': '赵敏', 'cardholder.id_number': '11010119800520201X', 'applicant.phone': '13600136000' } };
      const app = await (await submit(s, body)).json();
      const id = app.items[0].id;
      await eventually('relayed', async () => {
        const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
        return v.items[0].relay === 'delivered' ? true : undefined;
      });
      const t0 = Date.now();
      const review = { update_id: `${id}-2`, external_id: id, status: 'under_review', at: new Date(t0 + 2000).toISOString() };
      const accept = { update_id: `${id}-1`, external_id: id, status: 'accepted', at: new Date(t0 + 1000).toISOString() };
      // Review arrives first: it cannot follow "submitted", so it is held.
      expect(await (await webhook(s.api, 'hrss', review)).json()).toEqual({ result: 'held' });
      // Acceptance arrives: applied, and the held review right after it.
      expect(await (await webhook(s.api, 'hrss', accept)).json()).toEqual({ result: 'applied' });
      // A redelivery changes nothing.
      expect(await (await webhook(s.api, 'hrss', accept)).json()).toEqual({ result: 'duplicate' });
      // An older status with a new id is stale.
      const late = { update_id: `${id}-late`, external_id: id, status: 'accepted', at: new Date(t0 + 1500).toISOString() };
      expect(await (await webhook(s.api, 'hrss', late)).json()).toEqual({ result: 'stale' });
      const view = await (await s.api.get(`/api/applications/${app.id}`)).json();
      expect(view.items[0].status).toBe('under_review');
      expect(view.items[0].timeline.map((e: any) => e.status)).toEqual(['submitted', 'accepted', 'under_review']);
      // Another department cannot move this item.
      const foreign = await webhook(s.api, 'police', { ...review, update_id: `${id}-x` });
      expect(foreign.status()).toBe(404);
    } finally {
      await scenario(s.api, 'hrss', { step_ms: 300 });
    }
  });

  test('a step reported after a later one joins the timeline where it happened, without moving the item back or a second text', async () => {
    const s = await signIn('r-zhao-min');
    await scenario(s.api, 'hrss', { script: [], step_ms: 300 });
    try {
      const body = { ...SSC, fields: { 'cardholder.name': '赵敏', 'cardholder.id_number': '11010119800520201X', 'applicant.phone': '13600136000' } };
      const app = await (await submit(s, body)).json();
      const id = app.items[0].id;
      await eventually('relayed', async () => {
        const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
        return v.items[0].relay === 'delivered' ? true : undefined;
      });
      const t0 = Date.now();
      const at = (ms: number) => new Date(t0 + ms).toISOString();
      const accept = { update_id: `${id}-1`, external_id: id, status: 'accepted', at: at(1000) };
      const review = { update_id: `${id}-2`, external_id: id, status: 'under_review', at: at(2000) };
      const approve = { update_id: `${id}-3`, external_id: id, status: 'approved', at: at(3000) };
      expect(await (await webhook(s.api, 'hrss', accept)).json()).toEqual({ result: 'applied' });
      // The review's callback was lost; approval may follow acceptance directly.
      expect(await (await webhook(s.api, 'hrss', approve)).json()).toEqual({ result: 'applied' });
      // The review turns up later (a retry, or a poll of the department's log).
      expect(await (await webhook(s.api, 'hrss', review)).json()).toEqual({ result: 'stale' });
      expect(await (await webhook(s.api, 'hrss', review)).json()).toEqual({ result: 'duplicate' });
      const view = await (await s.api.get(`/api/applications/${app.id}`)).json();
      expect(view.items[0].status).toBe('approved');
      expect(view.items[0].timeline.map((e: any) => e.status)).toEqual(['submitted', 'accepted', 'under_review', 'approved']);
      const texts = d1(`SELECT t.status, n.timeline_seq AS sms FROM item_timeline t
        LEFT JOIN notifications n ON n.timeline_seq = t.seq WHERE t.item_row_id = ${sql(id)} AND t.status IN ('approved', 'under_review')`);
      expect(texts.find((r) => r.status === 'approved')?.sms).not.toBeNull();
      expect(texts.find((r) => r.status === 'under_review')?.sms).toBeNull();
    } finally {
      await scenario(s.api, 'hrss', { step_ms: 300 });
    }
  });
});
