// Issue 12: what a security review and a fault analysis found, one test per
// behaviour, each failing on the code before its fix.
import { expect, request, test } from '@playwright/test';
import {
  BASE, SANDBOX, SSC, eventually, scenario, sign, signFor, departmentKey, signIn, submit, webhook, resetScenarios,
  type Session,
} from './helpers';

test.beforeEach(async () => resetScenarios());

async function view(s: Session, id: string) {
  return (await s.api.get(`/api/applications/${id}`)).json();
}

async function received(dept: string, externalId: string) {
  const ctx = await request.newContext();
  const all = await (await ctx.get(`${SANDBOX}/_sandbox/departments/${dept}/received`)).json();
  return all.find((r: any) => r.external_id === externalId);
}

const NEWBORN = {
  event_id: 'newborn',
  answers: {
    'born-in-hospital': true,
    'parents-married': true,
    'register-with': 'father',
    'parents-same-ethnicity': true,
    'mother-insurance': 'employee',
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
    'mother.bank_card': '6228480402564890018',
    'applicant.phone': '13900139000',
  } as Record<string, string>,
};

test('a correction of one item cannot change the fields of another item', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-li-na');
  await scenario(s.api, 'police', { step_ms: 300, script: ['correction_required', 'accepted'] });
  const app = await (await submit(s, NEWBORN)).json();
  const hukou = app.items.find((i: any) => i.item_id === 'hukou');
  await eventually('the police ask for a correction', async () =>
    (await view(s, app.id)).items.find((i: any) => i.id === hukou.id).status === 'correction_required' ? true : undefined);
  const url = `/api/applications/${app.id}/items/${hukou.id}/resubmit`;
  const headers = { 'x-csrf-token': s.csrf };
  // The maternity allowance's bank card and the insurance address are not the police's.
  const sneaky = await s.api.post(url, {
    data: { fields: { 'household.head_name': '张伟', 'mother.bank_card': '6222021234567890128', 'child.insurance_address': '别处' } },
    headers,
  });
  expect(sneaky.status()).toBe(422);
  const named = (await sneaky.json()).error.fields.map((f: any) => f.field).sort();
  expect(named).toEqual(['child.insurance_address', 'mother.bank_card']);
  let v = await view(s, app.id);
  expect(v.fields['child.insurance_address']).toBe(NEWBORN.fields['child.insurance_address']);
  // Its own field is corrected as before.
  const ok = await s.api.post(url, { data: { fields: { 'household.head_name': '张大伟' } }, headers });
  expect(ok.status(), await ok.text()).toBe(200);
  v = await ok.json();
  expect(v.items.find((i: any) => i.id === hukou.id).status).toBe('submitted');
});

test('a signed call captured for one department or path is refused on another', async () => {
  const s = await signIn('r-zhao-min');
  await scenario(s.api, 'hrss', { step_ms: 300, script: [] });
  const body = { ...SSC, fields: { 'cardholder.name': '赵敏', 'cardholder.id_number': '11010119800520201X', 'applicant.phone': '13600136000' } };
  const app = await (await submit(s, body)).json();
  const id = app.items[0].id;
  await eventually('relayed', async () => ((await view(s, app.id)).items[0].relay === 'delivered' ? true : undefined));
  const update = JSON.stringify({ update_id: `${id}-a`, external_id: id, status: 'accepted', at: new Date().toISOString() });
  const api = await request.newContext();
  const hrssPath = '/api/webhooks/departments/hrss';
  const captured = sign('hrss', hrssPath, update);
  // Replayed to another department's webhook: its key and party differ.
  const police = await api.post(`${BASE}/api/webhooks/departments/police`, { data: update, headers: captured });
  expect(police.status()).toBe(401);
  // One department's key cannot sign for another.
  const forged = await api.post(`${BASE}${hrssPath}`, {
    data: update,
    headers: { 'content-type': 'application/json', ...signFor(departmentKey('police'), 'hrss', 'POST', hrssPath, update) },
  });
  expect(forged.status()).toBe(401);
  // Signed for another path of the same department, or as a GET.
  const otherPath = await api.post(`${BASE}${hrssPath}`, {
    data: update,
    headers: { 'content-type': 'application/json', ...signFor(departmentKey('hrss'), 'hrss', 'POST', '/api/webhooks/departments/hrss/x', update) },
  });
  expect(otherPath.status()).toBe(401);
  const asGet = await api.post(`${BASE}${hrssPath}`, {
    data: update,
    headers: { 'content-type': 'application/json', ...signFor(departmentKey('hrss'), 'hrss', 'GET', hrssPath, update) },
  });
  expect(asGet.status()).toBe(401);
  // The genuine call is applied.
  const genuine = await api.post(`${BASE}${hrssPath}`, { data: update, headers: captured });
  expect(await genuine.json()).toEqual({ result: 'applied' });
});

