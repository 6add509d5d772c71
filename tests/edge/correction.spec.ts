// The correction round trip (补正): the department names what to fix and why;
// the resident corrects that one item; the department receives a new
// revision and carries on. Nothing else is resent or duplicated.
import { expect, test } from '@playwright/test';
import { SANDBOX, SSC, eventually, scenario, signIn, submit, resetScenarios } from './helpers';

// Each test starts from departments with no faults, whatever ran before.
test.beforeEach(async () => resetScenarios());

test('a correction names the material, reason and fix, and one resubmission completes it', async () => {
  const s = await signIn('r-zhang-wei');
  await scenario(s.api, 'hrss', { step_ms: 300, script: ['correction_required', 'accepted', 'under_review', 'approved'] });
  try {
    const app = await (await submit(s, SSC)).json();
    const item = app.items[0].id;
    const asked = await eventually('correction requested', async () => {
      const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
      return v.items[0].status === 'correction_required' ? v : undefined;
    });
    expect(asked.overall.needs_you).toBe(1);
    expect(asked.overall.headline.zh).toContain('需要您补正');
    const entry = asked.items[0].timeline.at(-1);
    expect(entry.title.zh).toBe('需要补正材料');
    expect(entry.body.zh).toContain('1. 本人居民身份证');
    expect(entry.body.zh).toContain('看不清');
    expect(entry.body.zh).toContain('怎么改');

    const url = `/api/applications/${app.id}/items/${item}/resubmit`;
    const headers = { 'x-csrf-token': s.csrf };
    const bad = await s.api.post(url, { data: { fields: { 'applicant.phone': '1380' } }, headers });
    expect(bad.status()).toBe(422);
    expect((await bad.json()).error.fields[0].field).toBe('applicant.phone');
    const chen = await signIn('r-chen-jie');
    expect((await chen.api.post(url, { data: { fields: {} }, headers: { 'x-csrf-token': chen.csrf } })).status()).toBe(404);

    const ok = await s.api.post(url, { data: { fields: { 'applicant.phone': '13800138001' } }, headers });
    expect(ok.status()).toBe(200);
    expect((await ok.json()).items[0].status).toBe('submitted');
    const twice = await s.api.post(url, { data: { fields: {} }, headers });
    expect(twice.status()).toBe(409);

    const done = await eventually('approved after the correction', async () => {
      const v = await (await s.api.get(`/api/applications/${app.id}`)).json();
      return v.items[0].status === 'approved' ? v : undefined;
    });
    expect(done.items[0].timeline.map((e: any) => e.status)).toEqual([
      'submitted', 'correction_required', 'submitted', 'accepted', 'under_review', 'approved',
    ]);
    const received = await (await s.api.get(`${SANDBOX}/_sandbox/departments/hrss/received`)).json();
    const mine = received.find((x: any) => x.external_id === item);
    expect(mine.revision).toBe(1);
    expect(mine.deliveries).toBe(2);
  } finally {
    await scenario(s.api, 'hrss', { step_ms: 300 });
  }
});
