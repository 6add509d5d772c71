// 家人代办 in the browser at 390×844, with the sandbox's seeded household
// (张伟, his mother 王秀英, his wife 李娜, their son 张小宝): the son asks his
// mother for permission, she reads him the code from her text, he applies
// for 退休 for her under the banner that names her; she sees it in her own
// account with who did it, and the texts; she revokes, and his next attempt
// is refused in words. Then the baby's mother acts for him as his guardian,
// with no grant. Elder mode on the proxy screens, axe on every page.
import { expect, test, type Browser, type Page } from '@playwright/test';
import { cron, resetScenarios } from '../edge/helpers';
import { SANDBOX, Walk, answer, cameraPhoto, elderProblems, languageProblems, scenario, signInHere } from './helpers';

test.beforeEach(async () => resetScenarios());

const MOTHER_PHONE = '13700137000';
const SON_PHONE = '13800138000';

async function textsTo(page: Page, phone: string): Promise<string[]> {
  const list = await (await page.request.get(`${SANDBOX}/_sandbox/sms/messages?to=${phone}`)).json();
  return list.map((m: any) => m.text);
}

async function signedIn(browser: Browser, name: RegExp) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await signInHere(page, name);
  await expect(page.locator('.signed-in')).toBeVisible();
  return page;
}

/** 退休 from the event page to its check page, as in the elder-mode walk, for whoever is shown. */
async function retirementToCheck(page: Page, walk: Walk) {
  await page.getByRole('link', { name: /退休/ }).first().click();
  await walk.at('退休', 'event');
  await page.getByRole('button', { name: '开始办理' }).click();
  for (const [q, a] of [
    [/到了法定退休年龄/, '是'],
    [/视同缴费年限/, '否'],
    [/独生子女父母光荣证/, '否'],
    [/户口在本省/, '是'],
    [/交过住房公积金/, '否'],
  ] as [RegExp, string][]) {
    await walk.at(q, 'question');
    await answer(page, a);
  }
  await walk.at(/一次办好这 \d+ 个事项/, 'result');
  await page.getByRole('link', { name: '继续' }).click();
  // Nothing to photograph for these answers: straight to the form, whose
  // applicant is her, prefilled from her identity (not his).
  await walk.at('申请人（王秀英）', 'form-applicant');
  await expect(page.getByLabel('姓名', { exact: true })).toHaveValue('王秀英');
  await expect(page.getByLabel('身份证号码')).toHaveValue('110101195209182029');
  await expect(page.getByText('来自对方的实名身份信息').first()).toBeVisible();
  const fill: [RegExp, string][] = [[/一类银行卡号/, '6228480402564890018']];
  while (!page.url().endsWith('/check')) {
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    for (const [label, value] of fill) {
      const input = page.getByLabel(label);
      if ((await input.count()) > 0 && (await input.inputValue()) === '') await input.fill(value);
    }
    await walk.at(heading, 'form');
    await page.getByRole('button', { name: '继续' }).click();
  }
  await walk.at('提交前请核对', 'check');
  await expect(page.locator('main')).toContainText('王秀英');
  await expect(page.locator('main')).not.toContainText('张伟');
}

/** 退休 from the event page to 已提交, for whoever is shown. */
async function applyForRetirement(page: Page, walk: Walk) {
  await retirementToCheck(page, walk);
  await page.getByRole('button', { name: '确认提交' }).click();
  await walk.at('已提交', 'confirmation');
  return (await page.locator('.reference').innerText()).trim();
}

