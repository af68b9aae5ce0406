/**
 * Vendor-shaped identifiers, drawn from the run's seeded Faker (never Math.random / crypto), so
 * the same seed gives the same ids. AIRUDDER ids are 32 lowercase hex characters; the Info Check
 * example's call ids start with "ic" — the emulator keeps the total length at 32 ("ic" + 30 hex).
 */
import type { Faker } from '@faker-js/faker';

const HEX = '0123456789abcdef';

/** `length` lowercase hex characters (8 per 32-bit draw: cheap enough for the hot path). */
export function hexId(faker: Faker, length = 32): string {
  let out = '';
  while (out.length < length) {
    let n = faker.number.int({ min: 0, max: 0xffffffff });
    for (let i = 0; i < 8 && out.length < length; i++) {
      out += HEX[n & 15];
      n >>>= 4;
    }
  }
  return out;
}

/** A call id: 32 lowercase hex, or "ic" + 30 hex for Info Check calls (as in the vendor example). */
export function callId(faker: Faker, infoCheck: boolean): string {
  return infoCheck ? `ic${hexId(faker, 30)}` : hexId(faker, 32);
}

/** A vendor "detail id" (Info Check `details[].id`): a positive 10-digit integer. */
export function detailId(faker: Faker): number {
  return faker.number.int({ min: 1_000_000_000, max: 2_147_483_647 });
}

export const HEX_ID_RE = /^[0-9a-f]{32}$/;
export const CALL_ID_RE = /^(?:[0-9a-f]{32}|ic[0-9a-f]{30})$/;
