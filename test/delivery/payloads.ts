/** Valid vendor payloads for delivery tests: the seed example with a distinct case id each. */
import { readFileSync } from 'node:fs';

const SEED = JSON.parse(
  readFileSync(new URL('../fixtures/seed-custom-api-node-push.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

export function pushPayload(i = 0): Record<string, unknown> {
  const p = structuredClone(SEED) as { callee: { case_id: string } } & Record<string, unknown>;
  p.callee.case_id = `case-${i}`;
  return p;
}
