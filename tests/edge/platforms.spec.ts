// The other platforms the edge talks to, all played by the sandbox over
// HTTP: announced maintenance windows, a department without webhooks
// (polled by the cron), the SLA watchdog, SMS, 好差评, attachments in R2,
// e-certificates and households.
import { expect, request, test } from '@playwright/test';
import { BASE, JPEG, SANDBOX, SSC, cron, eventually, scenario, signIn, submit, webhook, resetScenarios, type Session } from './helpers';

test.beforeEach(async () => resetScenarios());

const DAY = 24 * 3600 * 1000;

async function view(s: Session, id: string) {
  return (await s.api.get(`/api/applications/${id}`)).json();
}

function ssc(name: string, id: string, phone: string) {
  return { ...SSC, fields: { 'cardholder.name': name, 'cardholder.id_number': id, 'applicant.phone': phone } };
}
const ZHAO = ssc('赵敏', '11010119800520201X', '13600136000');
const WANG = ssc('王秀英', '110101195209182029', '13700137000');

test('an announced maintenance window holds the relay, shows the notice, and sends once it ends', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-zhao-min');
  const now = Date.now();
  const window = {
    starts_at: new Date(now - 60_000).toISOString(),
    ends_at: new Date(now + 10_000).toISOString(),
    notice: { zh: '社保系统升级', en: 'social security system upgrade' },
  };
  await scenario(s.api, 'hrss', { step_ms: 300, maintenance_windows: [window] });
  const app = await (await submit(s, ZHAO)).json();
  const held = await eventually('held with the announced notice', async () => {
    const it = (await view(s, app.id)).items[0];
    return it.relay === 'held' && it.notice ? it : undefined;
  });
  expect(held.status).toBe('submitted');
  expect(held.notice.body.zh).toContain('社保系统升级');
  expect(held.notice.body.zh).toContain('自动提交');
  // Nothing reached the department during the window.
  const during = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
  expect(during.find((x: any) => x.external_id === app.items[0].id)).toBeUndefined();
  await eventually('delivered after the window, once', async () => {
    const it = (await view(s, app.id)).items[0];
    return it.relay === 'delivered' && it.status !== 'submitted' ? true : undefined;
  }, 60_000);
  const after = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
  expect(after.find((x: any) => x.external_id === app.items[0].id).deliveries).toBe(1);
  expect((await view(s, app.id)).items[0].notice).toBeUndefined();
});

const RETIREMENT = {
  event_id: 'retirement',
  answers: {
    'reached-age': true,
    'needs-file-review': false,
    'one-child': false,
    'local-hukou': true,
    'has-housing-fund': true,
  },
  fields: {
    'applicant.name': '王秀英',
    'applicant.id_number': '110101195209182029',
    'applicant.phone': '13700137000',
    'housing_fund.centre': '北京住房公积金管理中心',
    'applicant.bank_card': '6222021234567890128',
  },
};

test('a department without webhooks is polled by the cron to the end, and never calls back', async () => {
  test.setTimeout(120_000);
  const s = await signIn('r-wang-xiuying');
  const created = await submit(s, RETIREMENT);
  expect(created.status(), await created.text()).toBe(201);
  const app = await created.json();
  const fund = app.items.filter((i: any) => i.item_id.startsWith('hpf-'));
  expect(fund).toHaveLength(2);
  // The sandbox walks them (300 ms a step) but only records the updates.
  await eventually('the housing fund has walked both items', async () => {
    const r = await (await s.api.get(`${SANDBOX}/_sandbox/departments/housing-fund/received`)).json();
    const mine = r.filter((x: any) => fund.some((f: any) => f.id === x.external_id));
    return mine.length === 2 && mine.every((x: any) => x.updates.length >= 3) ? mine : undefined;
  }, 30_000);
  // No webhook came: the edge still shows them as submitted.
  for (const f of fund) {
    const it = (await view(s, app.id)).items.find((i: any) => i.id === f.id);
    expect(it.status).toBe('submitted');
  }
  await cron();
  const done = await eventually('polled to their last status', async () => {
    await cron();
    const items = (await view(s, app.id)).items.filter((i: any) => i.item_id.startsWith('hpf-'));
    return items.every((i: any) => i.status === 'approved') ? items : undefined;
  }, 30_000);
  for (const it of done) {
    expect(it.timeline.map((t: any) => t.status)).toEqual(['submitted', 'accepted', 'under_review', 'approved']);
  }
  const r = await (await s.api.get(`${SANDBOX}/_sandbox/departments/housing-fund/received`)).json();
  for (const x of r.filter((x: any) => fund.some((f: any) => f.id === x.external_id))) {
    expect(x.sent).toEqual([]); // never a webhook
    expect(x.deliveries).toBe(1);
  }
  // Polling again changes nothing (updates are de-duplicated by id).
  await cron();
  const again = (await view(s, app.id)).items.filter((i: any) => i.item_id.startsWith('hpf-'));
  expect(again.map((i: any) => i.timeline.length)).toEqual(done.map((i: any) => i.timeline.length));
});

