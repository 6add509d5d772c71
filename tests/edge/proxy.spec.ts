// 家人代办 at the edge, black-box on workerd + the sandbox: who may act for
// whom on every action (core's authorize() is the only gate), consent codes
// (expiry, 5 tries, limits), the audit on both sides, and that an agent sees
// nothing of the principal's but what they were authorised for. The seeded
// Sun household: 孙秀兰 (the mother), 孙强 (son, also father of 孙明, adult,
// and 孙乐, who turns 18 in ten days), 孙燕 (daughter), 周丽 (daughter-in-law);
// 钱进 (nephew) outside the household.
import { expect, test, APIRequestContext } from '@playwright/test';
import { createHash } from 'node:crypto';
import { SANDBOX, Session, JPEG, cron, eventually, key, resetScenarios, signIn, submit, upload } from './helpers';

test.describe.configure({ mode: 'serial' });
test.beforeAll(async () => resetScenarios());

const DAY = 24 * 3600 * 1000;
/** The edge's local-only clock override (honoured with the cron token). */
const at = (ms: number) => ({ 'x-banshi-test-now': String(ms), 'x-banshi-test-token': 'local-cron-token' });
const owner = (sub: string) => createHash('sha256').update(sub).digest('hex').slice(0, 16);
const MOTHER = owner('r-sun-xiulan');
const forMother = { 'x-acting-for': MOTHER };

/** Today and a day `days` ahead in China (the edge decides by China's date). */
function chinaDay(days = 0): string {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * DAY).toISOString().slice(0, 10);
}

const RETIREMENT = {
  event_id: 'retirement',
  answers: { 'reached-age': true, 'needs-file-review': false, 'one-child': false, 'local-hukou': true, 'has-housing-fund': false },
  fields: {
    'applicant.name': '孙秀兰',
    'applicant.id_number': '110102195006120422',
    'applicant.phone': '13100131000',
    'applicant.bank_card': '6222021234567890128',
  },
};
const MOTHERS_SSC = {
  event_id: 'social-security-card',
  answers: { 'has-card': false, 'for-child': false },
  fields: { 'cardholder.name': '孙秀兰', 'cardholder.id_number': '110102195006120422', 'applicant.phone': '13100131000' },
};

/** `submit` for someone: the probe and the photos it needs, all with `headers`
 *  (the photos an agent uploads are the principal's). */