test('a son gets his mother\'s consent by code, applies for 退休 for her, she sees it and revokes, and he is refused in words', async ({ browser }) => {
  test.setTimeout(300_000);
  const son = await signedIn(browser, /张伟/);
  const walk = new Walk(son, 'proxy-son');

  // 为家人办理 on the home page; nobody yet, so he asks.
  await son.getByRole('link', { name: '为家人办理' }).click();
  await walk.at('为家人办理', 'family');
  const ask = son.locator('form.ask');
  await ask.getByLabel('对方姓名').fill('王秀英');
  await ask.getByLabel('对方身份证号').fill('110101195209182029');
  await ask.getByLabel('您是对方的').selectOption({ label: '子女' });
  await ask.getByRole('radio', { name: '只办一件事' }).check();
  await ask.getByLabel('办哪件事').selectOption('retirement');
  await ask.getByRole('button', { name: '发送授权申请' }).click();
  await expect(son.getByRole('heading', { name: '等待对方同意' })).toBeVisible();
  await walk.at('为家人办理', 'family-waiting');

  // She gets a text with the code, and reads it to him.
  let code = '';
  await expect.poll(async () => {
    const t = (await textsTo(son, MOTHER_PHONE)).find((x) => x.includes('张伟') && /验证码\d{6}/.test(x));
    code = t?.match(/验证码(\d{6})/)?.[1] ?? '';
    return code;
  }, { timeout: 30_000 }).not.toBe('');
  await son.getByLabel('对方告诉您的6位验证码').fill(code);
  await son.getByRole('button', { name: '确认' }).click();
  await expect(son.getByText('授权已生效')).toBeVisible();

  // He acts for her: the banner names her on every page from now on.
  // (His own son, a minor, is listed too: as his guardian, with no grant.)
  await expect(son.locator('.principal', { hasText: '张小宝' })).toBeVisible();
  await son.locator('.principal', { hasText: '王秀英' }).getByRole('button', { name: /替他（她）办理/ }).click();
  const banner = son.getByRole('region', { name: '正在替家人办理' });
  await expect(banner).toContainText('正在为 母亲 王秀英 办理');
  await walk.at('高效办成一件事', 'home-acting');
  const reference = await applyForRetirement(son, walk);
  await expect(banner).toContainText('正在为 母亲 王秀英 办理');
  await cron();

  // Hers, in her account: who applied, and her texts; his copy on his phone.
  const mother = await signedIn(browser, /王秀英/);
  const hers = new Walk(mother, 'proxy-mother');
  await mother.getByRole('button', { name: '长辈版' }).click();
  await mother.goto('/applications');
  await hers.at('我的办件', 'applications');
  expect(await elderProblems(mother), 'elder mode on applications').toEqual([]);
  await expect(mother.locator('main')).toContainText('由 张伟（儿子）代办');
  await mother.getByRole('link', { name: /退休/ }).first().click();
  await expect(mother.getByText(reference)).toBeVisible();
  await expect.poll(async () => (await textsTo(mother, MOTHER_PHONE)).some((t) => t.includes('退休')), { timeout: 30_000 }).toBe(true);
  await expect.poll(async () => (await textsTo(son, SON_PHONE)).some((t) => t.startsWith('您为王秀英代办的事项')), { timeout: 60_000 }).toBe(true);

  // 谁可以替我办理: the audit says what he did; she revokes.
  await mother.goto('/settings/family');
  await hers.at('谁可以替我办理', 'delegations');
  expect(await elderProblems(mother), 'elder mode on 谁可以替我办理').toEqual([]);
  await expect(mother.locator('.audit')).toContainText('张伟（儿子）代您提交了 退休一件事');
  await mother.getByRole('button', { name: '撤销' }).click();
  await expect(mother.locator('.delegation')).toContainText('已撤销');
  await expect(mother.getByRole('button', { name: '撤销' })).toHaveCount(0);

  // His very next attempt: refused, in words; he switches back to himself.
  await son.goto('/applications');
  await expect(son.getByRole('alert')).toContainText('撤销');
  await walk.at('我的办件', 'refused-after-revocation');
  await banner.getByRole('button', { name: '切换回我自己' }).click();
  await expect(banner).toHaveCount(0);
  // And she is no longer among those he may act for.
  await son.goto('/family');
  await expect(son.locator('.principal', { hasText: '张小宝' })).toBeVisible();
  await expect(son.locator('.principal', { hasText: '王秀英' })).toHaveCount(0);
});

/** Provide every material on the materials page: an e-certificate where
 *  the principal holds one (and `ecerts`), else a photo. */
