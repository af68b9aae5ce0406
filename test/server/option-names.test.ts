/**
 * One name per option: the library and the admin API take a scenario's option under the camelCase
 * of its scenario key (`delivery.chaos.duplicate_rate` → `delivery.chaos.duplicateRate`), and a
 * scenario's `delivery:` section layers over the emulator's `delivery` option key by key.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import request from 'supertest';
import { parseClockSpec } from '../../src/clock/index.ts';
import { deliverySettings, mergeDeliverySettings } from '../../src/delivery/scenario-config.ts';
import type { DeliverySpec } from '../../src/scenario/types.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { createEmulator, type EmulatorOptions } from '../../src/server/emulator.ts';
import { scenarioYaml, START } from '../http/fixture.ts';

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

type JsonSchema = {
  properties?: Record<string, JsonSchema>;
  $ref?: string;
  type?: string;
};
const SCHEMA = JSON.parse(
  readFileSync(new URL('../../schemas/scenario.schema.json', import.meta.url), 'utf8'),
) as JsonSchema & { $defs: Record<string, JsonSchema> };

/** A value for every key the schema allows under `node`, nested objects filled in too. */
function sample(node: JsonSchema): unknown {
  if (node.type === 'object' && node.properties) {
    return Object.fromEntries(Object.entries(node.properties).map(([k, v]) => [k, sample(v)]));
  }
  if (node.type === 'boolean') return true;
  if (node.type === 'string') return 'hmac-sha256';
  return 1;
}

/** Every key path of a nested object, with each key passed through `name`. */
function keyPaths(value: unknown, name: (k: string) => string = (k) => k, prefix = ''): string[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => {
    const path = `${prefix}${name(k)}`;
    return [path, ...keyPaths(v, name, `${path}.`)];
  });
}

describe('one name per option', () => {
  it('every key of a scenario delivery section is its camelCase in the library', () => {
    const spec = sample(SCHEMA.$defs.delivery!) as DeliverySpec;
    assert.ok(keyPaths(spec).includes('chaos.duplicate_rate'), 'the sample covers nested keys');
    assert.deepEqual(keyPaths(deliverySettings(spec)).sort(), keyPaths(spec, camel).sort());
    assert.deepEqual(deliverySettings({ chaos: { duplicate_rate: 0.5 }, retry_interval_ms: 5 }), {
      retryIntervalMs: 5,
      chaos: { duplicateRate: 0.5 },
    });
  });

  it('a clock spec has the keys of a scenario clock', () => {
    const clockKeys = Object.keys(SCHEMA.properties!.clock!.properties!).sort();
    assert.deepEqual(Object.keys(parseClockSpec('scaled:60')).sort(), clockKeys);
    assert.deepEqual(parseClockSpec('scaled:60'), { mode: 'scaled', scale: 60 });
  });

  it('later layers win key by key', () => {
    assert.deepEqual(
      mergeDeliverySettings(
        { maxRetries: 1, signing: { algorithm: 'md5-body-key' }, chaos: { duplicateRate: 1 } },
        { retryIntervalMs: 5, signing: { header: 'X-Sig' }, chaos: { duplicateRate: 0 } },
      ),
      {
        maxRetries: 1,
        retryIntervalMs: 5,
        signing: { algorithm: 'md5-body-key', header: 'X-Sig' },
        chaos: { duplicateRate: 0 },
      },
    );
  });
});

describe('delivery settings in the emulator', () => {
  const scenario = (name: string, delivery = '') => ({
    name,
    scenario: parseScenario(`${scenarioYaml(name, 'telemarketing', 700)}${delivery}`, `${name}.yaml`),
  });
  const start = (opts: EmulatorOptions) =>
    createEmulator({ clock: 'virtual:manual', startTime: START, ...opts });

  it('takes the camelCase settings; a scenario delivery section wins key by key', async () => {
    const plain = await start({
      scenarios: [scenario('plain')],
      delivery: { maxRetries: 1, retryIntervalMs: 1_000, chaos: { duplicateRate: 1 } },
    });
    try {
      const { workflowId } = plain.trigger('plain');
      await plain.idle();
      const list = plain.deliveries({ workflow: workflowId });
      assert.ok(list.length > 0);
      for (const d of list) {
        assert.deepEqual(d.policy, { timeoutMs: 10_000, retryIntervalMs: 1_000, maxRetries: 1 });
      }
      const dups = list.filter((d) => d.duplicateOf !== undefined);
      assert.equal(dups.length * 2, list.length, 'chaos.duplicateRate 1: every delivery twice');
    } finally {
      await plain.close();
    }

    const own = await start({
      scenarios: [
        scenario(
          'own',
          'delivery:\n  max_retries: 3\n  signing: { algorithm: md5-body-key }\n  chaos: { duplicate_rate: 0 }\n',
        ),
      ],
      delivery: { maxRetries: 1, retryIntervalMs: 1_000, chaos: { duplicateRate: 1 } },
    });
    try {
      const { workflowId } = own.trigger('own');
      await own.idle();
      const list = own.deliveries({ workflow: workflowId });
      assert.ok(list.length > 0);
      assert.ok(list.some((d) => d.signing === 'md5-body-key'));
      for (const d of list) {
        assert.deepEqual(d.policy, { timeoutMs: 10_000, retryIntervalMs: 1_000, maxRetries: 3 });
        // The scenario's algorithm; `none` on the callbacks sent unsigned (their page has no KEY).
        const keyed = ['call-completion', 'call-completion-info-check'].includes(d.type);
        assert.equal(d.signing, keyed ? 'md5-body-key' : 'none', d.type);
        assert.equal(d.duplicateOf, undefined);
      }
    } finally {
      await own.close();
    }
  });

  it('rejects bad settings at start, naming the key', async () => {
    await assert.rejects(start({ scenarios: [], delivery: { chaos: { duplicateRate: 2 } } }), {
      name: 'RunConfigError',
      message: 'delivery.chaos.duplicateRate must be <= 1',
    });
    // A scenario file's section is checked when it is read (test/parity/options.test.ts); one built
    // in code, when the emulator starts.
    assert.throws(() => scenario('bad', 'delivery:\n  signing: { algorithm: rot13 }\n'), {
      name: 'ScenarioError',
      message: /^bad\.yaml:\d+:\d+: delivery\.signing\.algorithm must be one of .* \(got "rot13"\)$/,
    });
    const built = scenario('built');
    built.scenario.delivery = { signing: { algorithm: 'rot13' } };
    await assert.rejects(start({ scenarios: [built] }), {
      name: 'RunConfigError',
      message: /^delivery\.signing\.algorithm must be one of .* \(got "rot13"\)$/,
    });
  });

  it('the sink takes failStatus, as a scenario receiver takes fail_status', async () => {
    const emu = await start({ scenarios: [], sink: { mode: 'fail', failStatus: 503 } });
    try {
      const got = await request(emu.url).post('/__emulator/sink/x').send({});
      assert.equal(got.status, 503);
      const set = await request(emu.url).put('/__emulator/sink').send({ failStatus: 502 });
      assert.deepEqual(set.body, { mode: 'fail', failStatus: 502 });
      const bad = await request(emu.url).put('/__emulator/sink').send({ failStatus: 200 });
      assert.equal(bad.status, 400);
      assert.match(bad.body.message, /sink\.failStatus must be a failing HTTP status, 300-599 \(got 200\)/);
    } finally {
      await emu.close();
    }
  });
});