test('callbacks lost on the way are found in the department\'s log once the item is quiet, a finished item\'s too', async () => {
  test.setTimeout(120_000);
  const s = await signIn('r-zhao-min');
  // Every callback is lost: the department only keeps its log.
  await scenario(s.api, 'hrss', { step_ms: 300, webhook_drop_rate: 1 });
  const app = await (await submit(s, ZHAO)).json();
  const id = app.items[0].id;
  const rec = await eventually('the department has walked the item to its end', async () => {
    const r = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
    const mine = r.find((x: any) => x.external_id === id);
    return mine?.finished ? mine : undefined;
  }, 30_000);
  const log = rec.updates.map((u: any) => u.status);
  expect(rec.sent).toEqual([]);
  // Only the first, the approval and the last callback get through (as a
  // department might resend them): the item is finished, steps are missing.
  const through = [rec.updates[0], rec.updates.find((u: any) => u.status === 'approved'), rec.updates.at(-1)];
  for (const u of [...new Set(through)]) expect((await webhook(s.api, 'hrss', u)).status()).toBe(200);
  const finished = (await view(s, app.id)).items[0];
  expect(finished.status).toBe(log.at(-1));
  expect(finished.timeline.length).toBeLessThan(log.length + 1);
  // A cron while the item is fresh leaves it; once it is quiet, its log is read.
  await cron();
  expect((await view(s, app.id)).items[0].timeline.length).toBe(finished.timeline.length);
  const later = Date.now() + 11 * 60_000;
  const item = await eventually('the lost steps are in the timeline', async () => {
    await cron(later);
    const it = (await view(s, app.id)).items[0];
    return it.timeline.length === log.length + 1 ? it : undefined;
  }, 30_000);
  expect(item.timeline.map((t: any) => t.status)).toEqual(['submitted', ...log]);
  expect(item.status).toBe(log.at(-1));
});

test('a department that finished an item whose relay answers were all lost has it: the item reads delivered and its lost callbacks are found in the log', async () => {
  test.setTimeout(120_000);
  const s = await signIn('r-zhao-min');
  // The department takes the item, but every answer to the relay is lost
  // (the edge keeps retrying) and every callback too.
  await scenario(s.api, 'hrss', { step_ms: 300, webhook_drop_rate: 1, lose_answers: 1000 });
  const app = await (await submit(s, ZHAO)).json();
  const id = app.items[0].id;
  const rec = await eventually('the department has walked the item to its end', async () => {
    const r = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
    const mine = r.find((x: any) => x.external_id === id);
    return mine?.finished ? mine : undefined;
  }, 30_000);
  const log = rec.updates.map((u: any) => u.status);
  expect((await view(s, app.id)).items[0].relay).toBe('retrying');
  // The first, the approval and the last callback get through: finished, steps missing.
  const through = [rec.updates[0], rec.updates.find((u: any) => u.status === 'approved'), rec.updates.at(-1)];
  for (const u of through) expect((await webhook(s.api, 'hrss', u)).status()).toBe(200);
  const finished = (await view(s, app.id)).items[0];
  expect(finished.status).toBe(log.at(-1));
  expect(finished.timeline.map((t: any) => t.status)).toEqual(['submitted', ...through.map((u) => u.status)]);
  // Not "the department is not answering" on an item it finished.
  expect(finished.relay).toBe('delivered');
  const later = Date.now() + 11 * 60_000;
  const item = await eventually('the lost steps are in the timeline', async () => {
    await cron(later);
    const it = (await view(s, app.id)).items[0];
    return it.timeline.length === log.length + 1 ? it : undefined;
  }, 30_000);
  expect(item.timeline.map((t: any) => t.status)).toEqual(['submitted', ...log]);
  expect(item.status).toBe(log.at(-1));
  expect(item.relay).toBe('delivered');
});

