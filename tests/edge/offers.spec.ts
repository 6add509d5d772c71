// 免申即享 on workerd: offers computed by core's rules from the sandbox's
// household register and e-certificates (only the kinds the rules name,
// released for the event offered) and the resident's own applications in
// D1; dismissals and the offers switch stored and respected.
//
// One local D1 serves the whole run, so each test has residents of its own:
// 孙丽 (claims), 周桂兰 (dismissal), 刘建国 (the switch), 吴芳 (a finished
// 新生儿出生), 何军 and 陈杰 (nothing owed). The browser tests use 刘洋, 李娜,
// 赵敏 and 何军 (read only). 何思琪's account keeps a language and elder mode.
import { expect, request, test } from '@playwright/test';
import { BASE, SANDBOX, eventually, resetScenarios, signIn, submit, type Session } from './helpers';

test.beforeEach(async () => resetScenarios());

async function offers(s: Session) {
  const r = await s.api.get('/api/me/offers');
  expect(r.status(), await r.text()).toBe(200);
  return r.json();
}

async function access() {
  const ctx = (await signIn('r-chen-jie')).api;
  return (await (await ctx.get(`${SANDBOX}/_sandbox/ecerts/access`)).json()) as any[];
}

/** A valid 18-digit ID number (GB 11643 check character). */
function idNumber(region: string, birth: string, seq: string) {
  const body = `${region}${birth.replaceAll('-', '')}${seq}`;
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((a, c, i) => a + Number(c) * w[i], 0);
  return body + '10X98765432'[sum % 11];
}