async function submitFor(s: Session, body: any, headers: Record<string, string>) {
  const send = (data: unknown) =>
    s.api.post('/api/applications', { data, headers: { 'x-csrf-token': s.csrf, 'idempotency-key': key(), ...headers } });
  const probe = await send({ ...body, materials: { 'no-such-material': { kind: 'deferred' } } });
  if (probe.status() !== 422) return probe;
  const fields: string[] = ((await probe.json()).error.fields ?? []).map((f: { field: string }) => f.field);
  const materials: Record<string, unknown> = {};
  for (const f of fields.filter((f) => f.startsWith('materials.') && f !== 'materials.no-such-material')) {
    const r = await s.api.post(`/api/attachments?name=${f}.jpg`, {
      data: JPEG,
      headers: { 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream', ...headers },
    });
    expect(r.status(), await r.text()).toBe(201);
    materials[f.slice('materials.'.length)] = { kind: 'upload', attachments: [(await r.json()).id] };
  }
  return send({ ...body, materials });
}

function post(s: Session, path: string, data?: unknown, headers: Record<string, string> = {}) {
  return s.api.post(path, { data, headers: { 'x-csrf-token': s.csrf, ...headers } });
}

async function grant(mother: Session, name: string, idNumber: string, events: string[], until: string) {
  const r = await post(mother, '/api/delegations', {
    agent: { id_number: idNumber },
    agent_name: name,
    relationship: name === '周丽' ? 'other_relative' : 'child',
    scope: { kind: 'events', events },
    validity: { kind: 'until', until },
  });
  expect(r.status(), await r.text()).toBe(201);
  return r.json();
}

async function errorCode(r: Awaited<ReturnType<APIRequestContext['get']>>) {
  return (await r.json()).error?.code;
}

async function textsTo(api: APIRequestContext, phone: string): Promise<string[]> {
  const list = await (await api.get(`${SANDBOX}/_sandbox/sms/messages?to=${phone}`)).json();
  return list.map((m: any) => m.text);
}

let mother: Session, qiang: Session, yan: Session, zhou: Session, ming: Session;
let retirement: any, mothersSsc: any, mothersPhoto: string;

test('a mother grants her son, her daughter, her daughter-in-law and her grandson, each for what she chose', async () => {
  // Agents sign in first, so grants by ID number match them at once.
  [qiang, yan, zhou, ming] = await Promise.all(['r-sun-qiang', 'r-sun-yan', 'r-zhou-li', 'r-sun-ming'].map(signIn));
  mother = await signIn('r-sun-xiulan');
  const mine = await submit(mother, MOTHERS_SSC);
  expect(mine.status(), await mine.text()).toBe(201);
  mothersSsc = await mine.json();
  mothersPhoto = (await (await upload(mother)).json()).id;

  const son = await grant(mother, '孙强', '110102197503080133', ['retirement'], chinaDay(30));
  expect(son.state).toBe('active');
  expect(son.agent_is.zh).toBe('儿子');
  expect(son.agent.owner).toBe(owner('r-sun-qiang'));
  await grant(mother, '孙燕', '11010219790102046X', ['elderly-allowance'], chinaDay(30));
  const dil = await grant(mother, '周丽', '110102197709210247', ['retirement'], chinaDay(30));
  const revoked = await post(mother, `/api/delegations/${dil.id}/revoke`);
  expect(revoked.status()).toBe(200);
  expect((await revoked.json()).state).toBe('revoked');
  // The grandson's runs to the end of today.
  await grant(mother, '孙明', '110102200405150358', ['retirement'], chinaDay(0));

  const list = await (await mother.api.get('/api/delegations')).json();
  expect(list.granted.map((d: any) => [d.agent.name, d.state])).toEqual(
    expect.arrayContaining([['孙强', 'active'], ['孙燕', 'active'], ['周丽', 'revoked'], ['孙明', 'active']]),
  );
  // The son is told by text, and sees her in his session with the banner.
  expect((await textsTo(qiang.api, '13100131001')).some((t) => t.includes('孙秀兰授权您'))).toBe(true);
  const session = await (await qiang.api.get('/api/session')).json();
  const her = session.resident.may_act_for.find((p: any) => p.owner === MOTHER);
  expect(her.banner.zh).toBe('正在为 母亲 孙秀兰 办理');
  expect(her.basis).toBe('delegation');
  expect((await (await qiang.api.get('/api/delegations')).json()).received[0].principal.name).toBe('孙秀兰');
});

test('the son submits 退休 for his mother; she sees who did it and both audits say so', async () => {
  const r = await submitFor(qiang, RETIREMENT, forMother);
  expect(r.status(), await r.text()).toBe(201);
  retirement = await r.json();
  expect(retirement.acted_by.label.zh).toBe('由 孙强（儿子）代办');
  // It is hers: in her own list, with who acted.
  const hers = await (await mother.api.get('/api/applications')).json();
  const seen = hers.applications.find((a: any) => a.id === retirement.id);
  expect(seen.acted_by.label.zh).toBe('由 孙强（儿子）代办');
  // Not in his own (he has none), only when acting for her.
  expect((await (await qiang.api.get('/api/applications')).json()).applications).toEqual([]);
  const motherAudit = await (await mother.api.get('/api/delegations/audit')).json();
  expect(motherAudit.entries.map((e: any) => e.text.zh).join('\n')).toContain('孙强（儿子）代您提交了 退休一件事');
  const sonAudit = await (await qiang.api.get('/api/delegations/audit')).json();
  expect(sonAudit.entries.map((e: any) => e.text.zh).join('\n')).toContain('您代 孙秀兰（母亲）提交了 退休一件事');
});

test('an agent never sees the principal\'s other applications, messages or photos', async () => {
  const list = await (await qiang.api.get('/api/applications', { headers: forMother })).json();
  expect(list.applications.map((a: any) => a.id)).toEqual([retirement.id]);
  expect((await qiang.api.get(`/api/applications/${mothersSsc.id}`, { headers: forMother })).status()).toBe(404);
  const inbox = await (await qiang.api.get('/api/inbox', { headers: forMother })).json();
  expect(inbox.messages.every((m: any) => m.application_id === retirement.id)).toBe(true);
  const photos = await (await qiang.api.get('/api/attachments', { headers: forMother })).json();
  expect(photos.attachments.map((a: any) => a.id)).not.toContain(mothersPhoto);
  expect((await qiang.api.get(`/api/attachments/${mothersPhoto}`, { headers: forMother })).status()).toBe(404);
  // Without the header he is himself: her application is not his.
  expect((await qiang.api.get(`/api/applications/${retirement.id}`)).status()).toBe(404);
});

test('each action is allowed or refused as core decides, for each kind of standing', async () => {
  const zhangWei = await signIn('r-zhang-wei');
  const item = retirement.items[0].id;
  const later = Date.now() + 2 * DAY;
  type Case = [string, Session | null, Record<string, string>, number, string?];
  const actions: [string, (s: Session | null, h: Record<string, string>) => Promise<any>][] = [
    ['list', (s, h) => (s ?? mother).api.get('/api/applications', { headers: s ? h : {} })],
    ['read', (s, h) => (s ? s.api : mother.api).get(`/api/applications/${retirement.id}`, { headers: s ? h : {} })],
    ['household', (s, h) => (s ?? mother).api.get('/api/me/household', { headers: h })],
    ['submit', (s, h) => submitFor(s ?? mother, RETIREMENT, h)],
    ['withdraw', (s, h) => post(s ?? mother, `/api/applications/${retirement.id}/items/${item}/withdraw`, undefined, h)],
    ['rate', (s, h) => post(s ?? mother, `/api/applications/${retirement.id}/rating`, { score: 5, comment: '' }, h)],
    ['certificates', (s, h) => post(s ?? mother, '/api/me/certificates', { purpose: 'retirement', ecerts: ['resident-id-card'] }, h)],
  ];
  // [who, session, headers, expected status for reads, expected error code]
  const cases: Case[] = [
    ['the son, in scope', qiang, forMother, 200],
    ['the daughter, out of scope', yan, forMother, 404, 'not_found'],
    ['the daughter-in-law, revoked', zhou, forMother, 403, 'delegation_revoked'],
    ['the grandson, after expiry', ming, { ...forMother, ...at(later) }, 403, 'delegation_expired'],
    ['another resident', zhangWei, forMother, 403, 'no_delegation'],
  ];
  for (const [who, s, h, status, code] of cases) {
    const read = await actions[1][1](s, h);
    expect(read.status(), `${who}: read`).toBe(status);
    if (code) expect(await errorCode(read), `${who}: read`).toBe(code);
    for (const [name, act] of actions) {
      const r = await act(s, h);
      if (status === 200) {
        // Allowed: the gate lets it through (what happens next is the action's own rule).
        expect([200, 201, 409, 422, 502], `${who}: ${name} ${await r.text()}`).toContain(r.status());
      } else if (status === 404) {
        // Out of scope: the application is hidden; a new one or a release says why.
        const listLike = name === 'list' || name === 'household';
        const expected = listLike ? 200 : name === 'submit' || name === 'certificates' ? 403 : 404;
        expect(r.status(), `${who}: ${name} ${await r.text()}`).toBe(expected);
        if (expected === 403) expect(await errorCode(r)).toBe('out_of_scope');
      } else {
        expect(r.status(), `${who}: ${name} ${await r.text()}`).toBe(status);
        expect(await errorCode(r), `${who}: ${name}`).toBe(code);
      }
    }
  }
  // The grandson is fine today: it is the day after that refuses.
  expect((await ming.api.get('/api/applications', { headers: forMother })).status()).toBe(200);
  // Anonymous: 401 for all.
  const anon = (await import('@playwright/test')).request;
  const nobody = await anon.newContext({ baseURL: process.env.BANSHI_URL ?? 'http://127.0.0.1:8787' });
  expect((await nobody.get('/api/applications', { headers: forMother })).status()).toBe(401);
});

test('a parent acts for a minor child from the household register until the 18th birthday, not for an adult one', async () => {
  const le = owner('r-sun-le');
  const session = await (await qiang.api.get('/api/session')).json();
  const child = session.resident.may_act_for.find((p: any) => p.owner === le);
  expect(child.basis).toBe('guardian');
  expect(child.banner.zh).toMatch(/^正在为 (儿子|女儿|子女) 孙乐 办理$/);
  expect(session.resident.may_act_for.some((p: any) => p.owner === owner('r-sun-ming'))).toBe(false);
  expect((await qiang.api.get('/api/applications', { headers: { 'x-acting-for': le } })).status()).toBe(200);
  expect((await qiang.api.get('/api/me/household', { headers: { 'x-acting-for': le } })).status()).toBe(200);
  // Nine days on he is still 17; eleven days on he is 18.
  const nine = await qiang.api.get('/api/applications', { headers: { 'x-acting-for': le, ...at(Date.now() + 9 * DAY) } });
  expect(nine.status()).toBe(200);
  const eleven = await qiang.api.get('/api/applications', { headers: { 'x-acting-for': le, ...at(Date.now() + 11 * DAY) } });
  expect(eleven.status()).toBe(403);
  const err = (await eleven.json()).error;
  expect(err.code).toBe('guardianship_ended');
  expect(err.message.zh).toContain('年满18周岁');
  const adult = await qiang.api.get('/api/applications', { headers: { 'x-acting-for': owner('r-sun-ming') } });
  expect(adult.status()).toBe(403);
  expect(await errorCode(adult)).toBe('guardianship_ended');
  // The mother (周丽) is a guardian too; the grandmother is not.
  expect((await zhou.api.get('/api/applications', { headers: { 'x-acting-for': le } })).status()).toBe(200);
  expect((await mother.api.get('/api/applications', { headers: { 'x-acting-for': le } })).status()).toBe(403);
});

test('a paper mandate not yet verified reaches only the first application, not her personal data', async () => {
  const qian = await signIn('r-qian-jin');
  const pages = [(await (await upload(qian, JPEG, 'mandate.jpg')).json()).id];
  const card = [(await (await upload(qian, JPEG, 'id.jpg')).json()).id];
  // Only events that accept a paper mandate.
  const wrong = await post(qian, '/api/delegations/paper', {
    principal_name: '孙秀兰', principal_id_number: '110102195006120422', relationship: 'other_relative',
    scope: { kind: 'events', events: ['retirement'] }, validity: { kind: 'one_application' }, mandate: pages, principal_id_card: card,
  });
  expect(wrong.status()).toBe(422);
  const r = await post(qian, '/api/delegations/paper', {
    principal_name: '孙秀兰', principal_id_number: '110102195006120422', relationship: 'other_relative',
    scope: { kind: 'events', events: ['elderly-allowance'] }, validity: { kind: 'one_application' }, mandate: pages, principal_id_card: card,
  });
  expect(r.status(), await r.text()).toBe(201);
  const d = await r.json();
  expect(d.pending_verification).toBe(true);
  const household = await qian.api.get('/api/me/household', { headers: forMother });
  expect(household.status()).toBe(403);
  expect(await errorCode(household)).toBe('mandate_pending');
  expect((await qian.api.get('/api/applications', { headers: forMother })).status()).toBe(200);
  // Someone else's uploads cannot be a mandate.
  const stolen = await post(yan, '/api/delegations/paper', {
    principal_name: '孙秀兰', principal_id_number: '110102195006120422', relationship: 'child',
    scope: { kind: 'events', events: ['elderly-allowance'] }, validity: { kind: 'one_application' }, mandate: pages, principal_id_card: card,
  });
  expect(stolen.status()).toBe(422);
});

// ---------------------------------------------------------------------------
// The authorization matrix: every operation in openapi.json (read from it, so
// a new endpoint cannot be missed) × every kind of standing. Each operation is
// classified by what the document says of it: public (no 401 among its
// answers), for machines (signed by a department or the cron token), the
// resident's own (answers 401, no X-Acting-For), or acting for someone (takes
// X-Acting-For). A resource one may not see is a 404; a known one one may not
// change is a 403 with a reason; anonymous is a 401.

type Actor = {
  who: string;
  s: Session | null;
  h: Record<string, string>;
  /** The principal's resources this actor's requests name. */
  app: () => { id: string; item: string; material: string; photo: string; event: string };
  /** The answer expected on an acting endpoint, by the kind of operation. */
  expect: (kind: Kind) => number | 'allowed';
  /** The reason a 403 gives, by the kind of operation. */
  code?: string | ((kind: Kind) => string);
};
type Kind = 'list' | 'resource' | 'change' | 'new' | 'release' | 'personal' | 'upload';

/** What each operation does, for the standing rules (a new operation must be added here). */
const KINDS: Record<string, Kind> = {
  'GET /api/applications': 'list',
  'POST /api/applications': 'new',
  'GET /api/applications/{id}': 'resource',
  'POST /api/applications/{id}/items/{item}/withdraw': 'change',
  'POST /api/applications/{id}/items/{item}/resubmit': 'change',
  'POST /api/applications/{id}/items/{item}/materials/{material}': 'change',
  'POST /api/applications/{id}/rating': 'change',
  'GET /api/inbox': 'list',
  'POST /api/inbox/seen': 'list',
  'POST /api/attachments': 'upload',
  'GET /api/attachments': 'list',
  'GET /api/attachments/{id}': 'resource',
  'GET /api/me/household': 'personal',
  'POST /api/me/certificates': 'release',
};
const MACHINE = ['/api/webhooks/', '/api/departments/', '/api/ops/'];
/** Sign-in itself: anyone may start it, and its own checks answer. */
const SIGN_IN = ['GET /api/auth/login', 'GET /api/auth/callback', 'POST /api/auth/logout'];

function chinaIdChecksum(first17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...first17].reduce((a, c, i) => a + Number(c) * w[i], 0);
  return '10X98765432'[sum % 11];
}