test('the SLA watchdog reports an item not accepted within one working day, once', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-zhao-min');
  await scenario(s.api, 'hrss', { step_ms: 300, script: [] }); // receives, never accepts
  const app = await (await submit(s, ZHAO)).json();
  await eventually('delivered', async () => ((await view(s, app.id)).items[0].relay === 'delivered' ? true : undefined));
  // Later the same day: not late yet.
  await cron(Date.now() + 60_000);
  expect((await view(s, app.id)).items[0].timeline).toHaveLength(1);
  // Four days on, at least one whole working day has passed whatever today is.
  await cron(Date.now() + 4 * DAY + 60_000);
  await cron(Date.now() + 5 * DAY);
  const it = (await view(s, app.id)).items[0];
  const notices = it.timeline.filter((t: any) => t.kind === 'notice');
  expect(notices).toHaveLength(1);
  expect(it.status).toBe('submitted'); // a notice, not a status change
  expect(notices[0].title.zh).toBe('部门还没有受理，已记为超时');
  expect(notices[0].body.zh).toContain('超过1个工作日还没有受理');
  expect(notices[0].body.zh).toContain('12345');
  const inbox = await (await s.api.get('/api/inbox')).json();
  expect(inbox.messages.some((m: any) => m.title.zh === notices[0].title.zh && m.application_id === app.id)).toBe(true);
});

test('the SLA watchdog reports an accepted item past its due date', async () => {
  test.setTimeout(60_000);
  const s = await signIn('r-zhao-min');
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['accepted'] }); // accepts, then nothing
  const app = await (await submit(s, ZHAO)).json();
  const accepted = await eventually('accepted with a due date', async () => {
    const it = (await view(s, app.id)).items[0];
    return it.status === 'accepted' && it.due ? it : undefined;
  });
  const due = new Date(`${accepted.due.due}T12:00:00+08:00`).getTime();
  await cron(due - DAY); // before the due date: nothing
  expect((await view(s, app.id)).items[0].timeline.filter((t: any) => t.kind === 'notice')).toHaveLength(0);
  await cron(due + 2 * DAY);
  const notices = (await view(s, app.id)).items[0].timeline.filter((t: any) => t.kind === 'notice');
  expect(notices).toHaveLength(1);
  expect(notices[0].title.zh).toBe('已超过承诺时限，已记为超时');
  const [y, m, d] = accepted.due.due.split('-').map(Number);
  expect(notices[0].body.zh).toContain(`${y}年${m}月${d}日`);
});

test('every department-made transition is texted once through the SMS gateway, with its receipt recorded', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-zhao-min');
  const app = await (await submit(s, ZHAO)).json();
  await eventually('delivered to the resident', async () => ((await view(s, app.id)).items[0].status === 'delivered' ? true : undefined), 30_000);
  const inbox = await eventually('every department message has a delivered text', async () => {
    const i = await (await s.api.get('/api/inbox')).json();
    const mine = i.messages.filter((m: any) => m.application_id === app.id);
    const fromDept = mine.filter((m: any) => m.status !== 'submitted');
    return fromDept.length >= 5 && fromDept.every((m: any) => m.sms === 'delivered') ? mine : undefined;
  });
  // The resident's own submission is not texted back to them.
  expect(inbox.filter((m: any) => m.status === 'submitted').every((m: any) => m.sms === undefined)).toBe(true);
  const texts = await (await s.api.get(`${SANDBOX}/_sandbox/sms/messages?to=13600136000`)).json();
  for (const m of inbox.filter((m: any) => m.status !== 'submitted')) {
    const sent = texts.filter((t: any) => t.reference === `banshi-tl-${m.seq}`);
    expect(sent, `one text for ${m.title.zh}`).toHaveLength(1);
    expect(sent[0].text).toBe(`【办事】${m.title.zh}：${m.body.zh}`.slice(0, 300));
    expect(sent[0].text).not.toContain('11010119800520201X'); // no ID number by text
  }
});

