/** Valid vendor payloads for delivery tests: the seed example with a distinct case id each. */
import { readFileSync } from 'node:fs';
import { isValid } from '../../src/contract/registry.ts';
import type { CustomApiNodePush } from '../../src/generated/types.ts';

function seed(): CustomApiNodePush {
  const json: unknown = JSON.parse(
    readFileSync(new URL('../fixtures/seed-custom-api-node-push.json', import.meta.url), 'utf8'),
  );
  if (!isValid('custom-api-node-push', json))
    throw new Error('the seed push fixture does not match its schema');
  return json;
}

const SEED = seed();

export function pushPayload(i = 0): CustomApiNodePush {
  const p = structuredClone(SEED);
  p.callee.case_id = `case-${i}`;
  return p;
}
