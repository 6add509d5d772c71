// The walking skeleton, in a real browser at phone size: home page → sign in
// through the identity provider → guided questions → one merged form (a bad
// phone number is caught and nothing typed is lost) → check answers → one
// submission → the tracking page shows 已受理 from the department with a time.
import { expect, test } from '@playwright/test';
import { resetScenarios, submit } from '../edge/helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

test('a resident applies for a social security card and sees it accepted', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: /高效办成一件事/ })).toBeVisible();
  const personal = page.getByRole('list', { name: '个人办事' });
  await expect(personal.getByRole('link', { name: /社会保障卡居民服务/ })).toBeVisible();

  await page.getByRole('link', { name: /登录/ }).click();
  await expect(page).toHaveURL(/\/oauth\/authorize/);
  await page.getByRole('button', { name: /张伟/ }).click();
  await expect(page.locator('.signed-in')).toHaveText('张*');

  await page.getByRole('list', { name: '个人办事' }).getByRole('link', { name: /社会保障卡居民服务/ }).click();
  await expect(page.getByRole('heading', { name: /您现在已经有社会保障卡了吗/ })).toBeVisible();
  await page.getByRole('button', { name: /否/ }).click();
  await expect(page.getByRole('heading', { name: /是给不满16岁的孩子办卡吗/ })).toBeVisible();
  await page.getByRole('button', { name: /否/ }).click();

  await expect(page.getByText('社会保障卡申领').first()).toBeVisible();
  await page.getByRole('button', { name: /开始填表/ }).click();

  const phone = page.getByLabel(/手机号码/);
  await expect(phone).toHaveValue('13800138000');
  await expect(page.getByLabel(/持卡人姓名/)).toHaveValue('张伟');
  await phone.fill('123');
  await page.getByRole('button', { name: /继续/ }).click();
  await expect(page.getByRole('alert')).toContainText('「手机号码」应为11位手机号码');
  await expect(phone).toHaveValue('123');
  await phone.fill('13800138000');
  await page.getByRole('button', { name: /继续/ }).click();

  await expect(page.getByRole('heading', { name: /提交前请核对/ })).toBeVisible();
  await page.screenshot({ path: 'target/screenshots/check-answers.png', fullPage: true });
  // This app has no materials step yet (issue 8 brings it): the application
  // goes in through the API with a photo of each material, as the new
  // materials step will send it, and the tracking page is the app's again.
  const session = await (await page.request.get('/api/session')).json();
  const created = await submit({ api: page.request, csrf: session.csrf_token }, {
    event_id: 'social-security-card',
    answers: { 'has-card': false, 'for-child': false },
    fields: { 'cardholder.name': '张伟', 'cardholder.id_number': '110101198503074516', 'applicant.phone': '13800138000' },
  });
  expect(created.status(), await created.text()).toBe(201);
  await page.goto(`/applications/${(await created.json()).id}`);

  await expect(page).toHaveURL(/\/applications\/A[0-9a-f]+$/);
  const accepted = page.locator('.timeline .entry.status-accepted');
  await expect(accepted).toBeVisible({ timeout: 20_000 });
  await expect(accepted).toContainText('人力资源社会保障部门已受理');
  await expect(accepted.locator('time')).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await page.screenshot({ path: 'target/screenshots/tracking.png', fullPage: true });
});