test('two departments using the same update id do not hide each other\'s update', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-li-na');
  for (const d of ['hrss', 'police']) await scenario(s.api, d, { step_ms: 300, script: [] });
  const app = await (await submit(s, NEWBORN)).json();
  await eventually('relayed', async () => ((await view(s, app.id)).items.every((i: any) => i.relay === 'delivered') ? true : undefined), 30_000);
  const item = (itemId: string) => app.items.find((i: any) => i.item_id === itemId).id;
  const same = `update-${Date.now()}`;
  const at = new Date().toISOString();
  for (const [dept, itemId] of [['hrss', 'ssc-apply'], ['police', 'hukou']]) {
    const r = await webhook(s.api, dept, { update_id: same, external_id: item(itemId), status: 'accepted', at });
    expect(await r.json(), dept).toEqual({ result: 'applied' });
  }
  const v = await view(s, app.id);
  for (const itemId of ['ssc-apply', 'hukou']) {
    expect(v.items.find((i: any) => i.item_id === itemId).status, itemId).toBe('accepted');
  }
});

test('a late answer to an older revision does not stop the corrected one from being relayed', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-wang-xiuying');
  // Every relay waits 4 s for its answer; the department walks nothing by itself.
  await scenario(s.api, 'hrss', { step_ms: 300, script: [], latency_ms: 4000 });
  const body = { ...SSC, fields: { 'cardholder.name': '王秀英', 'cardholder.id_number': '110101195209182029', 'applicant.phone': '13700137000' } };
  const app = await (await submit(s, body)).json();
  const id = app.items[0].id;
  // Revision 0 has reached the department; its answer is still on the way.
  await eventually('received', async () => ((await received('hrss', id)) ? true : undefined));
  // The department asks for a correction at once (before its answer arrives) …
  const ask = await webhook(s.api, 'hrss', {
    update_id: `${id}-c`, external_id: id, status: 'correction_required', at: new Date().toISOString(),
    corrections: [{ target: 'field:applicant.phone', reason: { zh: '号码停机', en: 'Number out of service' }, fix: { zh: '换一个', en: 'Use another' } }],
  });
  expect(await ask.json()).toEqual({ result: 'applied' });
  // … and the first try of revision 1 fails, so it is retried after revision 0's answer.
  await scenario(s.api, 'hrss', { step_ms: 300, script: [], latency_ms: 4000, fail_next: 1 });
  const resubmitted = await s.api.post(`/api/applications/${app.id}/items/${id}/resubmit`, {
    data: { fields: { 'applicant.phone': '13700137001' } },
    headers: { 'x-csrf-token': s.csrf },
  });
  expect(resubmitted.status(), await resubmitted.text()).toBe(200);
  const r = await eventually('revision 1 reached the department', async () => {
    const r = await received('hrss', id);
    return r?.revision === 1 ? r : undefined;
  }, 60_000);
  expect(r.revision).toBe(1);
  await eventually('the edge shows revision 1 delivered', async () =>
    ((await view(s, app.id)).items[0].relay === 'delivered' ? true : undefined), 30_000);
});
