// The resident's journey as the edge sees it (issue 8): a readable
// reference, materials provided by photo, e-certificate, promise or later,
// each department receiving only its own item's fields and materials and
// fetching the photos with the item, a resent photo stored once, and a
// correction that asks for a new photo.
import { expect, request, test } from '@playwright/test';
import { createHash } from 'node:crypto';
import {
  BASE, JPEG, SANDBOX, SSC, eventually, photos, scenario, signIn, signGet, submit, upload, resetScenarios,
  type Session,
} from './helpers';

test.beforeEach(async () => resetScenarios());

const REFERENCE = /^BS-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;

async function view(s: Session, id: string) {
  return (await s.api.get(`/api/applications/${id}`)).json();
}

async function received(dept: string, externalId: string) {
  const ctx = await request.newContext();
  const all = await (await ctx.get(`${SANDBOX}/_sandbox/departments/${dept}/received`)).json();
  return all.find((r: any) => r.external_id === externalId);
}

/** A JPEG of `n` bytes: SOI/APP0, padding, EOI. */
function jpegOf(n: number, fill = 0x20) {
  return Buffer.concat([JPEG.subarray(0, 12), Buffer.alloc(n - 14, fill), JPEG.subarray(12)]);
}

test('an application gets a reference a person can read aloud, the same on a replay, found again in the list', async () => {
  const s = await signIn('r-zhang-wei');
  const k = `test-ref-${Date.now()}`;
  const first = await (await submit(s, SSC, k)).json();
  expect(first.reference).toMatch(REFERENCE);
  expect(first.catalog_version).toMatch(/^[0-9a-f]{16}$/);
  const again = await submit(s, SSC, k);
  expect(again.status()).toBe(200);
  expect((await again.json()).reference).toBe(first.reference);
  const other = await (await submit(s, SSC)).json();
  expect(other.reference).toMatch(REFERENCE);
  expect(other.reference).not.toBe(first.reference);
  const list = await (await s.api.get('/api/applications')).json();
  const mine = list.applications.find((a: any) => a.id === first.id);
  expect(mine.reference).toBe(first.reference);
});

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

test('each department receives only its own item\'s fields and materials, and fetches each photo with the item', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-li-na');
  const bundle = await (await s.api.get('/api/events/newborn')).json();
  const created = await submit(s, NEWBORN);
  expect(created.status(), await created.text()).toBe(201);
  const app = await created.json();
  expect(app.items.length).toBeGreaterThan(3);
  await eventually('every item relayed', async () => {
    const v = await view(s, app.id);
    return v.items.every((i: any) => i.relay === 'delivered') ? v : undefined;
  }, 40_000);
  const deptOf = (itemId: string) => bundle.event.items.find((i: any) => i.id === itemId).department;
  for (const item of app.items) {
    const own = bundle.event.fields.filter((f: any) => f.items.includes(item.item_id)).map((f: any) => f.key);
    const expected = Object.keys(NEWBORN.fields).filter((k) => own.includes(k)).sort();
    const r = await eventually(`${item.item_id} at its department`, async () => {
      const r = await received(deptOf(item.item_id), item.id);
      const pages = (r?.materials ?? []).flatMap((m: any) => m.attachments ?? []);
      return r && r.fetched.length >= pages.length ? r : undefined;
    });
    expect(r.field_keys.sort(), item.item_id).toEqual(expected);
    const materialIds = item.materials.map((m: any) => m.material_id).sort();
    expect(r.materials.map((m: any) => m.material_id).sort(), item.item_id).toEqual(materialIds);
    const own_materials = (bundle.event.items.find((i: any) => i.id === item.item_id).materials ?? []).map((m: any) => m.id);
    for (const id of materialIds) expect(own_materials).toContain(id);
    for (const m of r.materials.filter((m: any) => m.kind === 'upload')) {
      for (const a of m.attachments) {
        const got = r.fetched.find((f: any) => f.attachment_id === a.id);
        expect(got, `${item.item_id} fetched ${a.id}`).toMatchObject({ status: 200, matches: true, size: JPEG.length });
        expect(a.path).toBe(`/api/departments/${deptOf(item.item_id)}/attachments/${a.id}`);
      }
    }
  }
});

