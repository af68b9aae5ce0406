/**
 * One callback on demand (`send`, the admin API's `POST /__emulator/callbacks`, the library's
 * `emu.send`, the dashboard form): a realistic base payload of the type, field overrides over it,
 * checked against the type's schema, handed to the same delivery service as campaign callbacks.
 *
 * The base payload is real engine output: the scenario named (a loaded one, else a shipped one),
 * or the shipped scenario that sends that type, played with a dozen contacts and the emulator's
 * seed — the same seed, type and overrides give the same bytes. The engine sends no chatbot
 * sessions: that type starts from its schema's example (built from the vendor page).
 * Emulator-defined throughout.
 */
import { CALLBACK_TYPES, type CallbackPayload, type CallbackType } from '../contract/callbacks.ts';
import { schemas, validate } from '../contract/registry.ts';
import { httpUrlProblem } from '../core/option-checks.ts';
import { closest, quoted } from '../core/suggest.ts';
import { VendorError } from '../core/vendor-errors.ts';
import type { DeliveryInput } from '../delivery/delivery-service.ts';
import type { DeliveryRecord, StoredDelivery } from '../delivery/types.ts';
import { pick, sampleMessages, sampleRun, schemaExample } from './sample-payloads.ts';
import { findScenario, shippedScenarioNames, UnknownScenarioError } from '../scenario/refs.ts';
import { loadScenarioFile } from '../scenario/load.ts';
import type { Scenario } from '../scenario/types.ts';
import type { MemoryStore } from '../store/memory-store.ts';
import type { DeliveryWiring } from './delivery-wiring.ts';
import type { TemplateCatalog } from './ports.ts';
import { applyOverrides, normalizeSet } from './overrides.ts';

export { applyOverrides, parseAssignment, parsePath } from './overrides.ts';

/** What `send` takes, under the same names in the admin API, the CLI and the library. */
export interface SendOptions {
  /** The callback type. */
  type: CallbackType;
  /** Overrides: `{path: value}`, or `path=value` lines (value parsed as JSON when it parses). */
  set?: Record<string, unknown> | string[];
  /** Where to send it (default: the emulator's target for the type, else the built-in sink). */
  target?: string;
  /** Send it even when the overrides break the schema (negative tests). */
  allowInvalid?: boolean;
  /** The scenario whose engine output gives the base payload (default: one that sends the type). */
  scenario?: string;
}

export const SEND_OPTION_KEYS = ['type', 'set', 'target', 'allowInvalid', 'scenario'] as const;

/** Where a sent callback goes when no target is given or set: the built-in sink. */
export const SEND_SINK_PATH = '/__emulator/sink/send';

/** The shipped scenario each type's default base payload comes from, and the shape preferred. */
const SOURCES: Record<Exclude<CallbackType, 'chatbot-session-end'>, string> = {
  'custom-api-node-push': 'collection-ptp',
  'call-completion': 'collection-ptp',
  'call-completion-info-check': 'info-check-redials',
  'list-completion': 'collection-ptp',
  'workflow-status-change': 'collection-ptp',
};

/** A payload that shows the type at its fullest (an answered call with a transcript...). */
function preferred(type: CallbackType, p: CallbackPayload): boolean {
  const v = p as unknown as Record<string, unknown>;
  if (type === 'custom-api-node-push') {
    const call = v.call as { talk_round: number; asr_result?: unknown[] };
    return call.talk_round > 0 && (call.asr_result?.length ?? 0) > 0;
  }
  if (type === 'call-completion') return ((v.details as { asr_ptp?: string }[])[0]?.asr_ptp ?? '') !== '';
  if (type === 'call-completion-info-check') {
    return (v.details as { ring_type?: string }[])[0]?.ring_type === 'normal';
  }
  return true;
}

export interface CallbackSender {
  /** Build, check and deliver one callback; throws a VendorError (400/404) for bad options. */
  send(options: unknown): DeliveryRecord;
  /** The delivery a journaled on-demand record sends (a restart rebuilds its bytes), or null. */
  rebuild(rec: StoredDelivery): DeliveryInput | null;
}

interface Base {
  scenario: string | null;
  key?: string;
  payload: CallbackPayload;
  source: Scenario | null;
}

const bad = (message: string, issues?: { path: string; message: string }[]): VendorError =>
  new VendorError('badRequest', message, issues);

const hint = (word: string, candidates: readonly string[]): string => {
  const c = closest(word, candidates);
  return c ? ` (did you mean "${c}"?)` : '';
};

