// The page flows every benchmark drives, in ONE place: which page, which
// click, and what "the first question accepts input" means. Adapt this file
// when the app's journey changes; the harness (bytes, Lighthouse, the SurveyJS
// side-by-side, the budget guard) only calls the functions below.
//
// Each step finds things the way a resident does: by role and visible
// Chinese text, never by CSS class, so a restyle does not break it. Where the
// app has two shapes, the flow looks at what the page shows and takes the
// matching branch:
//   today     /events/newborn shows the first question at once; answers are
//             buttons; the merged form follows on the same URL (开始填表).
//   journey   /events/{event} is an event page with a 开始办理 button, then
//             /drafts/{draft}/questions/{question} (one question per page),
//             /drafts/{draft}/result, /drafts/{draft}/materials,
//             /drafts/{draft}/form/{section}, /drafts/{draft}/check.
//
// The event is 新生儿出生 (core/catalog/events/newborn.toml): the largest
// personal event, and the one the SurveyJS page rebuilds.

export const EVENT = 'newborn';
export const HOME = '/';
export const EVENT_URL = `/events/${EVENT}`;

// The first question of newborn.toml, and the answers the benches give, in
// catalog order. `change` is the question whose answer the side-by-side flips
// 100 times: it decides whether 生育津贴 (and the bank-card field) applies.
export const FIRST_QUESTION = /宝宝是在本省有接生资格的医院出生的吗/;
export const ANSWERS = [
  { question: /有接生资格的医院出生/, answer: /^是/ },
  { question: /领了结婚证吗/, answer: /^是/ },
  { question: /户口上在谁那里/, answer: /随爸爸/ },
  { question: /同一个民族吗/, answer: /^是/ },
  { question: /妈妈参加的是哪种医保/, answer: /职工医保/ },
];
export const CHANGE = {
  question: /妈妈参加的是哪种医保/,
  // Alternate between these two; the first makes 生育津贴 apply, the second not.
  answers: [/职工医保/, /城乡居民医保/],
  applies: /生育津贴/,
};

// An answer control: today a button per option; a radio (GOV.UK style, with
// 继续) in the journey shape. Either counts.
function option(page, name) {
  return page.getByRole('button', { name }).or(page.getByRole('radio', { name })).first();
}

const heading = (page, name) => page.getByRole('heading', { name }).first();

/// Home → the event page, the way a resident gets there: the event's link
/// in the list (a client-side route change today; a full page load if the
/// home page is static HTML).
export async function homeToEvent(page) {
  await page.getByRole('link', { name: /新生儿出生/ }).first().click();
  await page.waitForURL(new RegExp(`${EVENT_URL}$`));
}

