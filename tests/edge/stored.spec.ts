// Applications stored under an older catalog version, set up in the edge's
// D1 directly (no API can make the past): they read back as they were made,
// their items are relayed as they were made, and a material that version let
// the resident defer (容缺) is provided later and reaches the department as
// a supplement — retried like a relay while the department is down.
import { expect, test } from '@playwright/test';
import { JPEG, SANDBOX, cron, d1, eventually, scenario, signIn, sql, upload, resetScenarios, type Session } from './helpers';

test.beforeEach(async () => resetScenarios());

/** The catalog as it was: the item had another name and a 5-working-day 容缺 photo. */
const OLD_SNAPSHOT = {
  catalog_version: '0ld0ca7a10900001',
  event_name: { zh: '社会保障卡居民服务（旧版）', en: 'Social security card services (old)' },
  items: [{
    item_id: 'ssc-apply',
    name: { zh: '社会保障卡首次申领（旧名）', en: 'First card (old name)' },
    department: 'hrss',
    department_name: { zh: '人力资源和社会保障局', en: 'Human resources and social security bureau' },
    time_limit_working_days: 15,
    produces_card: true,
    delivery: ['pickup'],
    fields: ['cardholder.name', 'applicant.phone'],
    materials: [
      { id: 'id-card', name: { zh: '本人居民身份证', en: 'Your ID card' } },
      { id: 'photo', name: { zh: '白底证件照（可容缺）', en: 'Photo (may follow)' }, defer_working_days: 5 },
    ],
  }],
};

/** Write an application as the older edge stored it, queued for relay long ago. */
function storeOld(resident: string, idCardPage: string) {
  const n = Date.now();
  const app = `Aold${n}`;
  const item = `Iold${n}`;
  const long_ago = n - 3_600_000;
  d1(`
    INSERT OR IGNORE INTO applications (id, resident_id, event_id, idempotency_key, request_hash, answers, fields,
                              submitted_at, reference, catalog_version, snapshot)
    VALUES (${sql(app)}, ${sql(resident)}, 'social-security-card', ${sql(`old-${n}`)}, 'x',
            '{"has-card":false,"for-child":false}',
            ${sql(JSON.stringify({ 'cardholder.name': '赵敏', 'cardholder.id_number': '11010119800520201X', 'applicant.phone': '13600136000' }))},
            ${long_ago}, NULL, ${sql(OLD_SNAPSHOT.catalog_version)}, ${sql(JSON.stringify(OLD_SNAPSHOT))});
    INSERT OR IGNORE INTO application_items (id, application_id, position, item_id, department, status, relay_state, updated_at)
    VALUES (${sql(item)}, ${sql(app)}, 0, 'ssc-apply', 'hrss', 'submitted', 'queued', ${long_ago});
    INSERT INTO item_timeline (item_row_id, status, at, title_zh, title_en, body_zh, body_en)
    SELECT ${sql(item)}, 'submitted', ${long_ago}, '已提交', 'Submitted', '已提交', 'Submitted'
     WHERE NOT EXISTS (SELECT 1 FROM item_timeline WHERE item_row_id = ${sql(item)});
    INSERT OR IGNORE INTO application_materials (application_id, material_id, provision, deferred, provided_at, updated_at)
    VALUES (${sql(app)}, 'id-card', ${sql(JSON.stringify({ kind: 'upload', attachments: [idCardPage] }))}, 0, ${long_ago}, ${long_ago}),
           (${sql(app)}, 'photo', '{"kind":"deferred"}', 1, NULL, ${long_ago});
  `);
  return { app, item };
}

async function view(s: Session, id: string) {
  const r = await s.api.get(`/api/applications/${id}`);
  expect(r.status(), await r.text()).toBe(200);
  return r.json();
}

async function received(s: Session, externalId: string) {
  const all = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
  return all.find((r: any) => r.external_id === externalId);
}

