// A multi-item event end to end: 新生儿出生 becomes nine department items at
// seven departments; each is relayed once and walked by its department to
// the end, and the event is done only when every card is in hand.
import { expect, test } from '@playwright/test';
import { SANDBOX, SSC, eventually, scenario, signIn, submit, resetScenarios } from './helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

const NEWBORN = {
  event_id: 'newborn',
  answers: {
    'born-in-hospital': true,
    'parents-married': true,
    'register-with': 'father',
    'parents-same-ethnicity': true,
  },
  fields: {
    'child.name': '张小宝',
    'child.sex': 'male',
    'child.birth_date': '2026-11-01',
    'mother.name': '李娜',
    'mother.id_number': '110101198706123023',
    'father.name': '张伟',
    'father.id_number': '110101198503074516',
    'household.head_name': '张伟',
    'child.insurance_address': '北京市东城区东华门街道1号',
    'applicant.phone': '13900139000',
  },
};

test('a newborn application reaches every department once and ends 已送达 / 已办结 for all nine items', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-li-na');
  const created = await submit(s, NEWBORN);
  expect(created.status()).toBe(201);
  const app = await created.json();
  expect(app.items).toHaveLength(9);
  const departments = new Set(app.items.map((i: any) => i.department.zh));
  expect(departments.size).toBe(6);

  const done = await eventually(
    'every item finished',
    async () => {
      const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
      return v.overall.finished === v.overall.total ? v : undefined;
    },
    60_000,
  );
  expect(done.overall.headline.zh).toBe('全部9项已完成');
  const byItem = Object.fromEntries(done.items.map((i: any) => [i.item_id, i]));
  // Cards and certificates are finished only when they reach the resident.
  for (const card of ['birth-cert', 'vaccination-cert', 'hukou', 'ssc-apply']) {
    expect(byItem[card].status, card).toBe('delivered');
    expect(byItem[card].timeline.map((e: any) => e.status)).toContain('producing');
  }
  expect(byItem['hukou'].timeline.map((e: any) => e.status)).toContain('posted');
  expect(byItem['birth-cert'].timeline.map((e: any) => e.status)).toContain('ready_for_pickup');
  // Electronic results are finished when approved.
  expect(byItem['maternity-medical-costs'].status).toBe('approved');
  for (const item of done.items) {
    expect(item.timeline[0].status).toBe('submitted');
    expect(item.timeline.map((e: any) => e.status)).toContain('accepted');
  }
  // Each department got each of its items exactly once.
  for (const dept of ['health', 'maternity-hospital', 'police', 'medical-security', 'tax', 'hrss']) {
    const received = await (await s.api.get(`${SANDBOX}/_sandbox/departments/${dept}/received`)).json();
    const mine = received.filter((r: any) => done.items.some((i: any) => i.id === r.external_id));
    expect(mine.length, dept).toBeGreaterThan(0);
    for (const r of mine) expect(r.deliveries, `${dept} ${r.item_id}`).toBe(1);
  }
});

test('a refusal ends the item with the department\'s reason, and a refused event can still be rated', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-wang-xiuying');
  await scenario(s.api, 'hrss', { step_ms: 300, rejection_rate: 1 });
  const body = { ...SSC, fields: { 'cardholder.name': '王秀英', 'cardholder.id_number': '110101195209182029', 'applicant.phone': '13700137000' } };
  const app = await (await submit(s, body)).json();
  const item = await eventually('refused', async () => {
    const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
    return v.items[0].status === 'rejected' ? v : undefined;
  });
  const last = item.items[0].timeline.at(-1);
  expect(last.title.zh).toBe('未获批准');
  expect(last.body.zh).toContain('缴费年限不足');
  expect(item.overall.finished).toBe(1);
  expect(item.can_rate).toBe(true);
});