test('the authorization matrix: every endpoint in openapi.json, for every kind of standing', async () => {
  test.setTimeout(180_000);
  const doc = await (await mother.api.get('/api/openapi.json')).json();
  const zhangWei = await signIn('r-zhang-wei');
  const qian = await signIn('r-qian-jin');
  const LE = owner('r-sun-le');
  const MING = owner('r-sun-ming');
  // 孙乐's ID number as the sandbox composes it (born ten days after today, 18 years before).
  const born = new Date(Date.now() + 8 * 3600 * 1000 + 10 * DAY);
  born.setUTCFullYear(born.getUTCFullYear() - 18);
  const le17 = `110102${born.toISOString().slice(0, 10).replaceAll('-', '')}015`;
  const leId = le17 + chinaIdChecksum(le17);
  // A resource each principal has: the minor's application made by his father
  // as guardian, the adult son's his own.
  const forLe = { 'x-acting-for': LE };
  const leApp = await submitFor(qiang, {
    event_id: 'social-security-card',
    answers: { 'has-card': false, 'for-child': false },
    fields: { 'cardholder.name': '孙乐', 'cardholder.id_number': leId, 'applicant.phone': '13100131005' },
  }, forLe);
  expect(leApp.status(), await leApp.text()).toBe(201);
  const le = await leApp.json();
  const lePhoto = (await (await post(qiang, '/api/attachments?name=le.jpg', JPEG, { ...forLe, 'content-type': 'application/octet-stream' })).json()).id;
  const mingApp = await submit(ming, {
    event_id: 'social-security-card',
    answers: { 'has-card': false, 'for-child': false },
    fields: { 'cardholder.name': '孙明', 'cardholder.id_number': '110102200405150358', 'applicant.phone': '13100131003' },
  });
  expect(mingApp.status(), await mingApp.text()).toBe(201);
  const mingA = await mingApp.json();
  const mingPhoto = (await (await upload(ming)).json()).id;

  // A photo the son uploaded for her: hers, and his to see while he may.
  const sonsUpload = (await (await post(qiang, '/api/attachments?name=for-her.jpg', JPEG, { ...forMother, 'content-type': 'application/octet-stream' })).json()).id;
  const hers = () => ({ id: retirement.id, item: retirement.items[0].id, material: 'id-card', photo: sonsUpload, event: 'retirement' });
  const les = () => ({ id: le.id, item: le.items[0].id, material: 'photo', photo: lePhoto, event: 'social-security-card' });
  const mings = () => ({ id: mingA.id, item: mingA.items[0].id, material: 'photo', photo: mingPhoto, event: 'social-security-card' });
  const allowed = () => 'allowed' as const;
  const refusedAll = (status: number) => () => status;
  // Out of scope: her other applications are hidden, lists show nothing of
  // them, a new application or release for this event says why.
  const outOfScope = (k: Kind) =>
    k === 'list' || k === 'personal' || k === 'upload' ? 'allowed' as const : k === 'new' || k === 'release' ? 403 : 404;
  // A paper mandate not yet verified: nothing of her personal data, her
  // applications hidden, nothing new but for the mandate's event.
  const pending = (k: Kind) =>
    k === 'list' || k === 'upload' ? 'allowed' as const : k === 'personal' || k === 'new' || k === 'release' ? 403 : 404;
  const later = Date.now() + 2 * DAY;
  const actors: Actor[] = [
    { who: 'anonymous', s: null, h: forMother, app: hers, expect: refusedAll(401) },
    { who: 'the resident herself', s: mother, h: {}, app: hers, expect: allowed },
    { who: 'another resident', s: zhangWei, h: forMother, app: hers, expect: refusedAll(403), code: 'no_delegation' },
    { who: 'an agent in scope', s: qiang, h: forMother, app: hers, expect: allowed },
    { who: 'an agent out of scope (another event)', s: yan, h: forMother, app: hers, expect: outOfScope, code: 'out_of_scope' },
    { who: 'an agent after revocation', s: zhou, h: forMother, app: hers, expect: refusedAll(403), code: 'delegation_revoked' },
    { who: 'an agent after expiry', s: ming, h: { ...forMother, ...at(later) }, app: hers, expect: refusedAll(403), code: 'delegation_expired' },
    { who: 'a parent for a minor child', s: qiang, h: forLe, app: les, expect: allowed },
    { who: 'a parent for an adult child', s: qiang, h: { 'x-acting-for': MING }, app: mings, expect: refusedAll(403), code: 'guardianship_ended' },
    { who: 'a paper mandate not yet verified', s: qian, h: forMother, app: hers, expect: pending, code: (k) => (k === 'personal' ? 'mandate_pending' : 'out_of_scope') },
  ];
  const anonymous = await (await import('@playwright/test')).request.newContext({ baseURL: process.env.BANSHI_URL ?? 'http://127.0.0.1:8787' });

  const operations: [string, string, any][] = [];
  for (const [path, ops] of Object.entries<any>(doc.paths)) {
    for (const [method, op] of Object.entries<any>(ops)) {
      if (method !== 'parameters') operations.push([method.toUpperCase(), path, op]);
    }
  }
  expect(operations.length).toBeGreaterThan(35);
  const failures: string[] = [];
  const seen = new Set<string>();
  for (const [method, path, op] of operations) {
    const name = `${method} ${path}`;
    const params = [...(op.parameters ?? [])].map((p: any) => p.$ref?.split('/').at(-1) ?? p.name);
    const acting = params.includes('ActingFor');
    const answers = Object.keys(op.responses);
    const klass = MACHINE.some((m) => path.startsWith(m))
      ? 'machine'
      : SIGN_IN.includes(name) || !answers.includes('401')
        ? 'public'
        : acting
          ? 'acting'
          : 'own';
    if (klass === 'acting' && !KINDS[name]) failures.push(`${name}: not classified in KINDS`);
    for (const a of actors) {
      // Signing in and out is the session's own business: tried anonymously
      // only (a logout here would end the actors' sessions).
      if (SIGN_IN.includes(name) && a.s !== null) continue;
      const r = a.app();
      const url = path
        .replace('{id}', path.startsWith('/api/attachments') ? r.photo : path.startsWith('/api/delegations') || path.includes('offers') ? 'no-such-thing' : path.startsWith('/api/events') ? r.event : r.id)
        .replace('{item}', r.item)
        .replace('{material}', r.material)
        .replace('{department}', 'social-insurance')
        + (path === '/api/attachments' && method === 'POST' ? '?name=m.jpg' : '')
        + (path === '/api/calendar/due' ? '?from=2026-12-01&working_days=5' : '');
      const headers: Record<string, string> = { ...a.h, 'x-csrf-token': a.s?.csrf ?? 'none', 'idempotency-key': key() };
      let data: any = {};
      if (path === '/api/applications' && method === 'POST') data = { event_id: r.event, answers: {}, fields: {}, materials: {} };
      if (path === '/api/me/certificates') data = { purpose: r.event, ecerts: ['resident-id-card'] };
      if (path.endsWith('/rating')) data = { score: 5, comment: '' };
      if (path === '/api/me/settings') data = { offers: true };
      if (path === '/api/inbox/seen') data = { up_to: 0 };
      if (path === '/api/attachments' && method === 'POST') {
        data = JPEG;
        headers['content-type'] = 'application/octet-stream';
      }
      const ctx = a.s?.api ?? anonymous;
      const res = await ctx.fetch(url, { method, headers, data: method === 'GET' ? undefined : data, maxRedirects: 0 });
      const status = res.status();
      const body = await res.text();
      const code = (() => { try { return JSON.parse(body).error?.code; } catch { return undefined; } })();
      const where = `${name} as ${a.who}: ${status} ${body.slice(0, 160)}`;
      seen.add(name);
      if (status >= 500 && status !== 502) { failures.push(`${where} (a server error)`); continue; }
      if (klass === 'public') {
        if ([401, 403].includes(status) && !SIGN_IN.includes(name)) failures.push(`${where} (public)`);
      } else if (klass === 'machine') {
        // A session is no credential here: refused alike for everyone.
        if (![401, 404].includes(status)) failures.push(`${where} (for machines only)`);
      } else if (a.s === null) {
        if (status !== 401) failures.push(`${where} (anonymous must be 401)`);
      } else if (klass === 'own') {
        // Only in one's own account: acting for anyone is refused with a reason.
        const own = Object.keys(a.h).every((k) => k.startsWith('x-banshi-test'));
        if (own && [401, 403].includes(status)) failures.push(`${where} (the resident's own)`);
        if (!own && (status !== 403 || code !== 'principal_only')) failures.push(`${where} (expected 403 principal_only)`);
      } else {
        const want = a.expect(KINDS[name]);
        if (want === 'allowed') {
          if ([401, 403, 404].includes(status)) failures.push(`${where} (expected allowed)`);
        } else if (status !== want) {
          failures.push(`${where} (expected ${want})`);
        } else if (want === 403 && a.code) {
          const reason = typeof a.code === 'function' ? a.code(KINDS[name]) : a.code;
          if (code !== reason) failures.push(`${where} (expected ${reason})`);
        }
      }
    }
  }
  expect(seen.size).toBe(operations.length);
  expect(failures, failures.join('\n')).toEqual([]);
});