async function provideAll(page: Page, walk: Walk, tag: string, ecerts = true) {
  const materials = page.url();
  const photo = await cameraPhoto(page);
  for (let m = 1; ; m++) {
    const provide = page.getByRole('link', { name: /^去提供/ }).first();
    if ((await provide.count()) === 0) return;
    await provide.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const ecert = page.getByRole('radio', { name: /用电子证照/ });
    if (!ecerts && (await ecert.count()) > 0) {
      await page.getByRole('radio', { name: /拍照或上传/ }).check();
    } else if ((await ecert.count()) > 0) {
      await ecert.check();
      await page.getByRole('button', { name: '同意，使用电子证照' }).click();
      const outcome = await Promise.race([
        page.waitForURL(materials).then(() => 'released'),
        page.getByText(/没有找到.*这份电子证照/).waitFor().then(() => 'missing'),
      ]);
      if (outcome === 'released') continue;
      await page.getByRole('radio', { name: /拍照或上传/ }).check();
    }
    await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: `IMG_${m}.jpg`, mimeType: 'image/jpeg', buffer: photo });
    await expect(page.locator('.page-preview').first().getByRole('img')).toBeVisible({ timeout: 30_000 });
    await walk.at(/./, `${tag}-material-${m}`);
    await page.getByRole('button', { name: '保存' }).click();
    await expect(page).toHaveURL(materials);
  }
}

test('a mother acts for her baby as his guardian with no grant: 新生儿出生 from the questions to 已提交 in elder mode, the draft and the application his', async ({ browser }) => {
  test.setTimeout(300_000);
  const mum = await signedIn(browser, /李娜/);
  const walk = new Walk(mum, 'proxy-guardian');
  await mum.getByRole('button', { name: '长辈版' }).click();
  await mum.getByRole('link', { name: '为家人办理' }).click();
  await walk.at('为家人办理', 'family');
  expect(await elderProblems(mum), 'elder mode on 为家人办理').toEqual([]);
  // Her child is in her household register: she may act for him as guardian.
  const baby = mum.locator('.principal', { hasText: '张小宝' });
  await expect(baby).toBeVisible();
  await baby.getByRole('button', { name: /替他（她）办理/ }).click();
  const banner = mum.getByRole('region', { name: '正在替家人办理' });
  await expect(banner).toContainText('张小宝');
  await mum.getByRole('link', { name: /新生儿出生/ }).first().click();
  await walk.at('新生儿出生', 'event');
  await mum.getByRole('button', { name: '开始办理' }).click();
  for (const [q, a] of [
    [/有接生资格的医院出生/, '是'],
    [/领了结婚证/, '是'],
    [/户口上在谁那里/, '随妈妈'],
    [/同一个民族/, '是'],
  ] as [RegExp, string][]) {
    await walk.at(q, 'question');
    await answer(mum, a);
  }
  await walk.at(/一次办好这 \d+ 个事项/, 'result');
  expect(await elderProblems(mum), 'elder mode on the result').toEqual([]);
  await expect(banner).toContainText('张小宝');

  // The draft is his: kept apart from her own, and there again when she acts for him.
  await mum.goto('/drafts');
  await expect(mum.locator('.drafts')).toContainText('新生儿出生');
  await banner.getByRole('button', { name: '切换回我自己' }).click();
  await mum.goto('/drafts');
  await walk.at('草稿', 'her-own-drafts');
  await expect(mum.locator('main')).not.toContainText('新生儿出生');
  await mum.goto('/family');
  await mum.locator('.principal', { hasText: '张小宝' }).getByRole('button', { name: /替他（她）办理/ }).click();
  await mum.goto('/drafts');
  await expect(mum.locator('.drafts')).toContainText('新生儿出生');

  // On to the end: his materials (his own e-certificates where he has them).
  await mum.locator('.drafts').getByRole('link', { name: /新生儿出生/ }).click();
  await walk.at(/一次办好这 \d+ 个事项/, 'resumed');
  await mum.getByRole('link', { name: '继续' }).click();
  await walk.at('准备材料', 'materials');
  await provideAll(mum, walk, 'guardian');
  await expect(mum.getByText(/免提交：用电子证照/).first()).toBeVisible();
  await mum.getByRole('button', { name: '继续' }).click();
  const fill: [RegExp, string][] = [
    [/^宝宝姓名/, '张小宝'],
    [/^宝宝出生日期/, '2026-11-20'],
    [/户主姓名/, '李娜'],
    [/医保的地址/, '北京市东城区和平里东街11号院3号楼2单元501室'],
    [/手机号码/, '13900139000'],
  ];
  for (let s = 1; !mum.url().endsWith('/check'); s++) {
    expect(s, 'the form ends').toBeLessThan(20);
    await expect(mum.locator('form.merged-form')).toBeVisible();
    const heading = await mum.getByRole('heading', { level: 1 }).innerText();
    for (const [label, value] of fill) {
      const input = mum.getByLabel(label);
      if ((await input.count()) === 1 && (await input.inputValue()) === '') await input.fill(value);
    }
    const boy = mum.getByRole('radio', { name: '男' });
    if ((await boy.count()) > 0) await boy.check();
    await walk.at(heading, `form-${s}`);
    await mum.getByRole('button', { name: '继续' }).click();
    await expect(mum.getByRole('alert').filter({ hasText: '有几处需要修改' })).toHaveCount(0);
  }
  await walk.at('提交前请核对', 'check');
  expect(await elderProblems(mum), 'elder mode on the check page').toEqual([]);
  await expect(banner).toContainText('张小宝');
  await mum.getByRole('button', { name: '确认提交' }).click();
  await walk.at('已提交', 'confirmation');
  const reference = (await mum.locator('.reference').innerText()).trim();
  expect(reference).toMatch(/^BS-/);

  // It is his application, made by her: in his list while she acts for him, with who did it.
  await mum.goto('/applications');
  await walk.at('我的办件', 'his-applications');
  const row = mum.getByRole('link', { name: new RegExp(reference) });
  await expect(row).toBeVisible();
  await expect(mum.locator('main')).toContainText('由 李娜（母亲）代办');
});

