/**
 * Where `serve`'s heap goes while it fills with deliveries (issue 14: RSS ≤ 500 MB at 300,000).
 * Run: `node --expose-gc --import tsx bench/heap-probe.mts [runs]` (default 3).
 *
 * The emulator is built as bench/views.ts's server builds it (virtual clock, a loopback receiver
 * answering 200 `{}` in the same process), then `large-campaign` (30,002 callbacks) is triggered
 * `runs` times. Per run it prints the peak while the run plays out (sampled every 20 ms of real
 * time, no GC forced), the figure and RSS after a forced GC, and what the run added. At the end
 * it takes the store apart, a GC after each step: the delivery content cache, the deliveries (the
 * index with its settled summaries), the campaign records; what is left is code and the rest.
 * Figures are V8's heap plus ArrayBuffer memory: the compact tables' typed arrays live outside
 * the V8 heap.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEmulator } from '../src/server/emulator.ts';

const runs = Number(process.argv[2] ?? 3);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx bench/heap-probe.mts');
const mb = (n: number) => (n / 1e6).toFixed(1);
/** Heap plus ArrayBuffer memory (typed-array columns live outside the V8 heap), after a GC. */
const heapAfterGc = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const receiver = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}'));
});
await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
const target = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`;
const emu = await createEmulator({ target, clock: 'virtual', startTime: Date.UTC(2026, 0, 5, 1, 0, 0) });

let before = heapAfterGc();
console.log(`start: heap ${mb(before)} MB, rss ${mb(process.memoryUsage().rss)} MB`);
for (let i = 1; i <= runs; i++) {
  let peak = 0;
  let peakRss = 0;
  let peakHeld = 0;
  const sample = setInterval(() => {
    peakHeld = Math.max(peakHeld, emu.store.deliveryIndex.heldCount);
    const m = process.memoryUsage();
    peak = Math.max(peak, m.heapUsed + m.arrayBuffers);
    peakRss = Math.max(peakRss, m.rss);
  }, 20);
  const t0 = performance.now();
  emu.trigger('large-campaign');
  await emu.idle();
  clearInterval(sample);
  const secs = (performance.now() - t0) / 1000;
  const after = heapAfterGc();
  console.log(
    `run ${i} (${secs.toFixed(1)} s, ${emu.store.deliveryIndex.size} deliveries): heap peak ${mb(peak)} MB ` +
      `(${peakHeld} deliveries pending at most), ` +
      `after GC ${mb(after)} MB (+${mb(after - before)}), rss peak ${mb(peakRss)} MB, now ${mb(process.memoryUsage().rss)} MB`,
  );
  before = after;
}

const m = process.memoryUsage();
/** RSS split by the kernel: mapped files (the node binary, libraries) and anonymous memory (kB). */
const status = readFileSync('/proc/self/status', 'utf8');
const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN) * 1e3;
console.log(`rss: files ${mb(kb('RssFile'))} MB, anonymous ${mb(kb('RssAnon'))} MB`);
console.log(
  `after a GC: rss ${mb(m.rss)} MB = V8 heap committed ${mb(m.heapTotal)} (used ${mb(m.heapUsed)}), ` +
    `external ${mb(m.external)} (ArrayBuffers ${mb(m.arrayBuffers)}), ` +
    `other anonymous memory ${mb(kb('RssAnon') - m.heapTotal - m.external)} MB (allocator, V8 outside its heap)`,
);

// Take it apart: what each part of the store holds.
const store = emu.store as unknown as Record<string, { clear(): void }>;
const steps: [string, () => void][] = [
  ['content cache', () => store.contents!.clear()],
  ['delivery summaries (the index)', () => store.deliveryIndex!.clear()],
  ['campaign records', () => store.campaigns!.clear()],
];
let last = heapAfterGc();
for (const [name, clear] of steps) {
  clear();
  const now = heapAfterGc();
  console.log(`${name}: ${mb(last - now)} MB`);
  last = now;
}
console.log(`left: heap ${mb(last)} MB, rss ${mb(process.memoryUsage().rss)} MB`);
await emu.close();
receiver.close();