test('a minor with no phone of his own is not texted; his father, who applied as guardian, gets the copy', async () => {
  // 孙乐 has never signed in: the edge knows him only from his father's
  // household register, with no phone. A text to nobody used to go to the
  // gateway, be refused and show as 短信发送失败 in his inbox.
  const LE = owner('r-sun-le');
  const forLe = { 'x-acting-for': LE };
  const born = new Date(Date.now() + 8 * 3600 * 1000 + 10 * DAY);
  born.setUTCFullYear(born.getUTCFullYear() - 18);
  const le17 = `110102${born.toISOString().slice(0, 10).replaceAll('-', '')}015`;
  const r = await submitFor(qiang, {
    event_id: 'social-security-card',
    answers: { 'has-card': false, 'for-child': false },
    fields: { 'cardholder.name': '孙乐', 'cardholder.id_number': le17 + chinaIdChecksum(le17), 'applicant.phone': '13100131001' },
  }, forLe);
  expect(r.status(), await r.text()).toBe(201);
  const app = await r.json();
  const before = (await textsTo(qiang.api, '13100131001')).filter((t) => t.startsWith('您为孙乐代办')).length;
  // The department moves the item on (the sandbox steps it), and a cron run sends the texts.
  const messages = await eventually('a department message about his application', async () => {
    await cron();
    const inbox = await (await qiang.api.get('/api/inbox', { headers: forLe })).json();
    const mine = inbox.messages.filter((m: any) => m.application_id === app.id && m.status !== 'submitted');
    return mine.length > 0 ? mine : undefined;
  }, 30_000);
  for (const m of messages) expect(m.sms, JSON.stringify(m)).toBeUndefined();
  // His father's copy, naming whom it is about, is sent and delivered.
  await eventually('the father\'s copy', async () => {
    await cron();
    const texts = (await textsTo(qiang.api, '13100131001')).filter((t) => t.startsWith('您为孙乐代办'));
    return texts.length > before ? true : undefined;
  }, 30_000);
});

