/**
 * The ring_type a dial outcome reports. A dial that never reached the network (the number was
 * rejected before dialling, or the SIP line failed) has no ring classification: its ring_type stays
 * at the initial value the vendor pages give, null (inferred). Every other unanswered outcome is
 * its own ring_type.
 */
import type { DialOutcome, RingType, UnreachedOutcome } from '../scenario/types.ts';

/** Outcomes of a dial that never reached the network (scenario `outcomes.dial` keys). */
export const UNREACHED_OUTCOMES: readonly UnreachedOutcome[] = ['invalid_number', 'line_failure'];

const UNREACHED: ReadonlySet<DialOutcome> = new Set(UNREACHED_OUTCOMES);

/** ring_type of an unanswered dial's outcome: null when it never reached the network. */
export function ringTypeOf(outcome: Exclude<DialOutcome, 'answered'>): RingType | null {
  return UNREACHED.has(outcome) ? null : (outcome as RingType);
}
