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
  /** Per row (CaseID): each number's first dial start and its dial outcomes. */
  const rows = new Map<string, { start: number; outcomes: string[] }[]>();
  for (const p of payloads) {
    const o = p as Obj;
    if (!('nodetask_id' in o)) continue;
    for (const d of o.details as Obj[]) {
      const earlier = d.redail_call as Obj[];
      const answered = d.ring_type === 'normal' && (d.duration as number) > 0;
      const outcomes = [
        ...earlier.map((r) => dial(mixes, samples, r, false)),
        dial(mixes, samples, d, answered),
      ];
      const first = earlier[0] ?? d;
      const start = seconds(first.call_start_time) - (first.ring_time as number);
      const row = rows.get(String(d.CaseID)) ?? [];
      rows.set(String(d.CaseID), [...row, { start, outcomes }]);
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
  rowShapes(rows, mixes, samples);
  return { mixes, samples };
}

/** Outcomes by number position, numbers dialled per row, and the spacing of the rows' starts. */
function rowShapes(
  rows: Map<string, { start: number; outcomes: string[] }[]>,
  mixes: Measured['mixes'],
  samples: Measured['samples'],
): void {
  const starts: number[] = [];
  for (const numbers of rows.values()) {
    numbers.sort((a, b) => a.start - b.start);
    starts.push(numbers[0]!.start);
    add(mixes, 'numbers dialled per row', String(numbers.length));
    numbers.forEach((n, i) => n.outcomes.forEach((x) => add(mixes, `dial outcome at number ${i + 1}`, x)));
  }
  starts.sort((a, b) => a - b);
  for (let i = 1; i < starts.length; i++)
    push(samples, 'gap between row starts', starts[i]! - starts[i - 1]!);
}

function dial(mixes: Measured['mixes'], samples: Measured['samples'], d: Obj, answered: boolean): string {
  const rt = d.ring_type === null ? 'null' : String(d.ring_type);
  const outcome = answered ? 'answered' : rt;
  add(mixes, 'dial outcome', outcome);
  if (answered) return outcome;
  add(mixes, 'hangup_type (unanswered)', String(d.hangup_type));
  push(samples, rt === 'normal' ? 'ring_time (no answer)' : 'ring_time (failed)', d.ring_time as number);
  return outcome;
}