test('a mother lets her son act for her from her own account; what he sends after she revokes is refused in words and kept on his phone', async ({ browser }) => {
  test.setTimeout(300_000);
  const mother = await signedIn(browser, /王秀英/);
  const hers = new Walk(mother, 'proxy-grant-mother');
  await mother.getByRole('button', { name: '长辈版' }).click();
  await mother.goto('/settings/family');
  await hers.at('谁可以替我办理', 'delegations');
  expect(await elderProblems(mother), 'elder mode on 谁可以替我办理').toEqual([]);
  // What the earlier walk left (a text to him, a revocation in her record): counted, so only this grant's are checked.
  const grantTexts = async () => (await textsTo(mother, SON_PHONE)).filter((t) => t.includes('王秀英授权您替他（她）办理')).length;
  const textsBefore = await grantTexts();
  await expect(mother.locator('.audit').or(mother.getByText('还没有代办记录。'))).toBeVisible();
  const revokedBefore = await mother.locator('.audit li', { hasText: '撤销' }).count();
  // A number too short is caught, and nothing she typed is lost.
  await mother.getByLabel('家人姓名').fill('张伟');
  await mother.getByLabel('家人的手机号码或身份证号').fill('1380013');
  await mother.getByRole('button', { name: '同意他（她）替我办理' }).click();
  await expect(mother.getByRole('alert')).toContainText('11位手机号');
  await hers.at('谁可以替我办理', 'grant-error');
  await expect(mother.getByLabel('家人姓名')).toHaveValue('张伟');
  await mother.getByLabel('家人的手机号码或身份证号').fill(SON_PHONE);
  await mother.getByLabel('对方是您的').selectOption('child');
  await mother.getByRole('radio', { name: '只办一件事' }).check();
  await mother.getByLabel('办哪件事').selectOption('retirement');
  await mother.getByRole('button', { name: '同意他（她）替我办理' }).click();
  await expect(mother.getByText(/^已授权。/)).toBeVisible();
  const granted = mother.locator('.delegation').filter({ has: mother.getByRole('button', { name: '撤销' }) });
  await expect(granted).toHaveCount(1);
  // 儿子 once he has signed in here before (his ID number tells), else 子女.
  await expect(granted).toContainText(/张伟（(儿子|子女)）/);
  await expect(granted).toContainText('退休');
  await hers.at('谁可以替我办理', 'granted');
  await expect.poll(grantTexts, { timeout: 30_000 }).toBe(textsBefore + 1);

  const made = async () => (await (await mother.request.get('/api/applications')).json()).applications.filter((a: any) => a.acted_by).length;
  const before = await made();

  // He finds her on his 为家人办理 page and fills in 退休 for her, then loses the network.
  const son = await signedIn(browser, /张伟/);
  const walk = new Walk(son, 'proxy-grant-son');
  await son.goto('/family');
  await son.locator('.principal', { hasText: '王秀英' }).getByRole('button', { name: /替他（她）办理/ }).click();
  await retirementToCheck(son, walk);
  await son.context().setOffline(true);
  await son.getByRole('button', { name: '确认提交' }).click();
  await expect(son.getByText('已放入待发送').first()).toBeVisible();
  await walk.at(/./, 'queued-offline');

  // She changes her mind before it is sent.
  await granted.getByRole('button', { name: '撤销' }).click();
  await expect(granted).toHaveCount(0);
  await expect(mother.locator('.audit li', { hasText: '撤销' })).toHaveCount(revokedBefore + 1);

  // Back online, the phone sends it: refused in words, and nothing he entered is lost.
  await son.context().setOffline(false);
  await expect(son.getByText(/没能提交：\s*对方已经撤销了给您的授权/).first()).toBeVisible({ timeout: 45_000 });
  await walk.at(/./, 'refused');
  // Switched back to himself, he still finds it on his drafts page, with the reason.
  await son.getByRole('region', { name: '正在替家人办理' }).getByRole('button', { name: '切换回我自己' }).click();
  await son.goto('/drafts');
  const kept = son.locator('.drafts.refused');
  await expect(kept).toContainText('退休');
  await expect(kept).toContainText('王秀英');
  await expect(kept).toContainText('对方已经撤销了给您的授权');
  await walk.at('草稿', 'kept');
  // And the edge never took it: her applications made by him are as many as before it.
  await son.waitForTimeout(6_000);
  expect(await made()).toBe(before);
});

