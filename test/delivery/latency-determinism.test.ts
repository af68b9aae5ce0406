/**
 * The delivery log does not depend on the receiver's latency: the same seeded campaign, played on
 * the virtual clock against a receiver that answers at once and against one that answers after
 * random 0–20 ms delays (so attempts overlap and finish in a different order), gives the same
 * report byte for byte — delivery ids, payloads, attempt instants, retry instants, statuses — and
 * the receiver gets the same bodies and headers for each (delivery, attempt). Only the order in
 * which the receiver sees them may differ (docs/delivery-concurrency.md).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { deterministicView } from '../../src/run/report.ts';
import { runScenario } from '../../src/run/run-scenario.ts';
import { loadScenarioFile } from '../../src/scenario/load.ts';
import { resolveScenarioRef } from '../../src/scenario/refs.ts';
import type { Scenario } from '../../src/scenario/types.ts';

// Far above the 0–20 ms answers even on a loaded machine, so only the hanging attempts time out.
const TIMEOUT_MS = 2_000;

interface Received {
  key: string;
  body: string;
  headers: string;
}

/**
 * A receiver whose answer depends only on (delivery id, attempt): most deliveries succeed at
 * once, some fail their first one or two attempts with 503, a few never answer their first attempt
 * (a timeout). `delay()` decides how long each answer takes.
 */
async function receiver(delay: () => number) {
  const got: Received[] = [];
  const hanging: http.ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const id = String(req.headers['x-emulator-delivery-id']);
      const attempt = Number(req.headers['x-emulator-attempt']);
      const { host: _host, connection: _connection, ...headers } = req.headers;
      got.push({
        key: `${id}#${attempt}`,
        body: Buffer.concat(chunks).toString('utf8'),
        headers: JSON.stringify(headers),
      });
      const h = createHash('sha256').update(id).digest()[0]!;
      if (h % 29 === 0 && attempt === 1) {
        hanging.push(res);
        return;
      }
      const fail = (h % 5 === 0 && attempt <= 2) || (h % 7 === 0 && attempt === 1);
      const answer = () =>
        res.writeHead(fail ? 503 : 200).end(fail ? `{"error":"busy ${id}"}` : '{"ok":true}');
      const ms = delay();
      if (ms === 0) answer();
      else setTimeout(answer, ms);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
    got,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}

/** A seeded stream of delays in [0, 20] ms (the test's own randomness, reproducible). */
function delays(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return (s >>> 8) % 21;
  };
}

function scenario(): Scenario {
  const s = loadScenarioFile(resolveScenarioRef('collection-ptp'), 'collection-ptp');
  return { ...s, contacts: { ...s.contacts, generate: { ...s.contacts.generate!, count: 60 } } };
}

async function play(delay: () => number) {
  const rx = await receiver(delay);
  try {
    const report = await runScenario({ scenario: scenario(), target: rx.url, timeoutMs: TIMEOUT_MS });
    const log = JSON.stringify(deterministicView(report)).replaceAll(rx.url, '<receiver>');
    // Arrival order may vary (attempts due at one instant, overlapping requests): compare by key.
    const received = [...rx.got].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { report, log, received };
  } finally {
    await rx.close();
  }
}

describe('delivery log vs receiver latency', () => {
  it('is byte-identical for a seed whether the receiver answers at once or after 0–20 ms', async () => {
    const instant = await play(() => 0);
    const slow = await play(delays(42));
    const { summary } = instant.report;
    // The campaign exercises what latency could disturb: retries after 503s and after timeouts.
    assert.ok(summary.deliveries > 100, `deliveries: ${summary.deliveries}`);
    const errors = new Set(instant.report.deliveries.flatMap((d) => d.attempts.map((a) => a.error ?? 'ok')));
    assert.deepEqual([...errors].sort(), ['non-2xx', 'ok', 'timeout']);
    assert.ok(instant.log === slow.log, 'same report without its real-time measurements');
    assert.equal(slow.received.length, instant.received.length);
    assert.deepEqual(slow.received, instant.received);
  });
});
