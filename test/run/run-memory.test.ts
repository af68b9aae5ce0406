import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_RETRY_POLICY } from '../../src/core/retry-policy.ts';
import { runScenario } from '../../src/run/run-scenario.ts';
import { createReportWriter, writeJsonReport, type ReportDelivery } from '../../src/run/report.ts';
import { parseScenario } from '../../src/scenario/load.ts';
import { MemoryStore } from '../../src/store/memory-store.ts';
import type { Send } from '../../src/delivery/types.ts';
import { scenarioYaml } from '../delivery/scenario-fixture.ts';

const instant: Send = () => Promise.resolve({ status: 200, response: '{}' });

/** A store holding one delivery, settled with `outcome` after one attempt. */
function settledIn(store: MemoryStore, outcome: 'delivered' | 'pending'): void {
  store.commit({
    k: 'delivery',
    id: 'd1',
    type: 'call-completion',
    url: 'http://127.0.0.1:1/cb',
    policy: DEFAULT_RETRY_POLICY,
    signing: 'none',
    encrypted: false,
    firstAt: 1000,
    nextAttemptAt: 1000,
  });
  store.derive({ k: 'content', id: 'd1', payload: { a: 1 } as never, body: '{"a":1}', headers: { x: 'y' } });
  store.commit({
    k: 'attempt',
    id: 'd1',
    n: 1,
    at: 1000,
    ok: true,
    status: 200,
    latencyMs: 1,
    next: null,
    outcome,
  });
}

describe('run memory', () => {
  it('a lean store forgets a delivery, payload and all, once it is settled', () => {
    const lean = new MemoryStore(undefined, { retain: 'lean' });
    settledIn(lean, 'pending');
    assert.deepEqual(lean.delivery('d1')?.payload, { a: 1 }, 'kept while pending');
    const lean2 = new MemoryStore(undefined, { retain: 'lean' });
    settledIn(lean2, 'delivered');
    assert.equal(lean2.delivery('d1'), undefined);
    assert.deepEqual(lean2.deliveries(), []);
    const full = new MemoryStore();
    settledIn(full, 'delivered');
    assert.deepEqual(full.delivery('d1')?.payload, { a: 1 }, 'serve and the library keep it');
  });

  it('keepDeliveries: false lists none, and onDelivery hands over the same entries in report order', async () => {
    const scenario = parseScenario(scenarioYaml({ url: 'http://unused.invalid/cb' }));
    const full = await runScenario({ scenario, send: instant });
    const streamed: ReportDelivery[] = [];
    const lean = await runScenario({
      scenario,
      send: instant,
      keepDeliveries: false,
      onDelivery: (d) => streamed.push(d),
    });
    assert.equal(lean.deliveries.length, 0);
    assert.equal(full.deliveries.length, 12);
    const noLatency = (ds: ReportDelivery[]) =>
      ds.map((d) => ({ ...d, attempts: d.attempts.map(({ latencyMs: _l, ...a }) => a) }));
    assert.deepEqual(noLatency(streamed), noLatency(full.deliveries));
    assert.deepEqual(lean.summary, full.summary);
    assert.deepEqual(lean.expectations, full.expectations);
  });

  it('a streamed JSON report is byte-identical to the report written whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-memory-'));
    const scenario = parseScenario(scenarioYaml({ url: 'http://unused.invalid/cb' }));
    const writer = createReportWriter(join(dir, 'streamed.json'));
    const lean = await runScenario({
      scenario,
      send: instant,
      keepDeliveries: false,
      onDelivery: (d) => writer.delivery(d),
    });
    writer.finish(lean);
    const streamed: ReportDelivery[] = [];
    const again = createReportWriter(join(dir, 'again.json'));
    // The same report, written whole: the streamed entries in place of the empty list.
    const whole = { ...lean, deliveries: streamed };
    const text = readFileSync(join(dir, 'streamed.json'), 'utf8');
    streamed.push(...(JSON.parse(text) as { deliveries: ReportDelivery[] }).deliveries);
    assert.equal(streamed.length, 12);
    writeJsonReport(join(dir, 'whole.json'), whole);
    assert.equal(text, readFileSync(join(dir, 'whole.json'), 'utf8'));
    assert.equal(existsSync(join(dir, 'streamed.json.part')), false);
    // No delivery at all: the empty list, as written whole.
    again.finish({ ...lean, deliveries: [] });
    writeJsonReport(join(dir, 'empty.json'), { ...lean, deliveries: [] });
    assert.equal(
      readFileSync(join(dir, 'again.json'), 'utf8'),
      readFileSync(join(dir, 'empty.json'), 'utf8'),
    );
  });
});