test('texts wait while the SMS gateway is down and go out once, by the cron, when it is back', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-zhao-min');
  const sandbox = await request.newContext();
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['accepted'] });
  expect((await sandbox.put(`${SANDBOX}/_sandbox/sms/scenario`, { data: { down: true } })).status()).toBe(204);
  const app = await (await submit(s, ZHAO)).json();
  const pending = await eventually('accepted, its text pending', async () => {
    const i = await (await s.api.get('/api/inbox')).json();
    return i.messages.find((m: any) => m.application_id === app.id && m.status === 'accepted' && m.sms === 'pending');
  });
  await cron(); // still down: stays pending
  expect((await sandbox.put(`${SANDBOX}/_sandbox/sms/scenario`, { data: { down: false } })).status()).toBe(204);
  // Retried after its backoff (a minute on is past any first backoff).
  await cron(Date.now() + 60_000);
  await cron(Date.now() + 120_000); // a second run must not send it again
  const i = await (await s.api.get('/api/inbox')).json();
  expect(i.messages.find((m: any) => m.seq === pending.seq).sms).toBe('delivered');
  const texts = await (await sandbox.get(`${SANDBOX}/_sandbox/sms/messages?to=13600136000`)).json();
  expect(texts.filter((t: any) => t.reference === `banshi-tl-${pending.seq}`)).toHaveLength(1);
});

test('好差评: only a finished event, 1–5 stars, once; relayed to the evaluation platform, later if it is down', async () => {
  test.setTimeout(90_000);
  const s = await signIn('r-wang-xiuying');
  const sandbox = await request.newContext();
  const app = await (await submit(s, WANG)).json();
  const rate = (body: unknown) => s.api.post(`/api/applications/${app.id}/rating`, { data: body, headers: { 'x-csrf-token': s.csrf } });
  const early = await rate({ score: 5, comment: '很快' });
  expect(early.status()).toBe(409);
  expect((await early.json()).error.code).toBe('not_finished');
  await eventually('finished', async () => ((await view(s, app.id)).can_rate ? true : undefined), 30_000);
  const bad = await rate({ score: 6 });
  expect(bad.status()).toBe(422);
  expect((await bad.json()).error.fields[0].field).toBe('score');
  expect((await rate({ score: 'five' })).status()).toBe(400);
  // The platform is down: the rating is kept and relayed later.
  expect((await sandbox.put(`${SANDBOX}/_sandbox/evaluation/scenario`, { data: { down: true } })).status()).toBe(204);
  const rated = await rate({ score: 4, comment: '  办得挺快，就是要等卡寄到 ' });
  expect(rated.status()).toBe(201);
  const v = await rated.json();
  expect(v.rating).toEqual({ score: 4, comment: '办得挺快，就是要等卡寄到', relayed: false });
  expect(v.can_rate).toBe(false);
  expect((await rate({ score: 4, comment: '办得挺快，就是要等卡寄到' })).status()).toBe(200); // the same again
  const changed = await rate({ score: 1 });
  expect(changed.status()).toBe(409);
  expect((await changed.json()).error.code).toBe('already_rated');
  expect((await sandbox.put(`${SANDBOX}/_sandbox/evaluation/scenario`, { data: { down: false } })).status()).toBe(204);
  await cron(Date.now() + 60_000); // past the rating's first backoff
  expect((await view(s, app.id)).rating.relayed).toBe(true);
  const ratings = await (await sandbox.get(`${SANDBOX}/_sandbox/evaluation/ratings`)).json();
  const mine = ratings.filter((r: any) => r.application_id === app.id);
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ event_id: 'social-security-card', score: 4, departments: ['hrss'] });
  // Someone else cannot rate it: 404, as for reading it.
  const other = await signIn('r-chen-jie');
  const theirs = await other.api.post(`/api/applications/${app.id}/rating`, { data: { score: 1 }, headers: { 'x-csrf-token': other.csrf } });
  expect(theirs.status()).toBe(404);
});