test('a paper mandate goes to the department with the first application, and its verdict makes the delegation active', async () => {
  const qian = await signIn('r-qian-jin');
  const paper = (await (await qian.api.get('/api/delegations')).json()).received.find((d: any) => d.way === 'paper');
  expect(paper.state).toBe('requested');
  const r = await submitFor(qian, {
    event_id: 'elderly-allowance',
    answers: { 'turning-80': true, 'local-hukou': true, 'who-applies': 'relative' },
    fields: {
      'elder.name': '孙秀兰', 'elder.id_number': '110102195006120422', 'elder.birth_date': '1950-06-12',
      'elder.address': '北京市西城区月坛街道1号', 'payout.bank_card': '6222021234567890128', 'applicant.phone': '13100131006',
    },
  }, forMother);
  expect(r.status(), await r.text()).toBe(201);
  const app = await r.json();
  // The department is told who applied, on what basis, with the mandate's pages to check.
  let got: any;
  await expect.poll(async () => {
    const all = await (await qian.api.get(`${SANDBOX}/_sandbox/departments/civil-affairs/received`)).json();
    got = all.find((x: any) => x.external_id === app.items[0].id);
    return got?.agent_name;
  }, { timeout: 30_000 }).toBe('钱进');
  expect(got.mandate_pages).toBe(2);
  // Verified on acceptance: active, and both audits say the department checked it.
  await expect.poll(async () => {
    const d = (await (await qian.api.get('/api/delegations')).json()).received.find((x: any) => x.id === paper.id);
    return d.state;
  }, { timeout: 30_000 }).toBe('active');
  const hers = (await (await mother.api.get('/api/delegations/audit')).json()).entries.map((e: any) => e.action);
  expect(hers).toContain('mandate_verified');
});