test('a relative hands in a signed paper 授权委托书, applies for the old lady once, and the department\'s check makes it active', async ({ browser }) => {
  test.setTimeout(300_000);
  await scenario('civil-affairs', { step_ms: 300, script: ['accepted'] });
  const agent = await signedIn(browser, /吴芳/);
  const walk = new Walk(agent, 'proxy-paper');
  await agent.goto('/family');
  await walk.at('为家人办理', 'family');
  const paper = agent.locator('form.paper');
  await paper.getByLabel('对方姓名').fill('周桂兰');
  await paper.getByLabel('对方身份证号').fill('11010519620309452X');
  await paper.getByLabel('您是对方的').selectOption('other_relative');
  // One event, and only those that accept a paper mandate.
  await expect(paper.getByRole('radio', { name: '所有个人事项' })).toHaveCount(0);
  await expect(paper.getByLabel('办哪件事').locator('option', { hasText: '老年人福利补贴申请' })).toHaveCount(1);
  const events = await paper.getByLabel('办哪件事').locator('option').allInnerTexts();
  expect(events).toContain('老年人福利补贴申请');
  expect(events).not.toContain('退休');
  // Nothing photographed: the edge says which papers are missing.
  await paper.getByRole('button', { name: '提交委托书' }).click();
  await expect(paper.getByRole('alert')).toContainText('请拍照上传');
  const photo = await cameraPhoto(agent);
  for (const group of ['对方签好名的授权委托书', '对方的身份证（正面和背面）']) {
    const g = paper.getByRole('group', { name: group });
    await g.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'p.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(g.locator('.page-preview').first().getByRole('img')).toBeVisible({ timeout: 30_000 });
  }
  await walk.at('为家人办理', 'paper-photos');
  await paper.getByRole('button', { name: '提交委托书' }).click();
  await expect(paper.getByRole('status').filter({ hasText: '已提交' })).toBeVisible({ timeout: 30_000 });

  // Pending, she can be chosen for the first application only; nothing of hers is prefilled.
  const her = agent.locator('.principal', { hasText: '周桂兰' });
  await expect(her).toBeVisible();
  await her.getByRole('button', { name: /替他（她）办理/ }).click();
  await agent.goto('/events/elderly-allowance');
  await walk.at('老年人福利补贴申请', 'event');
  await agent.getByRole('button', { name: '开始办理' }).click();
  await answer(agent, '是');
  await answer(agent, '是');
  await answer(agent, '近亲属代为申请');
  await walk.at(/一次办好这 \d+ 个事项/, 'result');
  await agent.getByRole('link', { name: '继续' }).click();
  await walk.at('准备材料', 'materials');
  await provideAll(agent, walk, 'paper', false);
  await agent.getByRole('button', { name: '继续' }).click();
  const fill: [RegExp, string][] = [
    [/^老人姓名/, '周桂兰'],
    [/^老人身份证号码/, '11010519620309452X'],
    [/^老人出生日期/, '1962-03-09'],
    [/^老人住址/, '北京市朝阳区团结湖路5号'],
    [/^老人本人的银行卡号/, '6222021234567890128'],
    [/^联系电话/, '13300133004'],
  ];
  for (let s = 1; !agent.url().endsWith('/check'); s++) {
    expect(s, 'the form ends').toBeLessThan(10);
    await expect(agent.locator('form.merged-form')).toBeVisible();
    for (const [label, value] of fill) {
      const input = agent.getByLabel(label);
      if ((await input.count()) === 1) {
        expect(await input.inputValue(), 'nothing of hers is prefilled on a mandate not yet checked').toBe('');
        await input.fill(value);
      }
    }
    await walk.at(/./, `form-${s}`);
    await agent.getByRole('button', { name: '继续' }).click();
  }
  await agent.getByRole('button', { name: '确认提交' }).click();
  await walk.at('已提交', 'confirmation');

  // The department checks the mandate with this application: the delegation is active.
  await expect.poll(async () => {
    const list = await (await agent.request.get('/api/delegations')).json();
    return list.received.find((d: any) => d.way === 'paper' && d.principal.name === '周桂兰')?.state;
  }, { timeout: 60_000 }).toBe('active');
  await agent.goto('/family');
  await expect(agent.locator('.principal', { hasText: '周桂兰' })).toBeVisible();
});

