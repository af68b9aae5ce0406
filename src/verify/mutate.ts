/**
 * Small, deterministic payload mutations shared by the variant builders: the vendor docs'
 * redaction of ids and numbers, phone numbers from many countries, long and multilingual text,
 * redial histories, and JSON text with every non-ASCII character escaped. Randomness only from the
 * seeded Faker handed in.
 */
import type { Faker } from '@faker-js/faker';
import { schemas } from '../contract/registry.ts';
import type { HangupType, RedialCall, RingTypeCanonical } from '../generated/types.ts';

/** Keys whose values are 32-hex ids (or `ic` call ids) in the callbacks. */
const ID_KEYS = new Set([
  'workflow_id',
  'node_id',
  'nodetask_id',
  'task_id',
  'call_id',
  'robot_hash',
  'waba_task_id',
  'wfdetail_uuid',
]);
/** Keys whose values are E.164 numbers. */
const PHONE_KEYS = new Set(['callee_number', 'caller_number', 'callee']);

/** `079918b288f1c2d3e43815e2a8030eb1` → `079918b288xxxxxxxx3815e2a8030eb` (the vendor page's form). */
export function maskId(id: string): string {
  const prefix = id.startsWith('ic') ? 'ic' : '';
  const hex = id.slice(prefix.length);
  if (hex.length < 16) return id;
  return `${prefix}${hex.slice(0, 10)}xxxxxxxx${hex.slice(-13)}`;
}

/** `+8618717905721` → `+861xxxxxxxx5721` (the vendor page's form). */
export function maskPhone(num: string): string {
  const digits = num.slice(1);
  if (!/^\d{7,15}$/.test(digits)) return num;
  return `+${digits.slice(0, 3)}xxxxxxxx${digits.slice(-4)}`;
}

/**
 * Redact every id and number like the vendor examples do. `keep` names paths (dot-joined keys,
 * array indexes left out) that stay in full: the vendor's push example keeps `call.callee_number`.
 */
export function maskIdsAndNumbers<T>(value: T, keep: ReadonlySet<string> = new Set()): T {
  const walk = (v: unknown, path: string[]): unknown => {
    if (Array.isArray(v)) return v.map((x) => walk(x, path));
    if (typeof v !== 'object' || v === null) return v;
    const out: Record<string, unknown> = {};
    for (const [k, child] of Object.entries(v)) {
      const p = [...path, k];
      const kept = keep.has(p.join('.'));
      if (typeof child === 'string' && !kept && ID_KEYS.has(k)) out[k] = maskId(child);
      else if (typeof child === 'string' && !kept && PHONE_KEYS.has(k)) out[k] = maskPhone(child);
      else out[k] = walk(child, p);
    }
    return out;
  };
  return walk(value, []) as T;
}

/**
 * Country calling codes and national number lengths: short (Saint Helena, 4 digits) to the
 * 15-digit maximum of E.164, covering the emulator's markets and a few more.
 */
const COUNTRIES: readonly { cc: string; lead: string; len: number; where: string }[] = [
  { cc: '86', lead: '13', len: 11, where: 'China' },
  { cc: '62', lead: '8', len: 11, where: 'Indonesia' },
  { cc: '52', lead: '1', len: 11, where: 'Mexico (mobile, old 1 prefix)' },
  { cc: '91', lead: '9', len: 10, where: 'India' },
  { cc: '63', lead: '9', len: 10, where: 'Philippines' },
  { cc: '1', lead: '2', len: 10, where: 'USA' },
  { cc: '55', lead: '11', len: 11, where: 'Brazil' },
  { cc: '44', lead: '7', len: 10, where: 'United Kingdom' },
  { cc: '234', lead: '80', len: 10, where: 'Nigeria' },
  { cc: '971', lead: '5', len: 9, where: 'United Arab Emirates' },
  { cc: '290', lead: '2', len: 4, where: 'Saint Helena (7 digits in all, the E.164 minimum here)' },
  { cc: '86', lead: '1', len: 13, where: 'China IoT range (15 digits in all, the E.164 maximum)' },
];