test('attachments: typed by content, size-limited, readable only by their owner', async () => {
  const s = await signIn('r-zhang-wei');
  const upload = (data: Buffer, name: string, headers: Record<string, string> = {}) =>
    s.api.post(`/api/attachments?name=${encodeURIComponent(name)}`, {
      data,
      headers: { 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream', ...headers },
    });
  const ok = await upload(JPEG, '户口簿首页.png');
  expect(ok.status(), await ok.text()).toBe(201);
  const a = await ok.json();
  expect(a).toMatchObject({ name: '户口簿首页.png', content_type: 'image/jpeg', size: JPEG.length });
  const back = await s.api.get(`/api/attachments/${a.id}`);
  expect(back.status()).toBe(200);
  expect(Buffer.from(await back.body()).equals(JPEG)).toBe(true);
  expect(back.headers()['content-type']).toBe('image/jpeg');
  expect(back.headers()['x-content-type-options']).toBe('nosniff');
  const list = await (await s.api.get('/api/attachments')).json();
  expect(list.attachments.map((x: any) => x.id)).toContain(a.id);

  // A page renamed to .jpg, claiming to be an image, is refused by its content.
  const html = await upload(Buffer.from('<html><script>alert(1)</script>'), 'photo.jpg', { 'content-type': 'image/jpeg' });
  expect(html.status()).toBe(415);
  expect((await html.json()).error.message.zh).toContain('只能上传照片');
  const big = await upload(Buffer.concat([JPEG, Buffer.alloc(10 * 1024 * 1024)]), 'big.jpg');
  expect(big.status()).toBe(413);
  expect((await big.json()).error.message.zh).toContain('10MB');
  expect((await upload(Buffer.alloc(0), 'empty.jpg')).status()).toBe(422);
  expect((await s.api.post('/api/attachments', { data: JPEG })).status()).toBe(403); // no CSRF token

  const other = await signIn('r-chen-jie');
  expect((await other.api.get(`/api/attachments/${a.id}`)).status()).toBe(404);
  const theirs = (await (await other.api.get('/api/attachments')).json()).attachments;
  expect(theirs.map((x: any) => x.id)).not.toContain(a.id);
  const anonymous = await request.newContext();
  expect((await anonymous.get(`${BASE}/api/attachments/${a.id}`)).status()).toBe(401);
});

test('household and e-certificates: the resident\'s own, released for a named purpose', async () => {
  const s = await signIn('r-zhang-wei');
  const household = await (await s.api.get('/api/me/household')).json();
  const relation = (name: string) => household.members.find((m: any) => m.name === name)?.relation;
  expect(relation('张伟')).toBe('self');
  expect(relation('李娜')).toBe('spouse');
  expect(relation('张小宝')).toBe('child');
  expect(relation('王秀英')).toBe('parent');
  expect(household.members.find((m: any) => m.name === '赵敏').disabled).toBe(true);

  const release = (body: unknown, headers: Record<string, string> = { 'x-csrf-token': s.csrf }) =>
    s.api.post('/api/me/certificates', { data: body, headers });
  const released = await release({ purpose: 'newborn', ecerts: ['marriage-certificate', 'household-register'] });
  expect(released.status(), await released.text()).toBe(200);
  const certs = await released.json();
  expect(certs.purpose).toBe('newborn');
  // Only what was consented to, each by name.
  expect(certs.certificates.map((c: any) => c.kind).sort()).toEqual(['household-register', 'marriage-certificate']);
  const marriage = certs.certificates.find((c: any) => c.kind === 'marriage-certificate');
  expect(marriage.fields.spouse_name).toBe('李娜');
  expect(certs.certificates.find((c: any) => c.kind === 'household-register').fields.address).toContain('北京市东城区');
  expect(certs.certificates.every((c: any) => c.holder_name === '张伟')).toBe(true);
  const access = await (await s.api.get(`${SANDBOX}/_sandbox/ecerts/access`)).json();
  expect(access.at(-1)).toMatchObject({ sub: 'r-zhang-wei', purpose: 'newborn', kinds: ['household-register', 'marriage-certificate'] });

  // A cross-site link cannot release anything: it is a POST with the CSRF token.
  expect((await s.api.get('/api/me/certificates?purpose=newborn')).status()).toBe(405);
  expect((await release({ purpose: 'newborn', ecerts: ['household-register'] }, {})).status()).toBe(403);
  const noPurpose = await release({ purpose: 'buy-a-yacht', ecerts: ['household-register'] });
  expect(noPurpose.status()).toBe(422);
  expect((await noPurpose.json()).error.fields[0].field).toBe('purpose');
  // Nothing consented, or a type this event does not use: refused, naming `ecerts`.
  for (const ecerts of [[], ['driving-licence'], ['household-register', 'household-register']]) {
    const r = await release({ purpose: 'newborn', ecerts });
    expect(r.status(), JSON.stringify(ecerts)).toBe(422);
    expect((await r.json()).error.fields[0].field).toBe('ecerts');
  }

  const other = await signIn('r-chen-jie');
  const theirs = await (await other.api.get('/api/me/household')).json();
  expect(theirs.members.map((m: any) => m.name)).toEqual(['陈杰']);
});
