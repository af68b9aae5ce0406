/**
 * The checks of a `delivery:` section that its schema cannot express, in both spellings: a
 * scenario file's snake_case (`chaos.delay_ms`) and the camelCase of the library's `delivery`
 * option and the `serve --config` file (`chaos.delayMs`). One set of rules and words, so each
 * surface rejects a value with the same message, naming the key as that surface spells it. The
 * value has passed its schema (scenario.schema.json or serve-config.schema.json) first.
 */
import { aesKeyProblem } from '../core/aes.ts';
import { signatureHeaderProblem, signingAlgorithmProblem } from '../core/signing.ts';
import type { PathSegment } from './positions.ts';

export type Spelling = 'snake' | 'camel';

/** Where a problem is, under the section (`['signing', 'algorithm']`), and what it is. */
export interface DeliveryProblem {
  segments: PathSegment[];
  message: string;
}

type Section = Record<string, unknown>;
const section = (v: unknown): Section | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Section) : undefined;

/** Problems of a delivery section (already valid against its schema), keys spelt `spelling`. */
export function deliveryProblems(delivery: unknown, spelling: Spelling): DeliveryProblem[] {
  const out: DeliveryProblem[] = [];
  const d = section(delivery);
  if (!d) return out;
  const signing = section(d.signing);
  if (signing?.algorithm !== undefined) {
    const p = signingAlgorithmProblem(signing.algorithm);
    if (p) out.push({ segments: ['signing', 'algorithm'], message: p });
  }
  if (typeof signing?.header === 'string') {
    const p = signatureHeaderProblem(signing.header);
    if (p) out.push({ segments: ['signing', 'header'], message: p });
  }
  // A bad key is an error even while encryption is off: it is wrong whenever it is switched on.
  const encryption = section(d.encryption);
  if (typeof encryption?.key === 'string') {
    const p = aesKeyProblem(encryption.key);
    if (p) out.push({ segments: ['encryption', 'key'], message: p });
  }
  const delayKey = spelling === 'snake' ? 'delay_ms' : 'delayMs';
  const delay = section(section(d.chaos)?.[delayKey]);
  if (delay && typeof delay.min === 'number' && typeof delay.max === 'number' && delay.min > delay.max) {
    out.push({
      segments: ['chaos', delayKey],
      message: `min (${delay.min}) must not exceed max (${delay.max})`,
    });
  }
  return out;
}
