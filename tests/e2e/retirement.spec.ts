// 退休, walked in elder mode (长辈版) from the home page to the end: a
// grandmother starts before signing in, signs a promise (告知承诺) in full,
// lets her personnel file follow later (容缺), signs in from check answers
// and lands back there, submits once, provides the file from tracking when
// it is due, and rates the service. Every page is measured against elder
// mode's figures, checked by axe, kept as a screenshot, survives a reload
// and moves one step with back and forward; 朗读 reads the question aloud.
import { expect, test } from '@playwright/test';
import { cron, resetScenarios } from '../edge/helpers';
import { Walk, answer, cameraPhoto, elderProblems, signInHere, spyOnSpeech } from './helpers';

test.beforeEach(async () => resetScenarios());

test('a grandmother applies for retirement in elder mode, signs a promise, lets a material follow and provides it later', async ({ page }) => {
  test.setTimeout(240_000);
  await spyOnSpeech(page);
  const walk = new Walk(page, 'retirement-elder');
  const elder = async (label: string) => {
    expect(await elderProblems(page), `elder mode on ${label}`).toEqual([]);
  };

  await page.goto('/');
  await page.getByRole('button', { name: '长辈版' }).click();
  await expect(page.locator('html')).toHaveClass(/elder/);
  await walk.at('高效办成一件事', 'home');
  await elder('home');
  // Fewer choices: the most common personal events, my applications, help.
  await expect(page.getByRole('heading', { name: '企业办事' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: '拨打12345政务服务热线' })).toBeVisible();

  await page.getByRole('link', { name: /退休/ }).first().click();
  await walk.at('退休', 'event');
  await elder('event');
  const eventUrl = page.url();
  await page.getByRole('button', { name: '开始办理' }).click();

  let previous = eventUrl;
  const questions: [RegExp, string][] = [
    [/到了法定退休年龄/, '是'],
    [/视同缴费年限/, '是'],
    [/独生子女父母光荣证/, '是'],
    [/户口在本省/, '是'],
    [/交过住房公积金/, '是'],
  ];
  for (const [i, [q, a]] of questions.entries()) {
    await walk.at(q, `question-${i + 1}`);
    await elder(`question ${i + 1}`);
    await walk.survives(q, i === 0 ? undefined : previous);
    if (i === 0) {
      await page.getByRole('button', { name: '朗读' }).click();
      const spoken = await page.evaluate(() => (window as any).__spoken);
      expect(spoken).toHaveLength(1);
      expect(spoken[0].lang).toBe('zh-CN');
      expect(spoken[0].text).toContain('您已经到了法定退休年龄吗');
    }
    previous = page.url();
    await answer(page, a);
  }

  await walk.at(/一次办好这 \d+ 个事项/, 'result');
  await elder('result');
  await walk.survives(/一次办好这/, previous);
  previous = page.url();
  await page.getByRole('link', { name: '继续' }).click();

  await walk.at('准备材料', 'materials');
  await elder('materials');
  const materialsUrl = page.url();

  // The promise, read in full and signed.
  await page.getByRole('link', { name: /去提供.*独生子女/ }).click();
  await page.getByRole('radio', { name: /签告知承诺书/ }).check();
  await expect(page.locator('.promise-text')).toContainText('本人承诺');
  await expect(page.locator('.promise-text')).toContainText('如果承诺不实');
  await walk.at(/独生子女/, 'material-promise');
  await elder('promise');
  await page.getByRole('button', { name: '签署承诺' }).click();
  await expect(page.getByText('请先勾选')).toBeVisible();
  await page.getByRole('checkbox', { name: /自愿作出以上承诺/ }).check();
  await page.getByRole('button', { name: '签署承诺' }).click();
  await expect(page).toHaveURL(materialsUrl);
  await expect(page.getByText('已签告知承诺书')).toBeVisible();

  // The personnel file follows later (容缺), as the source allows.
  await page.getByRole('link', { name: /去提供.*人事档案/ }).click();
  await page.getByRole('radio', { name: /受理后再补交/ }).check();
  await expect(page.getByText(/以海南省三亚市为例/)).toBeVisible();
  await walk.at(/人事档案/, 'material-defer');
  await elder('defer');
  await page.getByRole('button', { name: '确定以后补交' }).click();
  await expect(page).toHaveURL(materialsUrl);
  await walk.survives('准备材料');
  previous = page.url();
  await page.getByRole('button', { name: '继续' }).click();

  const fill: [RegExp, string][] = [
    [/^姓名/, '王秀英'],
    [/^身份证号码/, '110101195209182029'],
    [/^手机号码/, '13700137000'],
    [/一类银行卡号/, '6228480402564890018'],
    [/公积金中心名称/, '北京住房公积金管理中心'],
  ];
  let s = 0;
  while (!page.url().endsWith('/check')) {
    s += 1;
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    for (const [label, value] of fill) {
      const input = page.getByLabel(label);
      if ((await input.count()) > 0) await input.fill(value);
    }
    await walk.at(heading, `form-${s}`);
    await elder(`form ${s}`);
    await walk.survives(heading, previous);
    previous = page.url();
    await page.getByRole('button', { name: '继续' }).click();
  }

  await walk.at('提交前请核对', 'check');
  await elder('check');
  const checkUrl = page.url();
  await expect(page.getByRole('button', { name: '确认提交' })).toHaveCount(0);
  // Sign in from check answers: back on check answers, the draft offered as hers.
  await page.getByRole('link', { name: '登录后提交' }).click();
  await page.getByRole('button', { name: /王秀英/ }).click();
  await expect(page).toHaveURL(checkUrl);
  await page.getByRole('button', { name: '是我的，继续填写' }).click();
  await walk.at('提交前请核对', 'check-signed-in');
  await elder('check signed in');
  await page.getByRole('button', { name: '确认提交' }).click();

  await walk.at('已提交', 'confirmation');
  await elder('confirmation');
  const reference = (await page.locator('.reference').innerText()).trim();
  await page.getByRole('link', { name: '查看办理进度' }).click();
  await walk.at('退休', 'tracking');
  await expect(page.getByText(reference)).toBeVisible();

  // The personnel file, due after acceptance: provided from tracking.
  const photo = await cameraPhoto(page);
  const provide = page.getByRole('link', { name: '现在补交' });
  await expect(provide).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('待补交')).toBeVisible();
  await elder('tracking');
  await provide.click();
  await walk.at(/人事档案/, 'provide-later');
  await elder('provide later');
  await page.getByLabel('拍照', { exact: true }).setInputFiles({ name: 'IMG_0003.jpg', mimeType: 'image/jpeg', buffer: photo });
  await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
  await page.getByRole('button', { name: '提交这份材料' }).click();
  await expect(page).toHaveURL(/\/applications\/[^/]+$/);
  await expect(page.getByRole('link', { name: '现在补交' })).toHaveCount(0);

  // The housing fund centre is polled, not called back: run the cron as it would tick.
  await expect(async () => {
    await cron();
    await expect(page.locator('.overall')).toHaveText(/全部\d项已完成/, { timeout: 2_000 });
  }).toPass({ timeout: 120_000 });
  await walk.at('退休', 'tracking-done');
  await elder('tracking done');

  await page.getByRole('link', { name: '评价这次服务' }).click();
  await walk.at(/评价这次服务/, 'rating');
  await elder('rating');
  await page.getByRole('radio', { name: /非常满意/ }).check();
  await page.getByRole('button', { name: '提交评价' }).click();
  await expect(page.getByText('您的评价：')).toBeVisible();
});
