// 新生儿出生, walked by the mother at phone size from the home page to
// 已送达, as she would: by roles and visible text. On the way: a reload and
// back/forward at every step, e-certificates released after consent, a
// several-megabyte camera photo compressed on the phone to ≤1 MB (and
// received so by the department with its item), a wrong phone number
// caught without losing what was typed, check answers' 修改 going to the
// question and back, one submission with a readable reference found again
// in 我的办件, a correction that asks for a new photo, and a rating.
import { expect, test } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { Walk, answer, cameraPhoto, received, scenario, signInHere } from './helpers';

test.beforeEach(async () => resetScenarios());

const REFERENCE = /BS-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}/;

test('a mother applies for her newborn from the home page to 已送达, with photos, e-certificates, a correction and a rating', async ({ page }) => {
  test.setTimeout(240_000);
  // The police ask for a sharper photo of the joint application once.
  await scenario('police', {
    step_ms: 300,
    script: ['correction_required', 'accepted', 'under_review', 'approved', 'producing', 'posted', 'delivered'],
    corrections: [{
      target: 'material:joint-application',
      reason: { zh: '照片太暗，签名看不清', en: 'The photo is too dark to read the signatures' },
      fix: { zh: '请在光线好的地方重新拍一张', en: 'Take it again in good light' },
    }],
  });
  const walk = new Walk(page, 'newborn');

  await page.goto('/');
  await walk.at('高效办成一件事', 'home');
  await signInHere(page, /李娜/);
  await expect(page.locator('.signed-in')).toHaveText('李*');

  await page.getByRole('link', { name: /新生儿出生/ }).first().click();
  await walk.at('新生儿出生', 'event');
  const eventUrl = page.url();
  await walk.survives('新生儿出生');

  await page.getByRole('button', { name: '开始办理' }).click();
  let previous = eventUrl;
  const questions: [RegExp, string][] = [
    [/有接生资格的医院出生/, '是'],
    [/领了结婚证/, '是'],
    [/户口上在谁那里/, '随妈妈'],
    [/同一个民族/, '是'],
  ];
  for (const [i, [q, a]] of questions.entries()) {
    await walk.at(q, `question-${i + 1}`);
    await expect(page).toHaveURL(/\/drafts\/[0-9a-f]+\/questions\/[a-z-]+$/);
    await walk.survives(q, i === 0 ? undefined : previous);
    previous = page.url();
    await answer(page, a);
  }

  await walk.at(/一次办好这 \d+ 个事项/, 'result');
  await walk.survives(/一次办好这/, previous);
  await expect(page.getByText('因为您回答了').first()).toBeVisible();
  previous = page.url();
  await page.getByRole('link', { name: '继续' }).click();

  await walk.at('准备材料', 'materials');
  await walk.survives('准备材料', previous);
  const materialsUrl = page.url();
  // Continue with nothing provided: the summary names what is missing.
  await page.getByRole('button', { name: '继续' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '还有材料没有提供' })).toBeVisible();

  const photo = await cameraPhoto(page);
  expect(photo.length).toBeGreaterThan(3_000_000);
  let m = 0;
  for (;;) {
    const provide = page.getByRole('link', { name: /^去提供/ }).first();
    if ((await provide.count()) === 0) break;
    await provide.click();
    m += 1;
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const ecert = page.getByRole('radio', { name: /用电子证照/ });
    let done = false;
    if ((await ecert.count()) > 0) {
      await ecert.check();
      await walk.at(/./, `material-${m}-consent`);
      await expect(page.getByText(/您同意把您的「.+」电子证照提供给.+，只用于办理「新生儿出生」/)).toBeVisible();
      await page.getByRole('button', { name: '同意，使用电子证照' }).click();
      // Released, or not held by this resident (the baby's own certificate).
      const outcome = await Promise.race([
        page.waitForURL(materialsUrl).then(() => 'released'),
        page.getByText('没有找到您的这份电子证照').waitFor().then(() => 'missing'),
      ]);
      done = outcome === 'released';
      if (!done) await page.getByRole('radio', { name: /拍照或上传/ }).check();
    }
    if (!done) {
      await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: photo });
      const preview = page.locator('.page-preview').first();
      await expect(preview.getByRole('img')).toBeVisible({ timeout: 30_000 });
      // Compressed on the phone, orientation applied (portrait from a landscape sensor).
      const kb = Number((await preview.locator('.size').innerText()).replace(/\D/g, ''));
      expect(kb).toBeLessThanOrEqual(1000);
      const [w, h] = await preview.getByRole('img').evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight]);
      expect(h).toBeGreaterThan(w);
      await walk.at(/./, `material-${m}-photo`);
      await walk.survives(/./);
      await page.getByRole('button', { name: '保存' }).click();
      await expect(page).toHaveURL(materialsUrl);
    }
  }
  expect(m).toBeGreaterThan(2);
  await expect(page.getByText(/免提交：用电子证照/).first()).toBeVisible();
  await walk.at('准备材料', 'materials-done');
  previous = page.url();
  await page.getByRole('button', { name: '继续' }).click();

  // The form, section by section.
  const answers: [RegExp, string][] = [
    [/^宝宝姓名/, '张小宝'],
    [/^宝宝出生日期/, '2026-11-20'],
    [/^户主姓名|户主姓名/, '李娜'],
    [/医保的地址/, '北京市东城区和平里东街11号院3号楼2单元501室'],
  ];
  let s = 0;
  while (!page.url().endsWith('/check')) {
    s += 1;
    await expect(page.locator('form.merged-form')).toBeVisible();
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    await walk.at(heading, `form-${s}`);
    if (s === 1) {
      // The phone came from her identity, marked so; a wrong one is caught, and kept.
      const phone = page.getByLabel(/手机号码/);
      await expect(phone).toHaveValue('13900139000');
      await expect(page.getByText('来自您的实名身份信息').first()).toBeVisible();
      await phone.fill('1390');
      await page.getByRole('button', { name: '继续' }).click();
      const summary = page.getByRole('alert').filter({ hasText: '有几处需要修改' });
      await expect(summary).toContainText('手机号码');
      await walk.at(heading, `form-${s}-error`);
      await expect(phone).toHaveValue('1390');
      await summary.getByRole('link').first().click();
      await expect(phone).toBeFocused();
      await phone.fill('13900139000');
    }
    for (const [label, value] of answers) {
      const input = page.getByLabel(label);
      if ((await input.count()) > 0 && (await input.inputValue()) === '') await input.fill(value);
    }
    const boy = page.getByRole('radio', { name: '男' });
    if ((await boy.count()) > 0) await boy.check();
    await walk.survives(heading, previous);
    previous = page.url();
    await page.getByRole('button', { name: '继续' }).click();
  }

  await walk.at('提交前请核对', 'check');
  await walk.survives('提交前请核对', previous);
  // 修改 goes to that question and comes back here.
  await page.getByRole('link', { name: '修改' }).first().click();
  await expect(page).toHaveURL(/\/questions\/born-in-hospital\?return=check$/);
  await answer(page, '是');
  await expect(page).toHaveURL(/\/check$/);

  await page.getByRole('button', { name: '确认提交' }).click();
  await walk.at('已提交', 'confirmation');
  const reference = (await page.locator('.reference').innerText()).trim();
  expect(reference).toMatch(REFERENCE);
  await expect(page.getByText('接下来会怎样')).toBeVisible();

  await page.getByRole('link', { name: '我的办件' }).first().click();
  await walk.at('我的办件', 'applications');
  await page.getByRole('link', { name: new RegExp(reference) }).click();

  await walk.at('新生儿出生', 'tracking');
  await expect(page.getByText(reference)).toBeVisible();
  const appId = page.url().split('/').pop()!;

  // The police ask for a new photo: the correction names it, why and how.
  await page.getByRole('link', { name: '去补正这一项' }).click({ timeout: 30_000 });
  await walk.at('补正材料', 'correction');
  await expect(page.getByText('照片太暗，签名看不清')).toBeVisible();
  await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: '重新提交这一项' }).click();
  await expect(page).toHaveURL(new RegExp(`/applications/${appId}$`));

  await expect(page.locator('.overall')).toHaveText(/全部9项已完成/, { timeout: 90_000 });
  await walk.at('新生儿出生', 'tracking-done');

  // The department received the photo with its item, under 1 MB, twice revised.
  const view = await (await page.request.get(`/api/applications/${appId}`)).json();
  const hukou = view.items.find((i: any) => i.item_id === 'hukou');
  expect(hukou.status).toBe('delivered');
  const got = await received('police', hukou.id);
  const joint = got.materials.find((x: any) => x.material_id === 'joint-application');
  expect(joint.attachments.length).toBe(1);
  expect(got.revision).toBe(1);
  for (const f of got.fetched) {
    expect(f.matches).toBe(true);
    expect(f.size).toBeLessThanOrEqual(1_000_000);
  }

  await page.getByRole('link', { name: '评价这次服务' }).click();
  await walk.at(/评价这次服务/, 'rating');
  await page.getByRole('radio', { name: /非常满意/ }).check();
  await page.getByLabel(/想说的话/).fill('一次就办好了，谢谢！');
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByText('您的评价：')).toBeVisible();
  await walk.at('新生儿出生', 'rated');
});
