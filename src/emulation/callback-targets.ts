/**
 * Where callbacks go, changeable while the emulator runs (admin `PUT /__emulator/targets`, the
 * library's `setTargets`, the dashboard): one target for every type and per-type targets that win
 * over it, as `--target` / `--target-<type>` set them at start. A change applies to deliveries
 * created after it; a pending delivery keeps the URL it was created with (replay it to send it
 * elsewhere). Not journaled: a restart starts again from the start options.
 */
import { CALLBACK_TYPES, type CallbackType } from '../contract/callbacks.ts';
import { httpUrlProblem } from '../core/option-checks.ts';
import { closest, quoted } from '../core/suggest.ts';
import { VendorError } from '../core/vendor-errors.ts';

export interface CallbackTargets {
  /** Every callback type without its own target goes here; null: the template URLs. */
  target: string | null;
  /** Per callback type (wins over `target`). */
  targets: Partial<Record<CallbackType, string>>;
}

/** A change: a URL sets, null clears, an absent key keeps. */
export interface TargetsChange {
  target?: string | null;
  targets?: Partial<Record<CallbackType, string | null>>;
}

export interface TargetsState {
  get(): CallbackTargets;
  /** Where a message of `type` goes instead of its template URL (undefined: the template URL). */
  of(type: CallbackType): string | undefined;
  /** Check the whole change first (a 400 changes nothing), then apply it; returns the new state. */
  set(change: unknown): CallbackTargets;
}

const isCallbackType = (t: string): t is CallbackType => (CALLBACK_TYPES as readonly string[]).includes(t);

function bad(message: string): VendorError {
  return new VendorError('badRequest', message);
}

/** The change as a TargetsChange, or a 400 naming the first bad key or value. */
export function checkTargetsChange(change: unknown): TargetsChange {
  if (typeof change !== 'object' || change === null || Array.isArray(change)) {
    throw bad('targets: expected an object {target?, targets?}');
  }
  const out: TargetsChange = {};
  for (const [k, v] of Object.entries(change)) {
    if (k === 'target') out.target = urlOrNull('target', v);
    else if (k === 'targets') out.targets = perType(v);
    else throw bad(`targets: unknown key ${quoted(k)}${hint(k, ['target', 'targets'])}`);
  }
  return out;
}

function urlOrNull(name: string, v: unknown): string | null {
  if (v === null) return null;
  const problem = httpUrlProblem(name, v);
  if (problem) throw bad(`${problem}, or null for the template URLs`);
  return v as string;
}

function perType(v: unknown): Partial<Record<CallbackType, string | null>> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    throw bad('targets.targets: expected an object {<callback type>: <url> | null}');
  }
  const out: Partial<Record<CallbackType, string | null>> = {};
  for (const [type, url] of Object.entries(v)) {
    if (!isCallbackType(type)) {
      throw bad(
        `targets.targets: unknown callback type ${quoted(type)}${hint(type, CALLBACK_TYPES)} ` +
          `(one of ${CALLBACK_TYPES.join(', ')})`,
      );
    }
    out[type] = urlOrNull(`targets.targets.${type}`, url);
  }
  return out;
}

const hint = (word: string, candidates: readonly string[]): string => {
  const c = closest(word, candidates);
  return c ? ` (did you mean "${c}"?)` : '';
};

export function createTargets(initial: {
  target?: string;
  targets?: Partial<Record<CallbackType, string>>;
}): TargetsState {
  let state: CallbackTargets = { target: initial.target ?? null, targets: { ...initial.targets } };
  return {
    get: () => ({ target: state.target, targets: { ...state.targets } }),
    of: (type) => state.targets[type] ?? state.target ?? undefined,
    set(change) {
      const c = checkTargetsChange(change);
      const targets = { ...state.targets };
      for (const [type, url] of Object.entries(c.targets ?? {}) as [CallbackType, string | null][]) {
        if (url === null) delete targets[type];
        else targets[type] = url;
      }
      state = { target: c.target === undefined ? state.target : c.target, targets };
      return this.get();
    },
  };
}