/** The options as SendOptions, or a 400 naming the first bad key or value. */
export function checkSendOptions(raw: unknown): SendOptions & { set: Record<string, unknown> } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw bad('send: expected an object {type, set?, target?, allowInvalid?, scenario?}');
  }
  const o = raw as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!(SEND_OPTION_KEYS as readonly string[]).includes(k)) {
      throw bad(`send: unknown option ${quoted(k)}${hint(k, SEND_OPTION_KEYS)}`);
    }
  }
  const type = o.type;
  if (typeof type !== 'string' || !(CALLBACK_TYPES as readonly string[]).includes(type)) {
    const shown = typeof type === 'string' ? quoted(type) : String(JSON.stringify(type));
    throw bad(
      `send: unknown callback type ${shown}${typeof type === 'string' ? hint(type, CALLBACK_TYPES) : ''} ` +
        `(one of ${CALLBACK_TYPES.join(', ')})`,
    );
  }
  const out: SendOptions & { set: Record<string, unknown> } = {
    type: type as CallbackType,
    set: normalizeSet(o.set),
  };
  if (o.target !== undefined && o.target !== null) {
    const problem = httpUrlProblem('send: target', o.target);
    if (problem) throw bad(problem);
    out.target = o.target as string;
  }
  if (o.allowInvalid !== undefined && typeof o.allowInvalid !== 'boolean') {
    throw bad('send: allowInvalid must be true or false');
  }
  if (o.allowInvalid === true) out.allowInvalid = true;
  if (o.scenario !== undefined && o.scenario !== null) {
    if (typeof o.scenario !== 'string' || o.scenario === '') throw bad('send: scenario must be a name');
    out.scenario = o.scenario;
  }
  return out;
}

export function createCallbackSender(deps: {
  seed: number;
  store: MemoryStore;
  catalog: TemplateCatalog;
  delivery: DeliveryWiring;
}): CallbackSender {
  const { seed, store, catalog, delivery } = deps;
  const cache = new Map<string, Base>();

  /** A loaded scenario by name, else a shipped one (read, not added to the template list). */
  function scenarioNamed(name: string): Scenario {
    const loaded = catalog.scenario(name);
    if (loaded) return loaded.scenario;
    const file = /^[\w.-]+$/.test(name) ? findScenario(name.replace(/\.ya?ml$/i, '')) : undefined;
    if (file === undefined) {
      throw new UnknownScenarioError(
        name,
        shippedScenarioNames(),
        catalog.scenarios().map((s) => s.name),
      );
    }
    return loadScenarioFile(file, name);
  }

  function baseOf(type: CallbackType, scenario: string | undefined): Base {
    const key = `${scenario ?? ''}\0${type}`;
    let base = cache.get(key);
    if (base) return base;
    if (type === 'chatbot-session-end') {
      if (scenario !== undefined) {
        throw bad(
          'send: the engine sends no chatbot-session-end callbacks, so no scenario gives one; ' +
            "leave out scenario to start from the schema's example",
        );
      }
      base = { scenario: null, payload: schemaExample(schemas(), type), source: null };
    } else {
      const name = scenario ?? SOURCES[type];
      const source = scenarioNamed(name);
      const messages = sampleMessages(sampleRun(source, seed), type);
      if (messages.length === 0) throw bad(`send: scenario "${name}" sends no ${type} callbacks`);
      const m = pick(messages, type, (x) => preferred(type, x.payload));
      base = { scenario: name, payload: m.payload, source, ...(m.key !== undefined ? { key: m.key } : {}) };
    }
    cache.set(key, base);
    return base;
  }

  function inputOf(
    type: CallbackType,
    base: Base,
    payload: CallbackPayload,
    url: string,
  ): Omit<DeliveryInput, 'onDemand'> {
    const input: DeliveryInput = { type, url, payload };
    if (base.key !== undefined) input.key = base.key;
    const c = base.source ? delivery.scenarioDelivery(base.source) : null;
    if (c)
      Object.assign(input, {
        policy: c.policy,
        signing: c.signing,
        encryption: c.encryption,
        chaos: c.chaos,
      });
    return input;
  }

  /** send1, send2…: counted from the store, so a restart and a reset carry on sensibly. */
  const nextId = (): string => {
    let n = 1;
    while (store.storedDelivery(`send${n}`)) n++;
    return `send${n}`;
  };

  return {
    send(raw) {
      const o = checkSendOptions(raw);
      const base = baseOf(o.type, o.scenario);
      const payload = applyOverrides(base.payload, o.set);
      const checked = validate(o.type, payload);
      if (!checked.ok && !o.allowInvalid) {
        throw bad(
          `send: the overrides break the ${o.type} schema: ` +
            checked.errors.map((e) => `${e.path} ${e.message}`).join('; ') +
            ' (allowInvalid / --allow-invalid sends it anyway, for a negative test)',
          checked.errors,
        );
      }
      const url = o.target ?? delivery.targets.of(o.type) ?? `${delivery.baseUrl()}${SEND_SINK_PATH}`;
      return delivery.service().deliver({
        ...inputOf(o.type, base, payload, url),
        id: nextId(),
        onDemand: { scenario: base.scenario, set: o.set, valid: checked.ok },
        ...(checked.ok ? {} : { unchecked: true }),
      });
    },
    rebuild(rec) {
      const od = rec.onDemand;
      if (!od || rec.replayOf !== undefined || rec.duplicateOf !== undefined) return null;
      try {
        const base = baseOf(rec.type, od.scenario ?? undefined);
        return { ...inputOf(rec.type, base, applyOverrides(base.payload, od.set), rec.url), id: rec.id };
      } catch {
        // The scenario it came from is gone (a file no longer loaded): nothing to send it with.
        return null;
      }
    },
  };
}
