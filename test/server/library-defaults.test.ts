/**
 * The library with the CLI's defaults: createEmulator() loads the shipped scenarios, every place
 * that takes a scenario takes a shipped name or a path, and template ids do not depend on what
 * else is loaded or in which order.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import request from 'supertest';
import { PreflightError } from '../../src/run/preflight.ts';
import { runScenario } from '../../src/run/run-scenario.ts';
import { shippedScenarioNames, UnknownScenarioError } from '../../src/scenario/catalog.ts';
import { loadScenarioFile, parseScenario } from '../../src/scenario/load.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../../src/server/emulator.ts';
import {
  createTemplateCatalog,
  derivedTemplateId,
  DERIVED_TEMPLATE_ID_MAX,
  DERIVED_TEMPLATE_ID_MIN,
} from '../../src/emulation/template-catalog.ts';
import { scenarioYaml as tinyYaml } from '../delivery/scenario-fixture.ts';
import { scenarioYaml, START } from '../http/fixture.ts';

/** The ids every shipped template had when they were numbered in load order (README examples). */
const SHIPPED_IDS: Record<string, number> = {
  'all-unreachable': 1001,
  'collection-ptp': 1002,
  'ecommerce-order-confirmation': 1003,
  'endpoint-misbehaving': 1004,
  'info-check-redials': 1005,
  'large-campaign': 1006,
  'multi-number': 1007,
  telemarketing: 1008,
};

const start = (opts: EmulatorOptions = {}) =>
  createEmulator({ clock: 'virtual:manual', startTime: START, ...opts });

async function templateIds(emu: Emulator): Promise<Map<string, number>> {
  const res = await request(emu.url).get('/__emulator/scenarios');
  const out = new Map<string, number>();
  for (const s of res.body.list as { name: string; templates: { workflow_template_id: number }[] }[]) {
    for (const t of s.templates) out.set(s.name, t.workflow_template_id);
  }
  return out;
}

/** A user scenario file without workflow_template_id. */
function userYaml(name: string): string {
  return scenarioYaml(name, 'telemarketing', 1).replace(/^ {4}workflow_template_id: 1\n/m, '');
}

describe('createEmulator with the CLI defaults', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'lib-defaults-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('loads every shipped scenario when no scenarios are given, with their fixed ids', async () => {
    const emu = await start();
    try {
      assert.deepEqual(Object.fromEntries(await templateIds(emu)), SHIPPED_IDS);
      assert.deepEqual(Object.keys(SHIPPED_IDS), shippedScenarioNames());
    } finally {
      await emu.close();
    }
  });

  it('takes shipped names and paths; an empty list loads none', async () => {
    const file = join(dir, 'mine.yaml');
    writeFileSync(file, userYaml('mine'));
    const emu = await start({ scenarios: ['collection-ptp', 'telemarketing.yaml', file] });
    try {
      const ids = await templateIds(emu);
      assert.equal(ids.get('collection-ptp'), 1002);
      assert.equal(ids.get('telemarketing'), 1008);
      assert.equal(ids.get('mine'), derivedTemplateId('mine', 'mine-tpl'));
    } finally {
      await emu.close();
    }
    const none = await start({ scenarios: [] });
    try {
      assert.equal((await templateIds(none)).size, 0);
    } finally {
      await none.close();
    }
  });

  it('rejects an unknown scenario with the shipped names', async () => {
    await assert.rejects(start({ scenarios: ['collection-ptpp'] }), (err: unknown) => {
      assert.ok(err instanceof UnknownScenarioError);
      assert.match(err.message, /unknown scenario "collection-ptpp"/);
      for (const name of shippedScenarioNames()) assert.ok(err.message.includes(name), name);
      return true;
    });
  });

  it('trigger takes a loaded name, a shipped name or a path; the admin API only names', async () => {
    const file = join(dir, 'extra.yaml');
    writeFileSync(file, userYaml('extra'));
    const emu = await start({ scenarios: ['collection-ptp'] });
    try {
      assert.ok(emu.trigger('collection-ptp').workflowId);
      // A shipped scenario that was not loaded is loaded now, with its own id.
      assert.ok(emu.trigger('telemarketing').workflowId);
      assert.ok(emu.trigger(file).workflowId);
      const ids = await templateIds(emu);
      assert.equal(ids.get('telemarketing'), 1008);
      assert.equal(ids.get('extra'), derivedTemplateId('extra', 'extra-tpl'));
      // The same file again is the same loaded scenario.
      assert.ok(emu.trigger(file).workflowId);
      assert.equal((await templateIds(emu)).size, 3);
      assert.throws(
        () => emu.trigger('nope'),
        (err: unknown) =>
          err instanceof UnknownScenarioError && /loaded: extra; shipped: all-unreachable/.test(err.message),
      );
      const viaHttp = await request(emu.url)
        .post('/__emulator/scenarios/info-check-redials/trigger')
        .send({});
      assert.equal(viaHttp.status, 201);
      const unknown = await request(emu.url).post('/__emulator/scenarios/nope/trigger').send({});
      assert.equal(unknown.status, 404);
      assert.match(unknown.body.message, /unknown scenario "nope".*shipped: all-unreachable, collection-ptp/);
    } finally {
      await emu.close();
    }
  });

  it('loadScenarioFile and runScenario take a shipped name or a path', async () => {
    assert.equal(loadScenarioFile('collection-ptp').name, 'collection-ptp');
    assert.throws(() => loadScenarioFile('nope'), UnknownScenarioError);
    const file = join(dir, 'tiny.yaml');
    // Every callback goes to a port nothing listens on: one attempt each, then given up.
    writeFileSync(
      file,
      tinyYaml({
        url: 'http://127.0.0.1:9/',
        delivery: 'delivery:\n  max_retries: 0',
        expectations: 'expectations:\n  failed: { min: 0 }',
      }),
    );
    // By default the library checks the target first, as `run` does, and sends nothing.
    await assert.rejects(runScenario({ scenario: file }), PreflightError);
    const report = await runScenario({ scenario: file, preflight: false, abortAfter: 0 });
    assert.equal(report.scenario, 'tiny');
    assert.ok(report.file?.endsWith('tiny.yaml'));
    assert.ok(report.deliveries.length > 0);
    await assert.rejects(runScenario({ scenario: 'nope' }), UnknownScenarioError);
  });
});