test('a department can fetch only the pages relayed to it, signed with its key over the path', async () => {
  const s = await signIn('r-wang-xiuying');
  const body = { ...SSC, fields: { 'cardholder.name': '王秀英', 'cardholder.id_number': '110101195209182029', 'applicant.phone': '13700137000' } };
  const app = await (await submit(s, body)).json();
  const item = app.items[0];
  const r = await eventually('relayed with its pages', async () => {
    const r = await received('hrss', item.id);
    return r?.materials?.length ? r : undefined;
  });
  const page = r.materials.find((m: any) => m.kind === 'upload').attachments[0];
  const api = await request.newContext();
  const get = (path: string, headers: Record<string, string> = {}) => api.get(`${BASE}${path}`, { headers });
  const ok = await get(page.path, signGet(page.path, 'hrss'));
  expect(ok.status()).toBe(200);
  expect(ok.headers()['content-type']).toBe('image/jpeg');
  expect(Buffer.from(await ok.body()).equals(JPEG)).toBe(true);
  // Unsigned, or signed for another path: refused.
  expect((await get(page.path)).status()).toBe(401);
  expect((await get(page.path, signGet('/api/departments/hrss/attachments/Fother', 'hrss'))).status()).toBe(401);
  // Another department never received it: as if it did not exist.
  const police = `/api/departments/police/attachments/${page.id}`;
  expect((await get(police, signGet(police, 'police'))).status()).toBe(404);
  // A page of the resident that was never relayed is not the department's either.
  const unsent = await (await upload(s, JPEG, 'unsent.jpg')).json();
  const path = `/api/departments/hrss/attachments/${unsent.id}`;
  expect((await get(path, signGet(path, 'hrss'))).status()).toBe(404);
});

test('a photo resent with the same Idempotency-Key is stored once', async () => {
  const s = await signIn('r-zhao-min');
  const key = `outbox-${Date.now()}`;
  const photo = jpegOf(4096);
  const first = await upload(s, photo, '身份证.jpg', key);
  expect(first.status()).toBe(201);
  const again = await upload(s, photo, '身份证.jpg', key);
  expect(again.status()).toBe(200);
  expect(again.headers()['idempotent-replayed']).toBe('true');
  const stored = await first.json();
  expect((await again.json()).id).toBe(stored.id);
  const list = (await (await s.api.get('/api/attachments')).json()).attachments;
  expect(list.filter((a: any) => a.sha256 === stored.sha256 && a.name === '身份证.jpg')).toHaveLength(1);
  // The same key for other bytes is a mistake, not a silent overwrite.
  const different = await upload(s, jpegOf(4096, 0x30), '身份证.jpg', key);
  expect(different.status()).toBe(409);
  // Keys are per resident: someone else's upload with the same key is their own.
  const other = await signIn('r-chen-jie');
  const theirs = await upload(other, photo, 'x.jpg', key);
  expect(theirs.status()).toBe(201);
  expect((await theirs.json()).id).not.toBe(stored.id);
  expect((await upload(s, photo, 'x.jpg', 'bad key!')).status()).toBe(400);
});