test('a request is texted to the principal, who approves it in her own account', async () => {
  const r = await post(yan, '/api/delegations/requests', {
    principal_name: '孙秀兰', principal_id_number: '110102195006120422', relationship: 'child',
    scope: { kind: 'events', events: ['retirement'] }, validity: { kind: 'one_application' },
  });
  expect(r.status(), await r.text()).toBe(201);
  const d = await r.json();
  expect(d.state).toBe('requested');
  expect(d.code.attempts_left).toBe(5);
  // Sent as the request is made, behind any texts already waiting.
  let text: string | undefined;
  await expect.poll(async () => {
    text = (await textsTo(yan.api, '13100131000')).find((t) => t.includes('孙燕（女儿）申请替您办理'));
    return text;
  }).toMatch(/验证码\d{6}/);
  // The code is never in any answer.
  expect(JSON.stringify(d)).not.toContain(text!.match(/验证码(\d{6})/)![1]);
  // Before she answers, the daughter may not act for retirement.
  const early = await yan.api.get(`/api/applications/${retirement.id}`, { headers: forMother });
  expect(early.status()).toBe(404);
  const s = await (await mother.api.get('/api/session')).json();
  expect(s.resident.requests_waiting).toBeGreaterThanOrEqual(1);
  const waiting = (await (await mother.api.get('/api/delegations')).json()).granted.find((x: any) => x.id === d.id);
  expect(waiting.state).toBe('requested');
  // Only she can approve it.
  expect((await post(yan, `/api/delegations/${d.id}/approve`)).status()).toBe(404);
  const ok = await post(mother, `/api/delegations/${d.id}/approve`);
  expect(ok.status()).toBe(200);
  expect((await ok.json()).state).toBe('active');
  const audit = (await (await yan.api.get('/api/delegations/audit')).json()).entries.map((e: any) => e.text.zh);
  expect(audit.join('\n')).toContain('孙秀兰（母亲）同意了您的授权申请');
});

