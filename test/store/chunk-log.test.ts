import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChunkCache, ChunkDictionary, ChunkLog } from '../../src/store/chunk-log.ts';

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