describe('template ids do not depend on what is loaded', () => {
  const user = (name: string) => ({ name, scenario: parseScenario(userYaml(name), `${name}.yaml`) });
  const shipped = () => shippedScenarioNames().map((name) => ({ name, scenario: loadScenarioFile(name) }));
  const idOf = (loaded: ReturnType<typeof user>[], name: string) =>
    createTemplateCatalog(loaded, 0)
      .list()
      .find((t) => t.scenarioName === name)!.templateId;

  it('gives a template the same id alone, with every shipped scenario, and in any order', () => {
    const alone = idOf([user('acme')], 'acme');
    assert.equal(idOf([...shipped(), user('acme')], 'acme'), alone);
    assert.equal(idOf([user('acme'), ...shipped().reverse()], 'acme'), alone);
    assert.ok(alone >= DERIVED_TEMPLATE_ID_MIN && alone <= DERIVED_TEMPLATE_ID_MAX);
    assert.equal(alone, derivedTemplateId('acme', 'acme-tpl'));
    for (const s of shipped()) {
      assert.equal(idOf([s], s.name), SHIPPED_IDS[s.name]);
      assert.equal(idOf([user('acme'), ...shipped()], s.name), SHIPPED_IDS[s.name]);
    }
  });

  it('names both templates when two ids clash', () => {
    const a = user('acme');
    const b = { name: 'other', scenario: parseScenario(scenarioYaml('other', 'telemarketing', 1002)) };
    assert.throws(
      () => createTemplateCatalog([...shipped(), b], 0),
      /workflow_template_id 1002 is used by both template "collection-d1" of scenario "collection-ptp" .* and template "other-tpl" of scenario "other"/,
    );
    const derived = derivedTemplateId('acme', 'acme-tpl');
    const c = { name: 'pinned', scenario: parseScenario(scenarioYaml('pinned', 'telemarketing', derived)) };
    assert.throws(
      () => createTemplateCatalog([a, c], 0),
      new RegExp(
        `workflow_template_id ${derived} is used by both template "acme-tpl" of scenario "acme" \\(derived from its scenario name and template id\\) and template "pinned-tpl" of scenario "pinned" \\(its workflow_template_id\\)`,
      ),
    );
  });
});