test('an e-certificate replaces a material only once the resident released it for that event', async () => {
  const s = await signIn('r-zhang-wei');
  const materials = { 'id-card': { kind: 'ecert', ecert: 'resident-id-card' }, ...(await photos(s, ['photo'])) };
  // Released for another event only: not for this one.
  const other = await s.api.post('/api/me/certificates', {
    data: { purpose: 'newborn', ecerts: ['resident-id-card'] },
    headers: { 'x-csrf-token': s.csrf },
  });
  expect(other.status()).toBe(200);
  const refused = await submit(s, { ...SSC, materials });
  expect(refused.status()).toBe(422);
  const fields = (await refused.json()).error.fields;
  expect(fields.map((f: any) => f.field)).toEqual(['materials.id-card']);
  expect(fields[0].message.zh).toContain('电子证照');
  const released = await s.api.post('/api/me/certificates', {
    data: { purpose: 'social-security-card', ecerts: ['resident-id-card'] },
    headers: { 'x-csrf-token': s.csrf },
  });
  expect(released.status()).toBe(200);
  const created = await submit(s, { ...SSC, materials });
  expect(created.status(), await created.text()).toBe(201);
  const app = await created.json();
  expect(app.items[0].materials.find((m: any) => m.material_id === 'id-card')).toMatchObject({ provision: 'ecert' });
  const r = await eventually('relayed', async () => {
    const r = await received('hrss', app.items[0].id);
    return r?.materials?.length ? r : undefined;
  });
  expect(r.materials.find((m: any) => m.material_id === 'id-card')).toMatchObject({
    kind: 'ecert',
    ecert: 'resident-id-card',
    number: '110101198503074516',
    issuer: '北京市公安局东城分局',
  });
});

test('a promise is relayed with the text the resident signed and when', async () => {
  const s = await signIn('r-wang-xiuying');
  const bundle = await (await s.api.get('/api/events/retirement')).json();
  expect(bundle.promise.body.zh).toContain('本人承诺');
  const signedAt = new Date(Date.now() - 60_000).toISOString();
  const body = {
    event_id: 'retirement',
    answers: { 'reached-age': true, 'needs-file-review': false, 'one-child': true, 'local-hukou': true, 'has-housing-fund': false },
    fields: { 'applicant.name': '王秀英', 'applicant.id_number': '110101195209182029', 'applicant.phone': '13700137000', 'applicant.bank_card': '6222021234567890128' },
  };
  // Probe what else is needed, then promise the one-child proof.
  const probe = await submit(s, { ...body, materials: {} });
  expect(probe.status()).toBe(422);
  const needed = (await probe.json()).error.fields.map((f: any) => f.field.replace('materials.', ''));
  expect(needed).toContain('one-child-proof');
  const materials: Record<string, unknown> = await photos(s, needed.filter((m: string) => m !== 'one-child-proof'));
  materials['one-child-proof'] = { kind: 'promise', signed_at: signedAt };
  const created = await submit(s, { ...body, materials });
  expect(created.status(), await created.text()).toBe(201);
  const app = await created.json();
  const item = app.items.find((i: any) => i.materials.some((m: any) => m.material_id === 'one-child-proof'));
  const r = await eventually('relayed', async () => {
    const r = await received('hrss', item.id);
    return r?.materials?.length ? r : undefined;
  });
  const promise = r.materials.find((m: any) => m.material_id === 'one-child-proof');
  expect(promise.kind).toBe('promise');
  expect(new Date(promise.signed_at).toISOString()).toBe(signedAt);
  expect(promise.text.zh).toContain('本人承诺');
  expect(promise.text.zh).toContain('独生子女父母光荣证');
  // A promise where the catalog allows none is refused, naming the material.
  const bad = await submit(s, { ...body, materials: { ...materials, 'id-card': { kind: 'promise', signed_at: signedAt } } });
  expect(bad.status()).toBe(422);
});

