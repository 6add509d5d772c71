// The newborn journey with the keyboard alone (WCAG 2.1.1): Tab to each
// control, Space or arrows to choose, Enter to go on; the file chooser for a
// photo opened from the keyboard; and on every new page the focus is on its
// heading (2.4.3), so a screen reader announces where the resident is.
import { expect, type Locator, type Page, test } from '@playwright/test';
import { resetScenarios } from '../edge/helpers';
import { cameraPhoto } from './helpers';

test.beforeEach(async () => resetScenarios());

async function focused(l: Locator) {
  return l.evaluate((el) => el === document.activeElement).catch(() => false);
}

/** Press Tab until `l` has the focus. */
async function tabTo(page: Page, l: Locator, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await focused(l)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with Tab: ${l}`);
}

/** The new page's heading has the focus. */
async function headingFocused(page: Page, name: string | RegExp) {
  const h = page.getByRole('heading', { level: 1, name });
  await expect(h).toBeVisible();
  await expect.poll(() => focused(h)).toBe(true);
}

/** Choose `name` in the radio group on the page and press Enter on continue. */
async function choose(page: Page, name: string | RegExp) {
  const target = page.getByRole('radio', { name });
  await tabTo(page, page.getByRole('radio').first());
  for (let i = 0; i < 10 && !(await target.isChecked()); i++) {
    await page.keyboard.press(i === 0 ? 'Space' : 'ArrowDown');
  }
  await expect(target).toBeChecked();
}

async function pressOn(page: Page, l: Locator) {
  await tabTo(page, l);
  await page.keyboard.press('Enter');
}

test('the newborn journey can be completed with the keyboard alone, focus landing on each heading', async ({ page }) => {
  test.setTimeout(180_000);
  const photo = await (async () => { await page.goto('/'); return cameraPhoto(page); })();
  await page.goto('/');
  await headingFocused(page, '高效办成一件事');
  await pressOn(page, page.getByRole('link', { name: '登录' }));
  await pressOn(page, page.getByRole('button', { name: /李娜/ }));
  await headingFocused(page, '高效办成一件事');
  await pressOn(page, page.getByRole('link', { name: /新生儿出生/ }).first());
  await headingFocused(page, '新生儿出生');
  await pressOn(page, page.getByRole('button', { name: '开始办理' }));
  for (const [q, a] of [[/有接生资格的医院/, '是'], [/领了结婚证/, '是'], [/户口上在谁那里/, '随妈妈'], [/同一个民族/, '是']] as const) {
    await headingFocused(page, q);
    await choose(page, a);
    await pressOn(page, page.getByRole('button', { name: '继续' }));
  }
  await headingFocused(page, /一次办好这/);
  await pressOn(page, page.getByRole('link', { name: '继续' }));
  await headingFocused(page, '准备材料');
  for (;;) {
    const provide = page.getByRole('link', { name: /^去提供/ }).first();
    if ((await provide.count()) === 0) break;
    await pressOn(page, provide);
    await headingFocused(page, /./);
    const ecert = page.getByRole('radio', { name: /用电子证照/ });
    if ((await ecert.count()) > 0) {
      await choose(page, /用电子证照/);
      await pressOn(page, page.getByRole('button', { name: '同意，使用电子证照' }));
      const outcome = await Promise.race([
        page.getByRole('heading', { level: 1, name: '准备材料' }).waitFor().then(() => 'released'),
        page.getByText('没有找到您的这份电子证照').waitFor().then(() => 'missing'),
      ]);
      if (outcome === 'released') continue;
      await choose(page, /拍照或上传/);
    }
    const chooser = page.waitForEvent('filechooser');
    await tabTo(page, page.getByLabel('拍照', { exact: true }));
    await page.keyboard.press('Space');
    await (await chooser).setFiles({ name: 'IMG.jpg', mimeType: 'image/jpeg', buffer: photo });
    await expect(page.locator('.page-preview').getByRole('img')).toBeVisible({ timeout: 30_000 });
    await pressOn(page, page.getByRole('button', { name: '保存' }));
    await headingFocused(page, '准备材料');
  }
  await pressOn(page, page.getByRole('button', { name: '继续' }));
  const values: [RegExp, string][] = [[/^宝宝姓名/, '张小宝'], [/^宝宝出生日期/, '2026-11-20'], [/户主姓名/, '李娜'], [/医保的地址/, '北京市东城区和平里东街11号']];
  while (!page.url().endsWith('/check')) {
    const heading = await page.getByRole('heading', { level: 1 }).innerText();
    await headingFocused(page, heading);
    for (const [label, value] of values) {
      const input = page.getByLabel(label);
      if ((await input.count()) > 0 && (await input.inputValue()) === '') {
        await tabTo(page, input);
        if ((await input.getAttribute('type')) === 'date') {
          // A date field is three segments (年/月/日); Tab moves between them.
          const [y, m, d] = value.split('-');
          await page.keyboard.type(y);
          await page.keyboard.press('Tab');
          await page.keyboard.type(m);
          await page.keyboard.press('Tab');
          await page.keyboard.type(d);
        } else {
          await page.keyboard.type(value);
        }
      }
    }
    const boy = page.getByRole('radio', { name: '男' });
    if ((await boy.count()) > 0 && !(await boy.isChecked())) await choose(page, '男');
    await pressOn(page, page.getByRole('button', { name: '继续' }));
  }
  await headingFocused(page, '提交前请核对');
  await pressOn(page, page.getByRole('button', { name: '确认提交' }));
  await headingFocused(page, '已提交');
  await expect(page.locator('.reference')).toHaveText(/BS-/);
  // Focus is always visible: the focused element draws an outline.
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).not.toBe('none');
});
