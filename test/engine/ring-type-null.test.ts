/**
 * ring_type null (the vendor's initial value) is sent exactly for dials that never reached the
 * network (`invalid_number`, `line_failure`: src/engine/ring-type.ts), on the call record and in
 * every payload that carries the dial (call-completion, Info Check, push, redial history).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { simulate } from '../../src/engine/campaign.ts';
import { validate } from '../../src/contract/registry.ts';
import { UNREACHED_OUTCOMES } from '../../src/engine/ring-type.ts';
import type { DialOutcome } from '../../src/scenario/types.ts';
import { fixture, T0 } from './scenario-fixture.ts';

const ALL: Record<Exclude<DialOutcome, 'answered'>, number> = {
  normal: 1,
  busy: 1,
  cantuse: 1,
  hold: 1,
  line: 1,
  switchoff: 1,
  outofarea: 1,
  unregister: 1,
  wrongnum: 1,
  notmatch: 1,
  invalid_number: 2,
  line_failure: 2,
};

/** Every object in `v` that carries both a call id and a ring_type. */
function ringRecords(v: unknown, out: { call_id: string; ring_type: unknown }[] = []) {
  if (Array.isArray(v)) for (const x of v) ringRecords(x, out);
  else if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if ('ring_type' in o && typeof o.call_id === 'string')
      out.push({ call_id: o.call_id, ring_type: o.ring_type });
    for (const x of Object.values(o)) ringRecords(x, out);
  }
  return out;
}

for (const business of ['collection', 'info_check'] as const) {
  describe(`ring_type null for dials that never reached the network (${business})`, () => {
    const scenario = fixture({
      business,
      count: 60,
      repeatNumber: 2,
      repeatInterval: 0,
      outcomes: { dial: { answered: 4, ...ALL } },
    });
    const events = simulate({ scenario, startTime: T0 });
    const dials = events.filter((e) => e.kind === 'dial.finished').map((e) => e.data);
    const outcomeOf = new Map(dials.map((d) => [d.callId, d.outcome]));
    const unreached = (o: DialOutcome | undefined) =>
      (UNREACHED_OUTCOMES as readonly string[]).includes(o as string);

    it('the call record: null exactly for the unreached outcomes, with no ring time', () => {
      assert.ok(dials.some((d) => unreached(d.outcome)));
      assert.ok(dials.some((d) => !unreached(d.outcome) && !d.answered));
      for (const d of dials) {
        assert.equal(d.ringType === null, unreached(d.outcome), `${d.outcome} → ${String(d.ringType)}`);
        if (d.ringType === null) assert.equal(d.ringTime, 0);
        else if (!d.answered) assert.equal(d.ringType, d.outcome);
      }
    });

    it('every payload: null exactly for those dials, and valid', () => {
      let seen = 0;
      let nulls = 0;
      for (const e of events)
        for (const m of e.messages) {
          assert.deepEqual(validate(m.type, m.payload), { ok: true });
          for (const r of ringRecords(m.payload)) {
            const o = outcomeOf.get(r.call_id);
            assert.ok(o !== undefined, `unknown call id ${r.call_id}`);
            assert.equal(r.ring_type === null, unreached(o), `${m.type} ${o} → ${String(r.ring_type)}`);
            seen++;
            if (r.ring_type === null) nulls++;
          }
        }
      assert.ok(seen > 0 && nulls > 0, `seen ${seen}, null ${nulls}`);
    });

    it('an exhausted number rejected before dialling reports failed; a line failure does not', () => {
      for (const e of events) {
        if (e.kind !== 'number.finished' || e.data.connected) continue;
        const o = outcomeOf.get(e.callId);
        if (o === 'invalid_number') assert.equal(e.data.result, 'failed');
        if (o === 'line_failure') assert.equal(e.data.result, 'finished');
      }
    });
  });
}