/** One E.164 number per country of the list, in list order. */
export function internationalNumbers(faker: Faker): { number: string; where: string }[] {
  return COUNTRIES.map((c) => ({
    number: `+${c.cc}${c.lead}${faker.string.numeric({ length: c.len - c.lead.length, allowLeadingZeros: true })}`,
    where: c.where,
  }));
}

/** Text in the languages the emulator's markets speak, and emoji (astral-plane characters). */
export const MULTILINGUAL = {
  chinese: '意愿确认 请确认您的姓名和出生日期',
  indonesian: 'Verifikasi nama lengkap Anda, Bapak/Ibu. Terima kasih sudah menunggu',
  spanish: '¿Confirma su año de nacimiento, señor Núñez? Información pública',
  emoji: 'Confirmado 👍🏽 pedido 📦 ✅ 🇲🇽',
} as const;

export const MULTILINGUAL_LINE = Object.values(MULTILINGUAL).join(' / ');

/** About `chars` characters of deterministic sentence text. */
export function longText(faker: Faker, chars: number): string {
  const parts: string[] = [];
  let n = 0;
  while (n < chars) {
    const s = faker.lorem.sentence();
    parts.push(s);
    n += s.length + 1;
  }
  return parts.join(' ').slice(0, chars);
}

// Every value the contract allows, read from the schema so the variants follow it if it changes.
const commonDefs = schemas().schema('common').$defs as Record<string, { enum: unknown[] }>;
const RING_TYPES = commonDefs.ringTypeCanonical!.enum as readonly RingTypeCanonical[];
const HANGUPS = commonDefs.hangupType!.enum as readonly HangupType[];

/** Shift a vendor time ("YYYY-MM-DD HH:mm:ss", no zone) by `seconds`: plain calendar arithmetic. */
export function shiftVendorTime(time: string, seconds: number): string {
  const ms = Date.parse(`${time.replace(' ', 'T')}Z`) + seconds * 1000;
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * `count` earlier dials before `before`, oldest first, cycling through every ring type (null
 * included) and hang-up type; every other item omits the optional caller_number.
 */
export function redialHistory(
  faker: Faker,
  count: number,
  before: string,
  callee: string,
  caller: string | undefined,
): RedialCall[] {
  const out: RedialCall[] = [];
  for (let i = 0; i < count; i++) {
    const item: RedialCall = {
      call_id: faker.string.hexadecimal({ length: 32, casing: 'lower', prefix: '' }),
      call_start_time: shiftVendorTime(before, -60 * (count - i) - faker.number.int({ min: 0, max: 30 })),
      ring_type: RING_TYPES[i % RING_TYPES.length]!,
      ring_time: faker.number.int({ min: 0, max: 40 }),
      hangup_type: HANGUPS[i % HANGUPS.length]!,
      result_label: faker.helpers.arrayElement(['F', 'E', 'D', '']),
      callee_number: callee,
    };
    if (caller !== undefined && i % 2 === 0) item.caller_number = caller;
    out.push(item);
  }
  return out;
}

/** Seconds from the start of the call as the ASR offset "HH:mm:ss". */
export function clockOffset(seconds: number): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(Math.floor(seconds / 3600) % 100)}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/**
 * JSON text with every non-ASCII character as a `\uXXXX` escape (astral characters as surrogate
 * pairs), as Python's `json.dumps` writes by default: the same value, other bytes.
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * The vendor pages' layouts: the Custom API page indents with 4 spaces, the Info Check page puts
 * every key on its own line without indentation.
 */
export function vendorLayout(value: unknown, layout: 'indent-4' | 'flush'): string {
  const text = JSON.stringify(value, null, 4);
  return layout === 'indent-4'
    ? text
    : text
        .split('\n')
        .map((l) => l.trimStart())
        .join('\n');
}

/** Extra keys for the vendor's free string maps: non-ASCII, dotted, spaced, empty values. */
export const EXTRA_MAP_KEYS: Readonly<Record<string, string>> = {
  'key with spaces': 'value',
  'dotted.key': '1',
  'dash-key': '',
  UPPER_Case: 'MiXeD',
  键: '值',
  'clé_émoji_🙂': '✓',
  numeric_like: '0012',
  json_like: '{"not":"parsed"}',
  long_value: 'x'.repeat(2000),
};