/** `provideAll`, in English: each document from the e-certificate where one can be used, else a photo. */
async function provideAllInEnglish(page: Page, walk: Walk, tag: string) {
  const materials = page.url();
  const photo = await cameraPhoto(page);
  for (let m = 1; ; m++) {
    expect(m, 'the documents end').toBeLessThan(15);
    const provide = page.getByRole('link', { name: /^Provide/ }).first();
    if ((await provide.count()) === 0) return;
    await provide.click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const ecert = page.getByRole('radio', { name: /electronic certificate/ });
    if ((await ecert.count()) > 0) {
      await ecert.check();
      await page.getByRole('button', { name: 'I agree, use the certificate' }).click();
      const outcome = await Promise.race([
        page.waitForURL(materials).then(() => 'released'),
        page.getByRole('alert').waitFor().then(() => 'missing'),
      ]);
      if (outcome === 'released') continue;
    }
    const upload = page.getByRole('radio', { name: /Take a photo or upload/ });
    if ((await upload.count()) > 0) await upload.check();
    await page.getByLabel('Take a photo', { exact: true }).setInputFiles({ name: `IMG_${m}.jpg`, mimeType: 'image/jpeg', buffer: photo });
    await expect(page.locator('.page-preview').first().getByRole('img')).toBeVisible({ timeout: 30_000 });
    await walk.at(/./, `${tag}-material-${m}`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page).toHaveURL(materials);
  }
}

async function inEnglish(page: Page) {
  await page.goto('/settings');
  await page.getByRole('radio', { name: 'English' }).check();
  await expect(page.locator('html[lang="en"]')).toHaveCount(1);
}

