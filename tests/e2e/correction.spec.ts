// A correction (补正) in the browser: the tracking page says exactly what to
// fix, shows the item's fields with what was submitted, catches a bad value
// without losing it, and one resubmission lets the department finish.
import { expect, test } from '@playwright/test';
import { resetScenarios, submit } from '../edge/helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

const SANDBOX = process.env.SANDBOX_URL ?? 'http://127.0.0.1:8788';

test('a resident corrects one item from the tracking page', async ({ page }) => {
  await page.request.put(`${SANDBOX}/_sandbox/departments/hrss/scenario`, {
    data: { step_ms: 300, script: ['correction_required', 'accepted', 'under_review', 'approved'] },
  });
  try {
    await page.goto('/');
    await page.getByRole('link', { name: /登录/ }).click();
    await page.getByRole('button', { name: /王秀英/ }).click();
    await expect(page.locator('.signed-in')).toHaveText('王**');
    const session = await (await page.request.get('/api/session')).json();
    // Submitted through the API with a photo of each material (the
    // materials step is the new app's; see issue 8).
    const created = await submit({ api: page.request, csrf: session.csrf_token }, {
      event_id: 'social-security-card',
      answers: { 'has-card': false, 'for-child': false },
      fields: { 'cardholder.name': '王秀英', 'cardholder.id_number': '110101195209182029', 'applicant.phone': '13700137000' },
    });
    expect(created.status()).toBe(201);
    const app = await created.json();

    await page.goto(`/applications/${app.id}`);
    await expect(page.locator('.overall')).toContainText('需要您补正', { timeout: 20_000 });
    await expect(page.locator('.entry.status-correction_required').first()).toContainText('怎么改');
    const phone = page.locator('.correction').getByLabel(/手机号码/);
    await expect(phone).toHaveValue('13700137000');
    await phone.fill('1370');
    await page.getByRole('button', { name: /重新提交这一项/ }).click();
    await expect(page.locator('.correction .field-error')).toContainText('手机号码');
    await expect(phone).toHaveValue('1370');
    await phone.fill('13700137001');
    await page.getByRole('button', { name: /重新提交这一项/ }).click();
    await expect(page.locator('.badge').first()).toContainText('已办结', { timeout: 20_000 });
    await expect(page.locator('.correction')).toHaveCount(0);
    await page.screenshot({ path: 'target/screenshots/after-correction.png', fullPage: true });
  } finally {
    await page.request.put(`${SANDBOX}/_sandbox/departments/hrss/scenario`, { data: { step_ms: 300 } });
  }
});
