// The relay under department faults: down for a while then back, and a
// maintenance window. Items are delayed, never lost, never duplicated, and
// the resident sees why.
import { expect, test } from '@playwright/test';
import { SANDBOX, SSC, eventually, scenario, signIn, submit, resetScenarios } from './helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

async function relayOf(s: Awaited<ReturnType<typeof signIn>>, id: string) {
  const v = await (await s.api.get(`/api/applications/${id}`)).json();
  return v.items[0];
}

test('a department down for a while and then back gets every item exactly once', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-wang-xiuying');
  const body = { ...SSC, fields: { 'cardholder.name': '王秀英', 'cardholder.id_number': '110101195209182029', 'applicant.phone': '13700137000' } };
  await scenario(s.api, 'hrss', { down: true, step_ms: 300 });
  let apps: any[] = [];
  try {
    apps = [await (await submit(s, body)).json(), await (await submit(s, body)).json()];
    for (const a of apps) {
      const item = await eventually('the resident sees "delayed, we keep trying"', async () => {
        const it = await relayOf(s, a.id);
        return it.relay === 'retrying' ? it : undefined;
      });
      expect(item.status).toBe('submitted');
    }
  } finally {
    await scenario(s.api, 'hrss', { step_ms: 300 });
  }
  const received = await eventually(
    'both delivered after recovery',
    async () => {
      const r = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
      const mine = r.filter((x: any) => apps.some((a) => a.items[0].id === x.external_id));
      return mine.length === 2 ? mine : undefined;
    },
    60_000,
  );
  expect(received.map((x: any) => x.deliveries)).toEqual([1, 1]);
  for (const a of apps) {
    await eventually('accepted', async () => ((await relayOf(s, a.id)).status !== 'submitted' ? true : undefined), 20_000);
    expect((await relayOf(s, a.id)).relay).toBe('delivered');
  }
});

test('a maintenance window holds items and tells the resident, then sends them', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-zhao-min');
  const body = { ...SSC, fields: { 'cardholder.name': '赵敏', 'cardholder.id_number': '11010119800520201X', 'applicant.phone': '13600136000' } };
  await scenario(s.api, 'hrss', { maintenance: true, step_ms: 300 });
  let app: any;
  try {
    app = await (await submit(s, body)).json();
    await eventually('held for maintenance', async () => ((await relayOf(s, app.id)).relay === 'held' ? true : undefined));
  } finally {
    await scenario(s.api, 'hrss', { step_ms: 300 });
  }
  await eventually('sent after maintenance and accepted', async () => {
    const it = await relayOf(s, app.id);
    return it.relay === 'delivered' && it.status !== 'submitted' ? true : undefined;
  }, 60_000);
  const r = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
  expect(r.find((x: any) => x.external_id === app.items[0].id).deliveries).toBe(1);
});
