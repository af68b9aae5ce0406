/**
 * Test helper: what a set of recorded callbacks shows, measured straight from the call-completion
 * payloads (independently of src/calibrate), so a calibrated scenario's replay can be compared
 * with the recording it was fitted from.
 */
type Obj = Record<string, unknown>;

export interface Measured {
  /** Category shares to compare (each a map category → count). */
  mixes: Record<string, Map<string, number>>;
  /** Samples to compare with the KS test. */
  samples: Record<string, number[]>;
}

const seconds = (t: unknown): number => Date.parse(`${String(t).replace(' ', 'T')}Z`) / 1000;

function add(m: Record<string, Map<string, number>>, mix: string, key: string): void {
  const map = (m[mix] ??= new Map());
  map.set(key, (map.get(key) ?? 0) + 1);
}

function push(s: Record<string, number[]>, name: string, v: number): void {
  (s[name] ??= []).push(v);
}

export function measure(payloads: unknown[]): Measured {
  const mixes: Measured['mixes'] = {};
  const samples: Measured['samples'] = {};
  for (const p of payloads) {
    const o = p as Obj;
    if (!('nodetask_id' in o)) continue;
    for (const d of o.details as Obj[]) {
      const earlier = d.redail_call as Obj[];
      const answered = d.ring_type === 'normal' && (d.duration as number) > 0;
      for (const r of earlier) dial(mixes, samples, r, false);
      dial(mixes, samples, d, answered);
      add(mixes, 'call_times', String(d.call_times));
      const chain = [...earlier, d];
      for (let i = 0; i + 1 < chain.length; i++) {
        const next = chain[i + 1]!;
        const gap =
          seconds(next.call_start_time) - (next.ring_time as number) - seconds(chain[i]!.call_start_time);
        push(samples, 'redial gap', gap);
      }
      if (!answered) continue;
      add(mixes, 'intention', String(d.result_label));
      add(mixes, 'hangup_type (answered)', String(d.hangup_type));
      push(samples, 'ring_time (answered)', d.ring_time as number);
      push(samples, `talk time of ${String(d.result_label)}`, d.duration as number);
      for (const q of (d.question_answer as Obj[] | undefined) ?? []) {
        if (q.question_type === 'open' && q.whether_answer === 'Answered')
          add(mixes, 'Info Check answers', String(q.verification_results));
      }
    }
  }
  return { mixes, samples };
}

function dial(mixes: Measured['mixes'], samples: Measured['samples'], d: Obj, answered: boolean): void {
  const rt = d.ring_type === null ? 'null' : String(d.ring_type);
  add(mixes, 'dial outcome', answered ? 'answered' : rt);
  if (answered) return;
  add(mixes, 'hangup_type (unanswered)', String(d.hangup_type));
  push(samples, rt === 'normal' ? 'ring_time (no answer)' : 'ring_time (failed)', d.ring_time as number);
}
