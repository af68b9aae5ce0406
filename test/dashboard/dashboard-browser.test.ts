/**
 * The dashboard in a real headless Chromium (Debian's /usr/bin/chromium, driven by
 * playwright-core): an emulator on port 0 with a manual virtual clock and a shipped scenario,
 * the page's own buttons move the clock, deliveries show their attempts, a delivery's payload
 * and replay work, a client's vendor-API requests are listed (4xx highlighted), and hostile text
 * from a client's list rows stays text. Skips when Chromium is
 * not installed, so a dev machine without it still passes. Screenshot: /tmp/dashboard.png.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { shippedScenarios } from '../../src/cli/commands/serve.ts';
import { createEmulator, type Emulator } from '../../src/server/emulator.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/dashboard.png';
const START = Date.UTC(2024, 2, 11, 3, 0, 0);
const HOSTILE = '<img src=x onerror="window.__pwned=1">';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe(
  'dashboard in headless Chromium',
  { skip: !existsSync(CHROMIUM) && `${CHROMIUM} not installed` },
  () => {
    let emu: Emulator;
    let context: BrowserContext;
    let page: Page;
    let profile: string;
    let workflowId: string;

    before(async () => {
      emu = await createEmulator({
        clock: 'virtual:manual',
        startTime: START,
        scenarios: shippedScenarios(),
        sink: { mode: 'fail', failStatus: 503, failFirst: 2 },
      });
      workflowId = emu.trigger('endpoint-misbehaving').workflowId;
      profile = mkdtempSync(join(tmpdir(), 'airudder-chromium-'));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: ARGS,
        viewport: { width: 1280, height: 860 },
      });
      page = context.pages()[0] ?? (await context.newPage());
    });

    after(async () => {
      await context?.close();
      await emu?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it('opens, shows the clock and the workflow, and runs the clock from its own button', async () => {
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      await page.goto(`${emu.adminUrl}/`);
      await page.locator('#clock-mode', { hasText: 'virtual' }).waitFor();
      assert.equal(
        await page.locator('#clock-now').textContent(),
        '2024-03-11 10:00:00',
        'Asia/Jakarta time',
      );
      await page.locator(`#workflows-table tr[data-workflow-id="${workflowId}"]`).waitFor();
      assert.match(await page.locator('#workflows-table tbody').innerText(), /retry_policy_check/);

      await page.locator('#run-idle').click();
      await page.locator('#workflows-table tbody', { hasText: 'Finished' }).waitFor();
      assert.deepEqual(errors, []);
    });

    it('lists deliveries with their attempts', async () => {
      const rows = page.locator('#deliveries-table tbody tr');
      await rows.first().waitFor();
      await page.locator('#deliveries-table tbody', { hasText: 'delivered' }).waitFor();
      await emu.idle();
      const total = emu.deliveries().length;
      assert.ok(total > 0);
      // Attempts overlap, so the page may first show some deliveries mid-way: wait until it shows
      // every one of them, none pending (the page refreshes from the event stream).
      await page.locator(`#deliveries-table tbody tr:nth-child(${total})`).waitFor();
      await page
        .locator('#deliveries-table tbody .badge', { hasText: 'pending' })
        .first()
        .waitFor({ state: 'detached' });
      assert.equal(await rows.count(), total);
      // The sink fails twice, so every delivery took three attempts and ended in a 200.
      const attempts = await page.locator('#deliveries-table tbody tr td:nth-child(5)').allInnerTexts();
      assert.deepEqual(new Set(attempts), new Set(['3']));
      const last = await page.locator('#deliveries-table tbody tr td:nth-child(6)').allInnerTexts();
      assert.deepEqual(new Set(last), new Set(['200']));
    });

    it('shows a delivery: every attempt and the payload', async () => {
      const d = emu.deliveries({ type: 'call-completion' })[0]!;
      await page.locator(`#deliveries-table tr[data-delivery-id="${d.id}"]`).click();
      await page.locator('#attempts-table tbody tr').nth(2).waitFor();
      const attempts = await page.locator('#attempts-table tbody tr').allInnerTexts();
      assert.equal(attempts.length, 3);
      assert.match(attempts[0]!, /^1\s+2024-03-11 \d\d:\d\d:\d\d\s+503 non-2xx/);
      assert.match(attempts[1]!, /^2\s.*503 non-2xx/);
      assert.match(attempts[2]!, /^3\s.*200/);
      const payload = await page.locator('#payload-section pre.json').first().innerText();
      assert.deepEqual(JSON.parse(payload), d.payload);
      assert.match(await page.locator('#delivery-body').innerText(), new RegExp(d.id));
    });

    it('replays the delivery; the replay appears, is retried and delivered', async () => {
      const d = emu.deliveries({ type: 'call-completion' })[0]!;
      await page.locator('#replay').click();
      const replayId = `${d.id}.replay1`;
      await page.locator(`#deliveries-table tr[data-delivery-id="${replayId}"]`).waitFor();
      await page.locator('#delivery-body', { hasText: 'replay of' }).waitFor();
      await page.locator('#run-idle').click();
      await page
        .locator(`#deliveries-table tr[data-delivery-id="${replayId}"]`, { hasText: 'delivered' })
        .waitFor();
      assert.equal(emu.delivery(replayId)?.replayOf, d.id);
      assert.equal(emu.delivery(replayId)?.attempts.length, 3);
    });

    it('shows a workflow: calls with recordings, and contacts', async () => {
      await page.locator(`#workflows-table tr[data-workflow-id="${workflowId}"]`).click();
      await page.locator('#calls-table tbody tr').first().waitFor();
      const calls = emu.store.callsOf(workflowId).length;
      assert.equal(await page.locator('#calls-table tbody tr').count(), calls);
      const wav = page.locator('#calls-table a[href$=".wav"]').first();
      const href = await wav.getAttribute('href');
      assert.ok(href);
      const res = await page.request.get(new URL(href, emu.url).toString());
      assert.equal(res.status(), 200);
      assert.equal(res.headers()['content-type'], 'audio/wav');
      // The delivery filter followed the selection.
      assert.equal(await page.locator('#filter-workflow').inputValue(), workflowId);

      await page.locator('[data-tab="contacts"]').click();
      await page.locator('#contacts-table tbody tr').first().waitFor();
      assert.match(await page.locator('#contacts-table tbody').innerText(), /finished/);
      await page.locator('[data-tab="calls"]').click();
      await page.locator('#calls-table tbody tr').first().waitFor();
      await page.screenshot({ path: SCREENSHOT, fullPage: true });
    });

    it('switches the sink and triggers a scenario from the page', async () => {
      await page.locator('[data-sink-mode="ok"]').click();
      await page.locator('[data-sink-mode="ok"].active').waitFor();
      assert.equal(emu.sink.settings().mode, 'ok');
      assert.equal(emu.sink.source(), 'explicit');
      await page.locator('[data-sink-mode="scenario"]').click();
      await page.locator('[data-sink-mode="scenario"].active').waitFor();
      assert.equal(emu.sink.source(), 'scenario');
      await page.locator('#scenario-select').selectOption('telemarketing');
      await page.locator('#trigger').click();
      await page.locator('#workflows-table tbody tr').nth(1).waitFor();
      assert.equal(emu.store.listWorkflows().length, 2);
    });

    it('changes where callbacks go, per type and for every type, and says a bad URL', async () => {
      await page.locator('#target-type').selectOption('list-completion');
      await page.locator('#target-url').fill('http://localhost:3999/lc');
      await page.locator('#target-set').click();
      await page.locator('#targets-now', { hasText: 'list-completion → http://localhost:3999/lc' }).waitFor();
      assert.deepEqual(emu.targets(), {
        target: null,
        targets: { 'list-completion': 'http://localhost:3999/lc' },
      });
      await page.locator('#target-type').selectOption('');
      await page.locator('#target-url').fill('not a url');
      await page.locator('#target-set').click();
      await page.locator('#message.error', { hasText: 'target must be an http(s) URL' }).waitFor();
      await page.locator('#target-type').selectOption('list-completion');
      await page.locator('#target-clear').click();
      await page.locator('#targets-now', { hasText: 'the template URLs' }).waitFor();
      assert.deepEqual(emu.targets(), { target: null, targets: {} });
    });

    it('sends a callback on demand: overrides, a refused one with its error, then allowed', async () => {
      await page.locator('#send-type').selectOption('call-completion');
      await page.locator('#send-set').fill('details[0].CaseID=C-77\n\ndetails[0].duration=12');
      await page.locator('#send').click();
      await page.locator('#message', { hasText: /^Sent call-completion as delivery send1 to / }).waitFor();
      const sent = emu.delivery('send1')!;
      assert.deepEqual(sent.onDemand, {
        scenario: 'collection-ptp',
        set: { 'details[0].CaseID': 'C-77', 'details[0].duration': 12 },
        valid: true,
      });
      assert.equal(sent.url, `${emu.url}/__emulator/sink/send`);
      await page.locator('#deliveries-table tbody tr', { hasText: 'sent' }).first().waitFor();

      await page.locator('#send-set').fill('details[0].CaseID=42');
      await page.locator('#send').click();
      await page
        .locator('#message.error', {
          hasText:
            'the overrides break the call-completion schema: $.details[0].CaseID must be of type string',
        })
        .waitFor();
      assert.equal(emu.delivery('send2'), undefined);
      await page.locator('#send-allow-invalid').check();
      await page.locator('#send-target').fill('http://localhost:3999/neg');
      await page.locator('#send').click();
      await page
        .locator('#message', {
          hasText: 'as delivery send2 to http://localhost:3999/neg (invalid, as asked).',
        })
        .waitFor();
      assert.equal(emu.delivery('send2')!.onDemand!.valid, false);
    });

    it('shows hostile list data as text', async () => {
      const auth = await fetch(`${emu.url}/service/cloud/auth`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret }),
      });
      const token = ((await auth.json()) as { data: { token: string } }).data.token;
      const templateId = await templateOf(emu, token);
      const created = await fetch(`${emu.url}/service/cloud/workflow/createinstance`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Token ${token}` },
        body: JSON.stringify({
          workflow_template_id: templateId,
          name: HOSTILE,
          end_time: '2024-03-12 11:00:00+07:00',
          details: [{ callee: '+6281200000010', case_id: HOSTILE, customer_name: HOSTILE }],
        }),
      });
      const id = ((await created.json()) as { data: { workflow_id: string } }).data.workflow_id;
      await page.locator(`#workflows-table tr[data-workflow-id="${id}"]`).click();
      await page.locator('[data-tab="contacts"]').click();
      await page.locator('#contacts-table tbody', { hasText: HOSTILE }).waitFor();
      assert.equal(await page.locator('#app img').count(), 0);
      assert.equal(
        await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
        undefined,
      );
      assert.match(await page.locator('#workflows-table tbody').innerText(), /<img src=x/);
    });

    it("lists a client's vendor-API requests, a 4xx highlighted; a click shows request and answer", async () => {
      const auth = await fetch(`${emu.url}/service/cloud/auth`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ APPKey: emu.credentials.appKey, APPSecret: emu.credentials.appSecret }),
      });
      const token = ((await auth.json()) as { data: { token: string } }).data.token;
      const bad = await fetch(`${emu.url}/service/cloud/workflow/createinstance`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Token ${token}` },
        body: JSON.stringify({ name: HOSTILE }),
      });
      assert.equal(bad.status, 400);
      const answer = (await bad.json()) as { code: number; message: string };
      const [logged] = emu.requests({ path: 'createinstance', status: '400' });
      const row = page.locator(`#requests-table tr[data-request-id="${logged!.id}"]`);
      await row.waitFor();
      assert.equal(await row.getAttribute('class'), 'request-bad');
      assert.deepEqual((await row.locator('td').allInnerTexts()).slice(1, 4), [
        'POST /service/cloud/workflow/createinstance',
        '400',
        String(answer.code),
      ]);
      // The 200 of the auth before it is not highlighted.
      const ok = emu.requests({ path: 'auth', status: '200' })[0]!;
      assert.equal(
        await page.locator(`#requests-table tr[data-request-id="${ok.id}"]`).getAttribute('class'),
        '',
      );
      await row.click();
      await page.locator('#request-detail', { hasText: logged!.id }).waitFor();
      const detail = await page.locator('#request-detail').innerText();
      // The answer as pretty JSON: its message as a JSON string.
      assert.ok(detail.includes(JSON.stringify(answer.message)), detail);
      assert.match(detail, /<img src=x/);
      assert.equal(await page.locator('#app img').count(), 0);
      await page.locator('#filter-request-status').selectOption('4xx');
      await page.locator(`#requests-table tr[data-request-id="${ok.id}"]`).waitFor({ state: 'detached' });
      assert.equal(await row.count(), 1);
    });
  },
);

/** The first template id the vendor API lists. */
async function templateOf(emu: Emulator, token: string): Promise<number> {
  const res = await fetch(`${emu.url}/service/cloud/workflow/templates`, {
    headers: { Authorization: `Token ${token}` },
  });
  const body = (await res.json()) as { data: { list: { workflow_template_id: number }[] } };
  return body.data.list[0]!.workflow_template_id;
}