/// The control that proves the first question accepts input: visible,
/// enabled, and receiving pointer events (Playwright's actionability checks,
/// via a trial click that does not answer). For today's app the question is
/// on /events/newborn; for the journey shape the flow presses 开始办理 first.
export async function firstQuestionAcceptsInput(page) {
  const start = page.getByRole('button', { name: /开始办理/ }).or(page.getByRole('link', { name: /开始办理/ }));
  const question = heading(page, FIRST_QUESTION);
  // Whichever appears first decides the shape.
  await start.or(question).first().waitFor({ state: 'visible', timeout: 60_000 });
  if (await start.first().isVisible()) {
    await start.first().click();
    await page.waitForURL(/\/drafts\/[^/]+\/questions\//, { timeout: 60_000 });
  }
  await question.waitFor({ state: 'visible', timeout: 60_000 });
  await option(page, ANSWERS[0].answer).click({ trial: true, timeout: 60_000 });
}

/// Answer one question: pick the option, then 继续 if the page has one
/// (a radio needs it; a button answers by itself).
async function answer(page, step) {
  await heading(page, step.question).waitFor({ state: 'visible' });
  const before = page.url();
  await option(page, step.answer).click();
  const next = page.getByRole('button', { name: /^继续/ });
  if ((await next.count()) > 0 && (await next.first().isVisible())) {
    // Today's question buttons move on by themselves; only a radio waits for 继续.
    if (page.url() === before && (await heading(page, step.question).isVisible())) {
      await next.first().click();
    }
  }
  await heading(page, step.question).waitFor({ state: 'hidden' });
}

/// From the event page to the last question answered: the result page
/// (which items apply, and why) is showing.
export async function answerAll(page) {
  await firstQuestionAcceptsInput(page);
  for (const step of ANSWERS) await answer(page, step);
  await page.getByText(CHANGE.applies).first().waitFor({ state: 'visible' });
}

/// From the result page to the first page of the merged form. Today one
/// button (开始填表); the journey shape may pass a materials page first, so
/// keep pressing the forward control until a form field shows.
export async function toForm(page) {
  const field = page.getByLabel(/宝宝姓名/);
  for (let i = 0; i < 4 && !(await field.isVisible()); i++) {
    const forward = page
      .getByRole('button', { name: /开始填表|填写申请表|下一步|^继续/ })
      .or(page.getByRole('link', { name: /开始填表|填写申请表|下一步|^继续/ }))
      .first();
    await forward.click();
    await field.or(forward).first().waitFor({ state: 'visible' });
  }
  await field.waitFor({ state: 'visible' });
}

/// The URL of the question page Lighthouse audits: the first question.
/// Today that is the event URL itself; in the journey shape it is
/// /drafts/{draft}/questions/{q}, which needs a draft made first (prepare).
export async function questionPage(page, baseURL) {
  await page.goto(new URL(EVENT_URL, baseURL).href);
  await firstQuestionAcceptsInput(page);
  return page.url();
}

/// The URL of the form page Lighthouse audits, with the draft it needs
/// already saved on the device (answers given). Today the form has no URL of
/// its own: this returns null and the bench says so.
export async function formPage(page, baseURL) {
  await page.goto(new URL(EVENT_URL, baseURL).href);
  await answerAll(page);
  await toForm(page);
  return /\/form\//.test(page.url()) ? page.url() : null;
}

/// One answer change for the side-by-side: from the result page, go back to
/// CHANGE.question, pick the other answer, and wait until the result shows
/// (or stops showing) 生育津贴. Returns nothing; the caller times it.
/// `i` even → the first answer (applies), odd → the second (does not).
export async function prepareChange(page) {
  await answerAll(page);
}
export async function backToChangeQuestion(page) {
  const back = page.getByRole('button', { name: /上一步|返回|修改/ }).or(page.getByRole('link', { name: /上一步|返回|修改/ }));
  await back.first().click();
  await heading(page, CHANGE.question).waitFor({ state: 'visible' });
}
export async function change(page, i) {
  const pick = CHANGE.answers[i % 2];
  await option(page, pick).click();
  const next = page.getByRole('button', { name: /^继续/ });
  if ((await heading(page, CHANGE.question).isVisible()) && (await next.count()) > 0) {
    await next.first().click();
  }
  const applies = page.getByText(CHANGE.applies).first();
  if (i % 2 === 0) await applies.waitFor({ state: 'visible' });
  else await heading(page, CHANGE.question).waitFor({ state: 'hidden' }).then(() => applies.waitFor({ state: 'hidden' }));
}

// Valid values for every field of the newborn form (the validators of
// core/src/validate/ accept each), by the label a resident reads.
export const FORM = [
  { label: /宝宝姓名/, value: '张小宝' },
  { label: /宝宝性别/, choice: /男/ },
  { label: /宝宝出生日期/, value: '2026-11-01' },
  { label: /妈妈姓名/, value: '王秀英' },
  { label: /妈妈身份证号码/, value: '11010519491231002X' },
  { label: /爸爸姓名/, value: '张伟' },
  { label: /爸爸身份证号码/, value: '110105198001010016' },
  { label: /户主姓名/, value: '张伟' },
  { label: /参加医保的地址/, value: '广东省中山市石岐街道孙文中路1号' },
  { label: /银行卡号/, value: '6222021234567890128' },
  { label: /手机号码/, value: '13800138000' },
];

/// Fill the merged form with valid values, page by page (today one page; in
/// the journey shape one section per page), pressing 继续 until the check
/// page (提交前请核对) shows.
export async function fillForm(page) {
  const done = page.getByRole('heading', { name: /提交前请核对/ });
  for (let pageNo = 0; pageNo < 8 && !(await done.isVisible()); pageNo++) {
    for (const f of FORM) {
      if (f.choice) {
        const select = page.getByRole('combobox', { name: f.label });
        if (await select.isVisible()) {
          const options = await select.locator('option').allTextContents();
          await select.selectOption({ label: options.find((o) => f.choice.test(o)) });
        } else {
          const group = page.getByRole('group', { name: f.label }).or(page.getByRole('radiogroup', { name: f.label }));
          if (await group.first().isVisible()) await group.first().getByRole('radio', { name: f.choice }).check();
        }
        continue;
      }
      const input = page.getByLabel(f.label).first();
      if (await input.isVisible()) await input.fill(f.value);
    }
    await page.getByRole('button', { name: /^继续/ }).first().click();
    await done.or(page.getByRole('heading').first()).first().waitFor({ state: 'visible' });
    await page.waitForTimeout(50);
  }
  await done.waitFor({ state: 'visible' });
}
