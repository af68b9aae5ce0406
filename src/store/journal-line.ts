/**
 * One journal line: a JSON object whose last member is `"#"`, the CRC-32 (IEEE, as zlib and gzip
 * compute it) of the line without that member, in 8 lowercase hex digits:
 *
 *   {"k":"token","token":"…","appKey":"…","expiresAt":1710148800000,"#":"1c291ca3"}
 *
 * The check covers the bytes of `{"k":…,"expiresAt":1710148800000}` (UTF-8). Each line stays one
 * JSON object (jq and `JSON.parse` read it as it is). Lines written before the checksum existed
 * have no `"#"` and are read as before, but only ahead of the first line that has one: after it,
 * a line without a checksum is damage.
 */
import { crc32 } from 'node:zlib';
import type { JournalEntry } from './entries.ts';

/** The suffix `,"#":"xxxxxxxx"}` that replaces an entry's closing brace. */
const SUFFIX = /,"#":"([0-9a-f]{8})"\}$/;
const SUFFIX_LENGTH = ',"#":"00000000"}'.length;

/** The kinds an entry line may have: today's, and `events` of journals from before the lean format. */
const KINDS = new Set([
  'workflow',
  'rows',
  'update',
  'cancel',
  'stop',
  'advance',
  'token',
  'delivery',
  'sending',
  'attempt',
  'schedule',
  'reset',
  'events',
]);

const hex = (n: number): string => n.toString(16).padStart(8, '0');

/** The line an entry is written as (no newline). */
export function encodeLine(entry: JournalEntry): string {
  const json = JSON.stringify(entry);
  return `${json.slice(0, -1)},"#":"${hex(crc32(json))}"}`;
}

export type DecodedLine =
  { ok: true; entry: JournalEntry; checked: boolean } | { ok: false; problem: string };

/**
 * A line read back: its entry, or why it cannot be trusted. `checkedBefore`: a line with a
 * checksum came earlier (from then on every line must carry one).
 */
export function decodeLine(text: string, checkedBefore: boolean): DecodedLine {
  const m = SUFFIX.exec(text);
  let json = text;
  if (m) {
    json = `${text.slice(0, -SUFFIX_LENGTH)}}`;
    if (hex(crc32(json)) !== m[1]) return { ok: false, problem: 'checksum mismatch' };
  } else if (checkedBefore) {
    return { ok: false, problem: 'no checksum' };
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, problem: 'not JSON' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, problem: 'not a JSON object' };
  }
  const k = (value as { k?: unknown }).k;
  if (typeof k !== 'string' || !KINDS.has(k)) return { ok: false, problem: `unknown kind ${shortJson(k)}` };
  return { ok: true, entry: value as JournalEntry, checked: m !== null };
}

const shortJson = (v: unknown): string => (v === undefined ? '(none)' : (JSON.stringify(v) ?? String(v)));

/** At most `max` characters of a line, for a message (control characters shown escaped). */
export function excerpt(text: string, max = 120): string {
  let clean = '';
  for (const ch of text.slice(0, max + 1)) {
    const code = ch.charCodeAt(0);
    clean += code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : ch;
  }
  return text.length > max ? `${clean.slice(0, max)}… (${text.length} characters)` : clean;
}

/** What a damaged line can still tell (its kind and ids, read from the raw text; maybe wrong). */
export interface LineHints {
  kind?: string;
  workflowId?: string;
  id?: string;
}

export function lineHints(text: string): LineHints {
  const pick = (key: string): string | undefined =>
    new RegExp(`"${key}":"([^"\\\\]{1,200})"`).exec(text)?.[1];
  const hints: LineHints = {};
  const kind = pick('k');
  if (kind !== undefined) hints.kind = kind;
  const workflowId = pick('workflowId');
  if (workflowId !== undefined) hints.workflowId = workflowId;
  const id = pick('id');
  if (id !== undefined) hints.id = id;
  return hints;
}