test('a consent code: five wrong tries lock it, a right one makes it active, an expired one fails, and requests are limited', async () => {
  // 周丽 asks to act for her husband 孙强 (three requests: the limit per principal a day).
  const ask = (headers: Record<string, string> = {}) =>
    post(zhou, '/api/delegations/requests', {
      principal_name: '孙强', principal_id_number: '110102197503080133', relationship: 'spouse',
      scope: { kind: 'all_personal' }, validity: { kind: 'until', until: chinaDay(30) },
    }, headers);
  // Each request's text, waited for (it is sent behind any already waiting).
  let seen = 0;
  const codeOf = async (_id: string) => {
    let texts: string[] = [];
    await expect.poll(async () => {
      texts = (await textsTo(zhou.api, '13100131001')).filter((x) => x.includes('周丽') && /验证码\d{6}/.test(x));
      return texts.length;
    }).toBeGreaterThan(seen);
    seen = texts.length;
    return texts.at(-1)!.match(/验证码(\d{6})/)![1];
  };
  // 1. Locked after five wrong tries; the right code then fails too.
  const first = await (await ask()).json();
  const right = await codeOf(first.id);
  const wrong = right === '000000' ? '111111' : '000000';
  for (let left = 4; left >= 1; left--) {
    const r = await post(zhou, `/api/delegations/${first.id}/code`, { code: wrong });
    expect(r.status()).toBe(403);
    const e = (await r.json()).error;
    expect(e.code).toBe('wrong_code');
    expect(e.message.zh).toContain(`还可以再试${left}次`);
  }
  const fifth = await post(zhou, `/api/delegations/${first.id}/code`, { code: wrong });
  expect(await errorCode(fifth)).toBe('code_locked');
  const tooLate = await post(zhou, `/api/delegations/${first.id}/code`, { code: right });
  expect(tooLate.status()).toBe(403);
  expect(await errorCode(tooLate)).toBe('code_locked');

  // 2. An expired code: asked 11 minutes ago (by the edge's clock), entered now.
  const old = await (await ask(at(Date.now() - 11 * 60 * 1000))).json();
  const expired = await post(zhou, `/api/delegations/${old.id}/code`, { code: await codeOf(old.id) });
  expect(expired.status()).toBe(403);
  expect(await errorCode(expired)).toBe('code_expired');

  // 3. The right code in time: active, and he can see in his audit that she entered it.
  const third = await (await ask()).json();
  // Not six digits: said so, and not counted.
  expect((await post(zhou, `/api/delegations/${third.id}/code`, { code: '12ab' })).status()).toBe(422);
  const ok = await post(zhou, `/api/delegations/${third.id}/code`, { code: await codeOf(third.id) });
  expect(ok.status(), await ok.text()).toBe(200);
  expect((await ok.json()).state).toBe('active');
  const his = (await (await qiang.api.get('/api/delegations/audit')).json()).entries.map((e: any) => e.text.zh);
  expect(his.join('\n')).toContain('周丽（妻子）输入了您告诉他（她）的验证码');
  expect((await zhou.api.get('/api/applications', { headers: { 'x-acting-for': owner('r-sun-qiang') } })).status()).toBe(200);

  // 4. A fourth request for him today is refused; so is a guess at someone else's request.
  const fourth = await ask();
  expect(fourth.status()).toBe(429);
  expect(await errorCode(fourth)).toBe('too_many_requests');
  expect((await post(ming, `/api/delegations/${third.id}/code`, { code: '123456' })).status()).toBe(404);
});

test('after she revokes, her son\'s very next request is refused with a clear message, and both audits show it', async () => {
  const son = (await (await mother.api.get('/api/delegations')).json()).granted.find((d: any) => d.agent.name === '孙强' && d.state === 'active');
  expect((await post(qiang, `/api/delegations/${son.id}/approve`)).status()).toBe(404);
  const r = await post(mother, `/api/delegations/${son.id}/revoke`);
  expect(r.status()).toBe(200);
  const next = await submitFor(qiang, RETIREMENT, forMother);
  expect(next.status()).toBe(403);
  const e = (await next.json()).error;
  expect(e.code).toBe('delegation_revoked');
  expect(e.message.zh).toContain('撤销');
  expect((await qiang.api.get(`/api/applications/${retirement.id}`, { headers: forMother })).status()).toBe(403);
  const session = await (await qiang.api.get('/api/session')).json();
  expect(session.resident.may_act_for.some((p: any) => p.owner === MOTHER)).toBe(false);
  const hers = (await (await mother.api.get('/api/delegations/audit')).json()).entries.map((x: any) => x.text.zh);
  expect(hers.join('\n')).toContain('孙强');
  expect((await (await mother.api.get('/api/delegations/audit')).json()).entries[0].action).toBe('revoked');
  expect((await (await qiang.api.get('/api/delegations/audit')).json()).entries.some((x: any) => x.action === 'revoked')).toBe(true);
  // Revoking twice is a conflict; delegations cannot be managed for someone else.
  expect((await post(mother, `/api/delegations/${son.id}/revoke`)).status()).toBe(409);
  expect((await qiang.api.get('/api/delegations', { headers: forMother })).status()).toBe(403);
});