test('a correction asking for a new photo is answered with one, and the department fetches it with the new revision', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-zhao-min');
  await scenario(s.api, 'hrss', {
    step_ms: 300,
    script: ['correction_required', 'accepted', 'under_review', 'approved'],
    corrections: [{
      target: 'material:photo',
      reason: { zh: '照片模糊，看不清面部', en: 'The photo is blurred' },
      fix: { zh: '请在光线充足处重新拍一张', en: 'Take a new photo in good light' },
    }],
  });
  const body = { ...SSC, fields: { 'cardholder.name': '赵敏', 'cardholder.id_number': '11010119800520201X', 'applicant.phone': '13600136000' } };
  const app = await (await submit(s, body)).json();
  const item = app.items[0];
  const asked = await eventually('correction requested', async () => {
    const v = await view(s, app.id);
    return v.items[0].status === 'correction_required' ? v.items[0] : undefined;
  });
  // The point names the material, so the app can lead to it.
  expect(asked.corrections.map((c: any) => c.target)).toEqual(['material:photo']);
  const entry = asked.timeline.at(-1);
  expect(entry.body.zh).toContain('1. 白底免冠电子照片');
  expect(entry.body.zh).toContain('照片模糊');
  const url = `/api/applications/${app.id}/items/${item.id}/resubmit`;
  const headers = { 'x-csrf-token': s.csrf };
  const sharp = await (await upload(s, jpegOf(2048, 0x41), 'photo-sharp.jpg')).json();
  // A material this item did not need is refused by name.
  const wrong = await s.api.post(url, { data: { materials: { 'birth-cert': { kind: 'upload', attachments: [sharp.id] } } }, headers });
  expect(wrong.status()).toBe(422);
  expect((await wrong.json()).error.fields[0].field).toBe('materials.birth-cert');
  // Someone else's photo is not this resident's to send.
  const chen = await signIn('r-chen-jie');
  const theirs = await (await upload(chen, jpegOf(1024), 'x.jpg')).json();
  const foreign = await s.api.post(url, { data: { materials: { photo: { kind: 'upload', attachments: [theirs.id] } } }, headers });
  expect(foreign.status()).toBe(422);
  const ok = await s.api.post(url, { data: { materials: { photo: { kind: 'upload', attachments: [sharp.id] } } }, headers });
  expect(ok.status(), await ok.text()).toBe(200);
  expect((await ok.json()).items[0].corrections).toBeUndefined();
  const r = await eventually('the new revision fetched', async () => {
    const r = await received('hrss', item.id);
    return r?.revision === 1 && r.fetched.some((f: any) => f.attachment_id === sharp.id) ? r : undefined;
  });
  const photo = r.materials.find((m: any) => m.material_id === 'photo');
  expect(photo.attachments.map((a: any) => a.id)).toEqual([sharp.id]);
  expect(r.fetched.find((f: any) => f.attachment_id === sharp.id)).toMatchObject({ revision: 1, size: 2048, matches: true });
  await eventually('approved', async () => ((await view(s, app.id)).items[0].status === 'approved' ? true : undefined));
});

test('one event is served with its departments, e-certificates, sections and promise text, cached by ETag', async () => {
  const api = await request.newContext({ baseURL: BASE });
  const r = await api.get('/api/events/social-security-card');
  expect(r.status()).toBe(200);
  const b = await r.json();
  const list = await (await api.get('/api/events')).json();
  expect(b.version).toBe(list.version);
  expect(b.event.id).toBe('social-security-card');
  expect(b.departments.map((d: any) => d.id)).toEqual(['hrss']);
  expect(b.ecerts.map((c: any) => c.id)).toContain('resident-id-card');
  expect(b.sections.map((x: any) => x.subject)).toContain('cardholder');
  expect(b.promise.title.zh).toBe('告知承诺书');
  const again = await api.get('/api/events/social-security-card', { headers: { 'if-none-match': r.headers()['etag'] } });
  expect(again.status()).toBe(304);
});

test('the session names the resident by an opaque owner id, the same on every sign-in', async () => {
  const a = await (await (await signIn('r-zhang-wei')).api.get('/api/session')).json();
  const b = await (await (await signIn('r-zhang-wei')).api.get('/api/session')).json();
  const c = await (await (await signIn('r-li-na')).api.get('/api/session')).json();
  expect(a.resident.owner).toMatch(/^[0-9a-f]{16}$/);
  expect(b.resident.owner).toBe(a.resident.owner);
  expect(c.resident.owner).not.toBe(a.resident.owner);
  expect(a.resident.owner).toBe(createHash('sha256').update('r-zhang-wei').digest('hex').slice(0, 16));
});