test('an application stored under an older catalog reads as it was made and is relayed as it was made', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-zhao-min');
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['accepted'] });
  const page = (await (await upload(s, JPEG, 'id.jpg')).json()).id;
  const { app, item } = storeOld('r-zhao-min', page);
  const v = await view(s, app);
  expect(v.catalog_version).toBe(OLD_SNAPSHOT.catalog_version);
  expect(v.event_name.zh).toBe('社会保障卡居民服务（旧版）');
  expect(v.reference).toMatch(/^BS-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
  expect(v.items[0].name.zh).toBe('社会保障卡首次申领（旧名）');
  expect(v.items[0].department.zh).toBe('人力资源和社会保障局');
  expect(v.items[0].time_limit_working_days).toBe(15);
  expect(v.items[0].materials.map((m: any) => [m.material_id, m.provision])).toEqual([['id-card', 'upload'], ['photo', 'deferred']]);
  // It is in the list with the same reference (derived: it predates references).
  const list = await (await s.api.get('/api/applications')).json();
  expect(list.applications.find((a: any) => a.id === app).reference).toBe(v.reference);
  // The sweeper finds the old queued item; the department gets the fields
  // that version named for the item, and the deferred photo as to follow.
  await cron();
  const r = await eventually('relayed', async () => {
    const r = await received(s, item);
    return r && r.fetched.length > 0 ? r : undefined;
  });
  expect(r.field_keys.sort()).toEqual(['applicant.phone', 'cardholder.name']);
  expect(r.materials.find((m: any) => m.material_id === 'photo')).toMatchObject({ kind: 'deferred' });
  expect(r.fetched[0]).toMatchObject({ attachment_id: page, status: 200, matches: true });
  // Accepted: the deferred photo is now due 5 working days later (待补交).
  const accepted = await eventually('accepted', async () => {
    const v = await view(s, app);
    return v.items[0].status === 'accepted' ? v.items[0] : undefined;
  });
  const photo = accepted.materials.find((m: any) => m.material_id === 'photo');
  expect(photo.provision).toBe('deferred');
  expect(photo.due.due).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(photo.provided_at).toBeUndefined();
});

test('a deferred material provided later reaches the department as a supplement, once, even after it was down', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-zhao-min');
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['accepted'] });
  const page = (await (await upload(s, JPEG, 'id.jpg')).json()).id;
  const { app, item } = storeOld('r-zhao-min', page);
  await cron();
  await eventually('accepted', async () => ((await view(s, app)).items[0].status === 'accepted' ? true : undefined));
  const url = (m: string) => `/api/applications/${app}/items/${item}/materials/${m}`;
  const headers = { 'x-csrf-token': s.csrf };
  const photo = (await (await upload(s, Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(3000, 7), JPEG.subarray(12)]), 'photo.jpg')).json());
  // Only a deferred material can follow; the ID card was provided already.
  const notDeferred = await s.api.post(url('id-card'), { data: { attachments: [photo.id] }, headers });
  expect(notDeferred.status()).toBe(409);
  expect((await notDeferred.json()).error.code).toBe('not_deferred');
  expect((await s.api.post(url('no-such'), { data: { attachments: [photo.id] }, headers })).status()).toBe(404);
  expect((await s.api.post(url('photo'), { data: { attachments: [] }, headers })).status()).toBe(422);
  expect((await s.api.post(url('photo'), { data: { attachments: [photo.id] } })).status()).toBe(403);
  const other = await signIn('r-chen-jie');
  expect((await other.api.post(url('photo'), { data: { attachments: [photo.id] }, headers: { 'x-csrf-token': other.csrf } })).status()).toBe(404);

  // The department is down when the photo comes: it is kept and retried.
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['accepted'], down: true });
  const ok = await s.api.post(url('photo'), { data: { attachments: [photo.id] }, headers });
  expect(ok.status(), await ok.text()).toBe(200);
  const m = (await ok.json()).items[0].materials.find((m: any) => m.material_id === 'photo');
  expect(m.provision).toBe('upload');
  expect(m.provided_at).toBeTruthy();
  expect(m.due).toBeUndefined();
  // A second tap does not send it twice.
  expect((await s.api.post(url('photo'), { data: { attachments: [photo.id] }, headers })).status()).toBe(409);
  await new Promise((r) => setTimeout(r, 1500));
  expect((await received(s, item)).supplements).toEqual([]);
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['accepted'] });
  const r = await eventually('the supplement arrived and its page was fetched', async () => {
    await cron(Date.now() + 120_000);
    const r = await received(s, item);
    return r.supplements.length > 0 && r.fetched.some((f: any) => f.attachment_id === photo.id) ? r : undefined;
  }, 40_000);
  expect(r.supplements).toHaveLength(1);
  expect(r.materials.find((m: any) => m.material_id === 'photo').kind).toBe('upload');
  expect(r.fetched.find((f: any) => f.attachment_id === photo.id)).toMatchObject({ size: photo.size, matches: true });
  await cron(Date.now() + 240_000);
  expect((await received(s, item)).supplements).toHaveLength(1);
});