test('a delegation whose period has run out is recorded as expired, in both audits, on the next look', async () => {
  const later = at(Date.now() + 2 * DAY);
  const his = await (await ming.api.get('/api/delegations', { headers: later })).json();
  const d = his.received.find((x: any) => x.principal.name === '孙秀兰');
  expect(d.state).toBe('expired');
  const mine = (await (await ming.api.get('/api/delegations/audit', { headers: later })).json()).entries;
  expect(mine.filter((e: any) => e.action === 'expired')).toHaveLength(1);
  const hers = (await (await mother.api.get('/api/delegations/audit', { headers: later })).json()).entries;
  const expired = hers.filter((e: any) => e.action === 'expired');
  expect(expired).toHaveLength(1);
  expect(expired[0].text.zh).toContain('孙明');
  // Looking again records nothing more.
  await ming.api.get('/api/delegations', { headers: later });
  expect((await (await mother.api.get('/api/delegations/audit', { headers: later })).json()).entries.filter((e: any) => e.action === 'expired')).toHaveLength(1);
});

// 企业的事: 马军 is the legal representative of 深圳市马氏货运有限公司 in the
// sandbox's market-regulation register; his daughter 马丽 leads none.
const MA_FREIGHT = '91440305MA5F3K7Q2N';
const FREIGHT_PERMIT = {
  event_id: 'transport-company',
  answers: { 'has-licence': true, 'heavy-trucks': true, 'has-trucks': true, 'is-legal-rep': true },
  fields: {
    'company.name': '深圳市马氏货运有限公司',
    'company.credit_code': MA_FREIGHT,
    'company.address': '深圳市南山区西丽街道留仙大道3370号物流园B栋2楼',
    'legal_rep.name': '马军',
    'legal_rep.id_number': '440305197503123013',
    'transport.truck_count': '3',
    'applicant.phone': '13700137001',
  },
};

test('a business\'s legal representative lets his daughter do its freight permit, and only for his own business', async () => {
  const [maLi, chen] = await Promise.all(['r-ma-li', 'r-chen-jie'].map(signIn));
  const maJun = await signIn('r-ma-jun');
  const forHim = { 'x-acting-for': owner('r-ma-jun') };
  const grantTo = (from: Session, scope: unknown) =>
    post(from, '/api/delegations', {
      agent: { id_number: '440305200006083027' },
      agent_name: '马丽',
      relationship: 'child',
      scope,
      validity: { kind: 'until', until: chinaDay(30) },
    });
  // Someone the register lists as nobody's legal representative cannot
  // delegate a business event, and is told why, on the scope.
  const notHis = await grantTo(chen, { kind: 'events', events: ['transport-company'] });
  expect(notHis.status()).toBe(422);
  const bad = (await notHis.json()).error.fields;
  expect(bad.map((f: any) => f.field)).toEqual(['scope']);
  expect(bad[0].message.zh).toContain('法定代表人');
  // Her father's grant for all personal matters never reaches his business.
  expect((await grantTo(maJun, { kind: 'all_personal' })).status()).toBe(201);
  const personalOnly = await submitFor(maLi, FREIGHT_PERMIT, forHim);
  expect(personalOnly.status()).toBe(403);
  expect(await errorCode(personalOnly)).toBe('business_event');
  // Named, by the legal representative: she may.
  const named = await grantTo(maJun, { kind: 'events', events: ['transport-company'] });
  expect(named.status(), await named.text()).toBe(201);
  expect((await named.json()).state).toBe('active');
  // His business licence is released to her for this event, as his.
  const released = await maLi.api.post('/api/me/certificates', {
    data: { purpose: 'transport-company', ecerts: ['business-licence'] },
    headers: { 'x-csrf-token': maLi.csrf, ...forHim },
  });
  expect(released.status(), await released.text()).toBe(200);
  expect(await released.text()).toContain(MA_FREIGHT);
  // Another company's code (valid, but not one he leads) is refused on that field.
  const other = await submitFor(maLi, { ...FREIGHT_PERMIT, fields: { ...FREIGHT_PERMIT.fields, 'company.credit_code': '91440300708461136T' } }, forHim);
  expect(other.status()).toBe(422);
  const wrong = (await other.json()).error.fields;
  expect(wrong.map((f: any) => f.field)).toEqual(['company.credit_code']);
  expect(wrong[0].message.zh).toContain('法定代表人');
  const made = await submitFor(maLi, FREIGHT_PERMIT, forHim);
  expect(made.status(), await made.text()).toBe(201);
  const app = await made.json();
  expect(app.acted_by.label.zh).toBe('由 马丽（女儿）代办');
  // He sees it in his own account; she never gets it in hers.
  expect((await maJun.api.get(`/api/applications/${app.id}`)).status()).toBe(200);
  expect((await maLi.api.get(`/api/applications/${app.id}`)).status()).toBe(404);
});
