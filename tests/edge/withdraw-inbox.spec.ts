// Withdrawing an item before 受理 (and not after), and the inbox of status
// messages with read marks. Black-box against workerd + the sandbox.
import { expect, test } from '@playwright/test';
import { SANDBOX, SSC, eventually, scenario, signIn, submit, resetScenarios, cron } from './helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

const ZHANG = { ...SSC };

test('an item can be withdrawn before the department accepts it, and the department is told', async () => {
  const s = await signIn('r-zhang-wei');
  await scenario(s.api, 'hrss', { script: [], step_ms: 300 });
  try {
    const app = await (await submit(s, ZHANG)).json();
    const item = app.items[0].id;
    await eventually('relayed', async () => {
      const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
      return v.items[0].relay === 'delivered' ? true : undefined;
    });
    const noCsrf = await s.api.post(`/api/applications/${app.id}/items/${item}/withdraw`);
    expect(noCsrf.status()).toBe(403);
    const r = await s.api.post(`/api/applications/${app.id}/items/${item}/withdraw`, { headers: { 'x-csrf-token': s.csrf } });
    expect(r.status()).toBe(200);
    const view = await r.json();
    expect(view.items[0].status).toBe('withdrawn');
    expect(view.items[0].timeline.at(-1).title.zh).toBe('已撤回');
    expect(view.overall.finished).toBe(1);
    const received = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
    expect(received.find((x: any) => x.external_id === item).withdrawn).toBe(true);
    // The confirmation is texted too (by the next cron run).
    await cron();
    const inbox = await (await s.api.get('/api/inbox')).json();
    const confirmation = inbox.messages.find((m: any) => m.application_id === app.id && m.status === 'withdrawn');
    expect(confirmation.sms).toBe('delivered');
    // Twice is not possible, and nobody else can try.
    const again = await s.api.post(`/api/applications/${app.id}/items/${item}/withdraw`, { headers: { 'x-csrf-token': s.csrf } });
    expect(again.status()).toBe(409);
    const chen = await signIn('r-chen-jie');
    const foreign = await chen.api.post(`/api/applications/${app.id}/items/${item}/withdraw`, { headers: { 'x-csrf-token': chen.csrf } });
    expect(foreign.status()).toBe(404);
  } finally {
    await scenario(s.api, 'hrss', { step_ms: 300 });
  }
});

test('after 受理 an item cannot be withdrawn online, and the resident is told whom to ask', async () => {
  const s = await signIn('r-zhang-wei');
  const app = await (await submit(s, ZHANG)).json();
  await eventually('accepted', async () => {
    const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
    return v.items[0].status !== 'submitted' ? true : undefined;
  });
  const r = await s.api.post(`/api/applications/${app.id}/items/${app.items[0].id}/withdraw`, { headers: { 'x-csrf-token': s.csrf } });
  expect(r.status()).toBe(409);
  const err = (await r.json()).error;
  expect(err.code).toBe('cannot_withdraw');
  expect(err.message.zh).toContain('12345');
});

test('the inbox lists status messages newest first and remembers what was read', async () => {
  const s = await signIn('r-li-na');
  const body = { ...SSC, fields: { 'cardholder.name': '李娜', 'cardholder.id_number': '110101198706123023', 'applicant.phone': '13900139000' } };
  const app = await (await submit(s, body)).json();
  const inbox = await eventually('an acceptance message', async () => {
    const b = await (await s.api.get('/api/inbox')).json();
    return b.messages.some((m: any) => m.application_id === app.id && m.status === 'accepted') ? b : undefined;
  });
  expect(inbox.unread).toBeGreaterThan(0);
  const seqs = inbox.messages.map((m: any) => m.seq);
  expect([...seqs].sort((a: number, b: number) => b - a)).toEqual(seqs);
  expect(inbox.messages[0].event_name.zh).toBe('社会保障卡居民服务');
  const seen = await s.api.post('/api/inbox/seen', { data: { up_to: seqs[0] }, headers: { 'x-csrf-token': s.csrf } });
  expect(seen.status()).toBe(200);
  const after = await (await s.api.get('/api/inbox')).json();
  expect(after.messages.filter((m: any) => m.seq <= seqs[0]).every((m: any) => !m.unread)).toBe(true);
  // Other residents' messages never show up.
  const chen = await signIn('r-chen-jie');
  const theirs = await (await chen.api.get('/api/inbox')).json();
  expect(theirs.messages.some((m: any) => m.application_id === app.id)).toBe(false);
});
