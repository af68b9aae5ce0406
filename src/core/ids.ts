/**
 * Vendor-shaped identifiers, drawn from the run's seeded generator (never Math.random / crypto),
 * so the same seed gives the same ids. AIRUDDER ids are 32 lowercase hex characters; the Info Check
 * example's call ids start with "ic" — the emulator keeps the total length at 32 ("ic" + 30 hex).
 */

/** Any seeded source of uniform 32-bit unsigned integers (the engine's Rng). */
export interface Uint32Source {
  uint32(): number;
}

const HEX_CODES = [48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 97, 98, 99, 100, 101, 102]; // 0-9 a-f
const codes: number[] = [];

/**
 * `length` lowercase hex characters after `prefix` (8 per 32-bit draw). Built as one flat
 * string from char codes: concatenating pieces would leave a rope of small strings per id.
 */
export function hexId(src: Uint32Source, length = 32, prefix = ''): string {
  codes.length = 0;
  for (let i = 0; i < prefix.length; i++) codes.push(prefix.charCodeAt(i));
  for (let left = length; left > 0; left -= 8) {
    const n = src.uint32();
    for (let k = 0, shift = 28; k < 8 && k < left; k++, shift -= 4)
      codes.push(HEX_CODES[(n >>> shift) & 15]!);
  }
  return String.fromCharCode.apply(null, codes);
}

/** A call id: 32 lowercase hex, or "ic" + 30 hex for Info Check calls (as in the vendor example). */
export function callId(src: Uint32Source, infoCheck: boolean): string {
  return infoCheck ? hexId(src, 30, 'ic') : hexId(src, 32);
}

/**
 * A vendor "detail id" (Info Check `details[].id`): a positive 10-digit integer that fits a
 * signed 32-bit int, 2^30 ≤ id < 2^31. Never below 2^30, so V8 always stores it as a heap number:
 * a mix of small-integer and heap-number ids gives `details[]` two hidden classes (see
 * src/engine/payloads/list.ts for why that costs).
 */
export function detailId(src: Uint32Source): number {
  return 0x4000_0000 + (src.uint32() & 0x3fff_ffff);
}