test('in English, a business\'s legal representative lets his daughter do its freight permit, and she applies for it with his business licence', async ({ browser }) => {
  test.setTimeout(300_000);
  // 马军 leads 深圳市马氏货运有限公司 in the sandbox's market-regulation register.
  const father = await signedIn(browser, /马军/);
  const his = new Walk(father, 'proxy-business-en');
  await inEnglish(father);
  await father.goto('/settings/family');
  await his.at('Who can act for me', 'delegations');
  expect(await languageProblems(father), 'English on Who can act for me').toEqual([]);
  await father.getByLabel('Their name').fill('马丽');
  await father.getByLabel('Their mobile number or ID number').fill('13700137002');
  await father.getByLabel('They are your').selectOption('child');
  await father.getByRole('radio', { name: 'One matter only' }).check();
  // Business matters are offered apart, with what they need said.
  await expect(father.locator('optgroup[label^="Business matters"] option[value="transport-company"]')).toHaveCount(1);
  await father.getByLabel('Which matter').selectOption('transport-company');
  await expect(father.getByText(/Only a business's legal representative can let someone else act for it/)).toBeVisible();
  await his.at('Who can act for me', 'grant-business');
  await father.getByRole('button', { name: 'Let them act for me' }).click();
  await expect(father.getByText(/^Done\./)).toBeVisible();
  await expect(father.locator('.delegation', { hasText: 'road freight' }).first()).toBeVisible();
  await his.at('Who can act for me', 'granted');
  expect(await languageProblems(father), 'English after granting').toEqual([]);

  // His daughter acts for him, in English, on his business's permit.
  const daughter = await signedIn(browser, /马丽/);
  const walk = new Walk(daughter, 'proxy-business-en-agent');
  await inEnglish(daughter);
  await daughter.goto('/family');
  await walk.at('Act for a family member', 'family');
  expect(await languageProblems(daughter), 'English on Act for a family member').toEqual([]);
  await daughter.locator('.principal', { hasText: '马军' }).getByRole('button', { name: 'Act for them' }).click();
  const banner = daughter.getByRole('region', { name: 'Acting for a family member' });
  await expect(banner).toContainText('马军');
  await daughter.getByRole('link', { name: /road freight business/ }).first().click();
  await walk.at(/road freight business/, 'event');
  await daughter.getByRole('button', { name: 'Start' }).click();
  for (let q = 0; q < 4; q++) {
    await walk.at(/\?/, `question-${q}`);
    await answer(daughter, 'Yes');
  }
  await daughter.getByRole('link', { name: 'Continue' }).click();
  await walk.at('Documents', 'materials');
  await provideAllInEnglish(daughter, walk, 'business');
  await daughter.getByRole('button', { name: 'Continue' }).click();
  // The form is his business's, from his business licence.
  let sawCode = false;
  for (let s = 1; !daughter.url().endsWith('/check'); s++) {
    expect(s, 'the form ends').toBeLessThan(20);
    await expect(daughter.locator('form.merged-form')).toBeVisible();
    const code = daughter.getByLabel('Unified social credit code');
    if ((await code.count()) === 1) {
      await expect(code).toHaveValue('91440305MA5F3K7Q2N');
      sawCode = true;
    }
    const trucks = daughter.getByLabel(/Number of trucks/);
    if ((await trucks.count()) === 1 && (await trucks.inputValue()) === '') await trucks.fill('3');
    await walk.at(/./, `form-${s}`);
    expect(await languageProblems(daughter), `English on form page ${s}`).toEqual([]);
    await daughter.getByRole('button', { name: 'Continue' }).click();
  }
  expect(sawCode, 'the credit code was asked, prefilled').toBe(true);
  await walk.at('Check your answers before submitting', 'check');
  await expect(banner).toContainText('马军');
  // The applicant is him, by name, not "you".
  await expect(daughter.getByRole('heading', { level: 2, name: 'The applicant: 马军' })).toBeVisible();
  await expect(daughter.locator('main')).not.toContainText('You, the applicant');
  await daughter.getByRole('button', { name: 'Submit' }).click();
  await walk.at('Application submitted', 'confirmation');
  expect(await languageProblems(daughter), 'English on the confirmation').toEqual([]);
  const reference = (await daughter.locator('.reference').innerText()).trim();
  // His, in his account, with who did it.
  const mine = await (await father.request.get('/api/applications')).json();
  const made = mine.applications.find((a: any) => a.reference === reference);
  expect(made?.acted_by?.label?.zh).toBe('由 马丽（女儿）代办');
});
