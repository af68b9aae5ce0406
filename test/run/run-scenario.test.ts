import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { toJUnitXml } from '../../src/run/junit.ts';
import { deterministicView } from '../../src/run/report.ts';
import { runScenario } from '../../src/run/run-scenario.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { startReceiver, type Receiver } from '../helpers/receiver.ts';
import { scenarioYaml } from '../delivery/scenario-fixture.ts';

describe('runScenario', () => {
  // A fresh receiver per run: it counts attempts per delivery id, and ids repeat across runs.
  const receivers: Receiver[] = [];
  const fresh = async () => {
    const rx = await startReceiver({ failFirst: 2, failWith: 503 });
    receivers.push(rx);
    return rx;
  };
  after(() => Promise.all(receivers.map((x) => x.close())));

  it('plays a scenario end to end: every callback retried on the vendor cadence until delivered', async () => {
    const r = await fresh();
    const scenario = parseScenario(scenarioYaml({ url: 'http://unused.invalid/cb' }));
    const report = await runScenario({ scenario, target: r.url });
    assert.equal(report.ok, true);
    assert.equal(report.clock, 'virtual');
    assert.equal(report.start.clock, Date.UTC(2024, 2, 11, 3, 0, 0)); // 10:00 in Asia/Jakarta
    assert.equal(report.summary.deliveries, 12);
    assert.deepEqual(report.summary.byType['call-completion'], {
      deliveries: 6,
      delivered: 6,
      exhausted: 0,
      attempts: 18,
    });
    for (const d of report.deliveries) {
      assert.equal(d.url, r.url);
      const times = d.attempts.map((a) => a.at);
      assert.deepEqual(
        times.map((t) => t - times[0]!),
        [0, 60_000, 120_000],
      );
      assert.deepEqual(
        d.attempts.map((a) => a.status),
        [503, 503, 200],
      );
    }
    assert.deepEqual(
      report.expectations.map((e) => [e.name, e.ok]),
      [['all_delivered', true]],
    );
    assert.equal(r.requests.length, 36);
  });

  it('is reproducible: same seed ⇒ identical payloads and delivery log; another seed differs', async () => {
    const run = async (seed: number) => {
      const r = await fresh();
      const report = await runScenario({ scenario: parseScenario(scenarioYaml({ url: r.url, seed })) });
      // Compare everything but the receiver's port, which differs per run by construction.
      return JSON.stringify(deterministicView(report)).replaceAll(r.url, '<receiver>');
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    assert.ok(a === b, 'same seed, same report');
    assert.ok(a !== c, 'another seed, another report');
    // Attempt times are clock instants in epoch ms (on whole seconds under the virtual clock);
    // latency is left out.
    // The receiver's answer body is kept (it is what a failing handler says about its bug).
    assert.match(
      a,
      /"attempts":\[\{"n":1,"at":\d+,"status":503,"error":"non-2xx","response":"\{\\"error\\":\\"status 503\\"\}"\}/,
    );
    const view = JSON.parse(a) as { start: { clock: number }; deliveries: { attempts: { at: number }[] }[] };
    assert.deepEqual(view.start, { clock: Date.UTC(2024, 2, 11, 3, 0, 0) });
    for (const d of view.deliveries) {
      for (const t of d.attempts) assert.ok(t.at % 1000 === 0 && t.at >= view.start.clock, String(t.at));
    }
  });

  it('fails the default expectation when deliveries exhaust, and says so in JUnit', async () => {
    const r = await fresh();
    const scenario = parseScenario(
      scenarioYaml({ url: r.url, delivery: 'delivery:\n  max_retries: 1\n  retry_interval_ms: 1000' }),
    );
    const report = await runScenario({ scenario, clock: 'virtual' });
    assert.equal(report.ok, false);
    assert.equal(report.summary.exhausted, 12);
    assert.equal(report.summary.attempts, 24);
    const xml = toJUnitXml(report);
    // One case per callback type (both fail) and one per expectation.
    assert.match(xml, /<testsuite name="airudder-emulator.tiny" tests="3" failures="3"/);
    assert.match(xml, /<failure message="expected every delivery delivered, got 0 of 12 delivered"/);
  });

  it('--sink: answers as the scenario receiver section says', async () => {
    const scenario = parseScenario(
      `${scenarioYaml({ url: 'http://unused.invalid/cb' })}receiver:\n  fail_first: 1\n  fail_status: 502\n`,
    );
    const report = await runScenario({ scenario, sink: true });
    assert.equal(report.ok, true);
    assert.equal(report.summary.attempts, 24);
    assert.ok(report.deliveries.every((d) => d.attempts[0]!.status === 502));
  });
});
