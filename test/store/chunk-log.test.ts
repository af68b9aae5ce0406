import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkCache, ChunkDictionary, ChunkLog, ChunkSlab } from '../../src/store/chunk-log.ts';

test('a chunk log gives back every item as it was pushed, sealed or open', () => {
  const log = new ChunkLog<{ n: number; s: string }>(new ChunkCache(2), new ChunkDictionary());
  const items = Array.from({ length: 1_000 }, (_, n) => ({ n, s: `item ${n}` }));
  for (const it of items) log.push(it);
  assert.equal(log.length, 1_000);
  assert.deepEqual([...log.range()], items);
  assert.deepEqual(log.get(999), items[999]);
  assert.deepEqual(log.get(3), items[3]);
});

test('sealed chunks keep only their compressed bytes, not zlib working buffers', () => {
  const log = new ChunkLog<{ n: number }>(new ChunkCache(2), new ChunkDictionary());
  for (let n = 0; n < 64 * 200; n++) log.push({ n });
  // 200 chunks of well under 1 KB each: a 16 KB buffer behind each would be ≥ 3.2 MB.
  assert.ok(log.retainedBytes() < 400_000, `retained ${log.retainedBytes()} bytes`);
});

test('the logs of a store keep their chunks in a few shared slabs, not an allocation each', () => {
  const cache = new ChunkCache(2);
  const dictionary = new ChunkDictionary();
  const slab = new ChunkSlab();
  const logs = Array.from(
    { length: 50 },
    () => new ChunkLog<{ n: number; s: string }>(cache, dictionary, slab),
  );
  const items = Array.from({ length: 64 * 20 }, (_, n) => ({ n, s: `item ${n * 7919}` }));
  for (const log of logs) for (const it of items) log.push(it);
  const chunks = logs.flatMap((log) => (log as unknown as { chunks: Buffer[] }).chunks);
  assert.equal(chunks.length, 1_000);
  const backing = new Set(chunks.map((c) => c.buffer));
  // 1,000 chunks of ≈ 0.5 KB: slabs of 64 KB doubling to 1 MB; a copy each would be pooled
  // 8 KB buffers or one allocation per chunk.
  assert.ok(backing.size <= 4, `${backing.size} backing buffers`);
  for (const b of backing) assert.ok(b.byteLength >= 64 * 1024, `a backing buffer of ${b.byteLength} bytes`);
  for (const log of logs) assert.deepEqual([...log.range()], items);
});

test('a sealed chunk does not keep the objects pushed into it (a read decodes its bytes)', () => {
  const cache = new ChunkCache(24);
  const log = new ChunkLog<{ n: number; tags: string[] }>(cache, new ChunkDictionary());
  const items = Array.from({ length: 64 }, (_, n) => ({ n, tags: [`t${n}`] }));
  for (const it of items) log.push(it);
  assert.equal(cache.length, 0);
  assert.notEqual(log.get(5), items[5]);
  assert.deepEqual(log.get(5), items[5]);
  assert.equal(cache.length, 1);
});