test('a parent with a child under three is offered the childcare subsidy, prefilled, with the facts it rests on', async () => {
  const s = await signIn('r-sun-li');
  const before = (await access()).length;
  const list = await offers(s);
  expect(list.enabled).toBe(true);
  expect(list.incomplete).toBe(false);
  const events = list.offers.map((o: any) => o.event_id);
  expect(events).toEqual(['childcare-subsidy', 'disability']);
  const baby = list.offers[0];
  expect(baby.headline.zh).toBe('您可能可以领取：育儿补贴 每年3600元');
  expect(baby.based_on[0].zh).toContain('户籍信息：您的孩子刘小禾');
  expect(baby.based_on[0].zh).toContain('不满3周岁');
  expect(baby.prefill.fields['child.name']).toBe('刘小禾');
  // The ID number comes from the child's 户口簿, released for this purpose.
  expect(baby.prefill.fields['child.id_number']).toMatch(/^110105\d{11}[\dX]$/);
  expect(baby.prefill.answers['has-hukou']).toBe(true);
  expect(baby.prefill.answers['child-birth-date']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(baby.sources.length).toBeGreaterThan(0);
  const disability = list.offers[1];
  expect(disability.headline.zh).toContain('周桂兰');
  expect(disability.based_on[0].zh).toContain('残疾人证');
  expect(disability.prefill.fields['person.name']).toBe('周桂兰');

  // Only what the rules need was asked of the certificate platform, each
  // kind for the event it would open, and only of people in her household.
  const asked = (await access()).slice(before);
  expect(asked.length).toBeGreaterThan(0);
  const household = ['r-sun-li', 'r-liu-yang', 'r-liu-xiaohe', 'r-liu-jianguo', 'r-zhou-guilan'];
  for (const a of asked) {
    expect(household).toContain(a.sub);
    expect(['childcare-subsidy', 'disability']).toContain(a.purpose);
    const allowed = a.purpose === 'childcare-subsidy' ? ['household-register'] : ['disability-certificate'];
    expect(a.kinds.every((k: string) => allowed.includes(k)), JSON.stringify(a)).toBe(true);
  }
  const childcareReads = asked.filter((a) => a.purpose === 'childcare-subsidy').map((a) => a.sub);
  expect(childcareReads).toEqual(['r-liu-xiaohe']);

  // Claiming it for that child ends the offer; the other one stays.
  const claim = await submit(s, {
    event_id: 'childcare-subsidy',
    answers: baby.prefill.answers,
    fields: {
      ...baby.prefill.fields,
      'applicant.name': '孙丽',
      'applicant.id_number': '110105199409024520',
      'applicant.phone': '13300133002',
      'payout.bank_card': '6222021234567890128',
    },
  });
  expect(claim.status(), await claim.text()).toBe(201);
  const after = await offers(s);
  expect(after.offers.map((o: any) => o.event_id)).toEqual(['disability']);
});

test('a finished 新生儿出生 brings the childcare subsidy filled in from its form', async () => {
  test.setTimeout(120_000);
  const s = await signIn('r-wu-fang');
  expect((await offers(s)).offers).toEqual([]);
  const born = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
  const created = await submit(s, {
    event_id: 'newborn',
    answers: {
      'born-in-hospital': true,
      'parents-married': true,
      'register-with': 'mother',
      'parents-same-ethnicity': true,
    },
    fields: {
      'child.name': '何小满',
      'child.sex': 'female',
      'child.birth_date': born,
      'mother.name': '吴芳',
      'mother.id_number': '110108198507214525',
      'father.name': '何军',
      'father.id_number': idNumber('110108', '1966-01-01', '051'),
      'household.head_name': '何军',
      'child.insurance_address': '北京市海淀区中关村街道1号',
      'applicant.phone': '13200132001',
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const app = await created.json();
  // Not while it is still in progress: the child is not registered yet.
  expect((await offers(s)).offers).toEqual([]);
  await eventually(
    'every newborn item finished',
    async () => {
      const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
      return v.overall.finished === v.overall.total ? v : undefined;
    },
    90_000,
  );
  const list = await offers(s);
  expect(list.offers).toHaveLength(1);
  const o = list.offers[0];
  expect(o.event_id).toBe('childcare-subsidy');
  expect(o.rules).toEqual(['childcare-subsidy-after-newborn']);
  expect(o.based_on[0].zh).toContain('您办完的“新生儿出生”：何小满');
  expect(o.prefill.fields['child.name']).toBe('何小满');
  expect(o.prefill.answers['child-birth-date']).toBe(born);
  expect(o.prefill.answers['has-hukou']).toBe(true);
});

test('a resident nobody in whose household is owed anything gets no offer', async () => {
  for (const who of ['r-he-jun', 'r-chen-jie']) {
    const list = await offers(await signIn(who));
    expect(list, who).toEqual({ enabled: true, offers: [], incomplete: false });
  }
});

test('a dismissed offer stays away for that resident only, and a dismissal needs the CSRF token and a real offer id', async () => {
  const s = await signIn('r-zhou-guilan');
  const [mine] = (await offers(s)).offers;
  expect(mine.event_id).toBe('disability');
  expect(mine.based_on[0].zh).toContain('周桂兰持有残疾人证');
  const path = `/api/me/offers/${encodeURIComponent(mine.id)}/dismiss`;
  expect((await s.api.post(path)).status()).toBe(403);
  expect((await s.api.post(path, { headers: { 'x-csrf-token': 'wrong' } })).status()).toBe(403);
  for (let i = 0; i < 2; i++) {
    const r = await s.api.post(path, { headers: { 'x-csrf-token': s.csrf } });
    expect(r.status(), await r.text()).toBe(200);
    expect(await r.json()).toEqual({ dismissed: mine.id });
  }
  expect((await offers(s)).offers).toEqual([]);
  // The same offer about her, seen by her son, is his to dismiss.
  const son = await offers(await signIn('r-liu-yang'));
  expect(son.offers.map((o: any) => o.id)).toContain(mine.id);
  for (const bad of ['nonsense', 'disability:XYZ', 'disability:0123456789abcdeg']) {
    const r = await s.api.post(`/api/me/offers/${bad}/dismiss`, { headers: { 'x-csrf-token': s.csrf } });
    expect(r.status(), bad).toBe(422);
    expect((await r.json()).error.fields[0].field).toBe('id');
  }
  expect((await s.api.get(path)).status()).toBe(405);
  const anonymous = await request.newContext({ baseURL: BASE });
  for (const path of ['/api/me/offers', '/api/me/settings']) {
    expect((await anonymous.get(path)).status(), path).toBe(401);
  }
});

test('offers turned off are stored, computed from nothing and read from no platform; on again, they are back', async () => {
  const s = await signIn('r-liu-jianguo');
  expect(await (await s.api.get('/api/me/settings')).json()).toEqual({ offers: true });
  const on = await offers(s);
  expect(on.offers.map((o: any) => o.event_id)).toEqual(['disability', 'retirement']);
  const retirement = on.offers[1];
  expect(retirement.headline.zh).toMatch(/^您将在\d{4}年\d{1,2}月\d{1,2}日达到法定退休年龄/);
  expect(retirement.based_on[0].zh).toContain('男职工');

  const put = (data: unknown, csrf = s.csrf) =>
    s.api.put('/api/me/settings', { data, headers: { 'x-csrf-token': csrf } });
  expect((await put({ offers: false }, 'wrong')).status()).toBe(403);
  for (const bad of [{ offers: 'no' }, { offers: false, extra: 1 }, []]) {
    const r = await put(bad);
    expect(r.status(), JSON.stringify(bad)).toBeGreaterThanOrEqual(400);
    expect(r.status(), JSON.stringify(bad)).toBeLessThan(500);
  }
  const off = await put({ offers: false });
  expect(off.status(), await off.text()).toBe(200);
  expect(await off.json()).toEqual({ offers: false });
  expect(await (await s.api.get('/api/me/settings')).json()).toEqual({ offers: false });
  const before = (await access()).length;
  expect(await offers(s)).toEqual({ enabled: false, offers: [], incomplete: false });
  expect((await access()).length).toBe(before);
  // A new session reads the same stored choice.
  const again = await signIn('r-liu-jianguo');
  expect((await offers(again)).enabled).toBe(false);

  expect((await put({ offers: true })).status()).toBe(200);
  expect((await offers(s)).offers.map((o: any) => o.event_id)).toEqual(['disability', 'retirement']);
});

test('the language and elder mode a resident\'s phones follow are kept per account; a change of offers alone keeps them; an unknown language is named', async () => {
  const s = await signIn('r-he-siqi');
  const get = async () => (await s.api.get('/api/me/settings')).json();
  const put = (data: unknown) => s.api.put('/api/me/settings', { data, headers: { 'x-csrf-token': s.csrf } });
  expect(await get()).toEqual({ offers: true });

  const set = await put({ lang: 'en', elder: true });
  expect(set.status(), await set.text()).toBe(200);
  expect(await set.json()).toEqual({ offers: true, lang: 'en', elder: true });
  // Another phone, another session: the same account keeps them.
  const phone = await signIn('r-he-siqi');
  expect(await (await phone.api.get('/api/me/settings')).json()).toEqual({ offers: true, lang: 'en', elder: true });

  // The offers switch sends only its own field.
  expect(await (await put({ offers: false })).json()).toEqual({ offers: false, lang: 'en', elder: true });
  expect(await (await put({})).json()).toEqual({ offers: false, lang: 'en', elder: true });
  expect(await (await put({ elder: false })).json()).toEqual({ offers: false, lang: 'en', elder: false });

  for (const lang of ['fr', 'zh', 'EN', '']) {
    const r = await put({ lang, elder: true });
    expect(r.status(), lang).toBe(422);
    const body = await r.json();
    expect(body.error.fields[0].field).toBe('lang');
    expect(body.error.fields[0].message.zh).toContain('语言');
    expect(body.error.fields[0].message.en).toContain('language');
  }
  for (const bad of [{ lang: 1 }, { elder: 'yes' }, { lang: 'en', theme: 'dark' }]) {
    const r = await put(bad);
    expect(r.status(), JSON.stringify(bad)).toBe(400);
  }
  // Nothing of a refused change was kept.
  expect(await get()).toEqual({ offers: false, lang: 'en', elder: false });

  // null forgets: no phone is offered them any more.
  expect(await (await put({ lang: null, elder: null, offers: true })).json()).toEqual({ offers: true });
  expect(await get()).toEqual({ offers: true });
});
