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

// The questions of newborn.toml and the answer the benches give to each
// (a catalog change may drop or add questions: the flow answers whichever
// of these is showing until the result page comes). `CHANGE` is the
// question whose answer the side-by-side flips 100 times: the first answer
// makes `item` (出生医学证明, `applies_when born-in-hospital`) apply, the
// second not.
export const FIRST_QUESTION = /宝宝是在本省有接生资格的医院出生的吗/;
export const ANSWERS = [
  { question: /有接生资格的医院出生/, answer: /^是/ },
  { question: /领了结婚证吗/, answer: /^是/ },
  { question: /户口上在谁那里/, answer: /随爸爸/ },
  { question: /同一个民族吗/, answer: /^是/ },
  { question: /妈妈参加的是哪种医保/, answer: /职工医保/ },
];
export const RESULT = /一次办好/;
export const CHANGE = {
  question: /有接生资格的医院出生/,
  answers: [/^是/, /^否/],
  item: 'birth-cert',
  applies: /出生医学证明/,
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

/// Answer the question on the page: pick the option, then 继续 if the page
/// still shows the question (a radio needs it; today's buttons answer by
/// themselves). Waits until the question has gone.
async function answer(page, step) {
  const q = heading(page, step.question);
  await option(page, step.answer).click();
  const next = page.getByRole('button', { name: /^继续/ });
  if ((await q.isVisible()) && (await next.count()) > 0) await next.first().click();
  await q.waitFor({ state: 'hidden' });
}

/// From the first question to the result page (which items apply, and
/// why), answering each question of ANSWERS that shows, in whatever order
/// and number the catalog asks them.
export async function answerAll(page) {
  await firstQuestionAcceptsInput(page);
  await answerRest(page);
}

/// Answer whatever question shows, until the result page.
export async function answerRest(page) {
  const result = heading(page, RESULT);
  for (let i = 0; i < 12; i++) {
    const any = [result, ...ANSWERS.map((a) => heading(page, a.question))].reduce((a, b) => a.or(b));
    await any.first().waitFor({ state: 'visible' });
    if (await result.isVisible()) return;
    const step = await (async () => {
      for (const a of ANSWERS) if (await heading(page, a.question).isVisible()) return a;
    })();
    if (!step) continue; // between two pages
    await answer(page, step);
  }
  await result.waitFor({ state: 'visible' });
}

// The first section of the merged form for newborn, in the order of
// core/catalog/sections.toml (the journey shape has one URL per section).
export const FIRST_SECTION = 'applicant';

const formShows = async (page) => {
  for (const f of FORM) if (await page.getByLabel(f.label).first().isVisible()) return true;
  return false;
};

/// From the result page to the first page of the merged form. Today one
/// button (开始填表) on the same URL. In the journey shape the materials
/// page comes first and will not let anyone past until every material is
/// provided (sign-in for e-certificates, photos, …), which no bench should
/// fake; the form's steps exist as soon as the questions are answered, so
/// the flow opens /drafts/{draft}/form/{FIRST_SECTION} directly, as a
/// resident coming back to a saved draft would.
export async function toForm(page) {
  const forward = page
    .getByRole('button', { name: /开始填表|填写申请表|下一步|^继续/ })
    .or(page.getByRole('link', { name: /开始填表|填写申请表|下一步|^继续/ }))
    .first();
  for (let i = 0; i < 3 && !(await formShows(page)); i++) {
    const draft = page.url().match(/\/drafts\/([^/?#]+)/);
    if (draft && /\/materials/.test(page.url())) {
      await page.goto(new URL(`/drafts/${draft[1]}/form/${FIRST_SECTION}`, page.url()).href);
    } else {
      const before = page.url();
      await forward.click();
      if (draft) await page.waitForURL((u) => u.href !== before);
    }
    await page.getByRole('heading').first().waitFor({ state: 'visible' });
    for (let t = 0; t < 20 && !(await formShows(page)) && !/\/materials/.test(page.url()); t++) await page.waitForTimeout(100);
  }
  if (!(await formShows(page))) throw new Error(`no form field showed at ${page.url()}`);
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

/// One answer change for the side-by-side, from the result page: go back
/// (not timed) until CHANGE.question shows, then `change` picks answer
/// `i % 2` and waits until the result shows (or stops showing) CHANGE.applies.
export async function backToChangeQuestion(page) {
  const q = heading(page, CHANGE.question);
  for (let i = 0; i < 10 && !(await q.isVisible()); i++) {
    const back = page.getByRole('button', { name: /上一步|返回/ }).or(page.getByRole('link', { name: /上一步|返回/ }));
    const before = page.url();
    await back.first().click();
    if (page.url() === before) await page.waitForURL((u) => u.href !== before).catch(() => {});
    await page.getByRole('heading').first().waitFor({ state: 'visible' });
  }
  await q.waitFor({ state: 'visible' });
}
export async function change(page, i) {
  await answer(page, { question: CHANGE.question, answer: CHANGE.answers[i % 2] });
  // Answered: the flow goes on to the result page (answering the rest the
  // same way if a changed answer asks new questions).
  await answerRest(page);
  const applies = heading(page, CHANGE.applies).or(page.getByText(CHANGE.applies)).first();
  await applies.waitFor({ state: i % 2 === 0 ? 'visible' : 'hidden' });
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
