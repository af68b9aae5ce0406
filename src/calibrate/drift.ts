/**
 * The drift report: what the recorded traffic has that the schemas do not know — unknown fields,
 * values of an unexpected JSON type, enum values outside the documented set, missing required
 * fields — counted per message type and path (array indices folded to []), with one example
 * location. This is the vendor drifting from its own documentation, so the schemas can follow.
 */
import { validate } from '../contract/registry.ts';
import type { Classified } from './messages.ts';
import type { InputProblem } from './records.ts';

export interface DriftEntry {
  type: string;
  kind: 'unknown field' | 'unknown enum value' | 'unexpected type' | 'missing field' | 'other';
  /** JSON path with array indices folded: `$.details[].ring_type`. */
  path: string;
  message: string;
  count: number;
  /** One place it was seen: `file:line $.details[0].ring_type`. */
  example: string;
  /** Enum drift: the unknown values seen (short scalars only). */
  values?: string[];
}

export interface DriftReport {
  messages: number;
  /** Messages with at least one finding. */
  drifted: number;
  entries: DriftEntry[];
  /** Values that are no callback at all (unknown or mixed messages). */
  unknownMessages: InputProblem[];
}

function kindOf(message: string): DriftEntry['kind'] {
  if (message.startsWith('is not an allowed property')) return 'unknown field';
  if (message.startsWith('must be one of') || message.startsWith('must equal ')) return 'unknown enum value';
  if (message.startsWith('must be of type')) return 'unexpected type';
  if (message.startsWith('is required')) return 'missing field';
  return 'other';
}

/** The value at a registry path (`$.a.b[0]["c d"]`). */
function valueAt(root: unknown, path: string): unknown {
  let cur = root;
  const re = /\.([A-Za-z_$][\w$]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]/g;
  for (let m = re.exec(path); m; m = re.exec(path)) {
    const key = m[1] ?? (m[2] !== undefined ? Number(m[2]) : (JSON.parse(m[3]!) as string));
    cur = (cur as Record<string | number, unknown> | null)?.[key];
  }
  return cur;
}

export function driftReport(messages: Classified[], unknown: InputProblem[]): DriftReport {
  const entries = new Map<string, DriftEntry>();
  let drifted = 0;
  for (const m of messages) {
    const r = validate(m.type, m.value);
    if (r.ok) continue;
    drifted++;
    for (const issue of r.errors) {
      const path = issue.path.replace(/\[\d+\]/g, '[]');
      const kind = kindOf(issue.message);
      const key = `${m.type} ${path} ${kind}`;
      let e = entries.get(key);
      if (!e) {
        e = {
          type: m.type,
          kind,
          path,
          message: issue.message,
          count: 0,
          example: `${m.where} ${issue.path}`,
        };
        entries.set(key, e);
      }
      e.count++;
      if (kind === 'unknown enum value') noteValue(e, valueAt(m.value, issue.path));
    }
  }
  const sorted = [...entries.values()].sort((a, b) => b.count - a.count || (a.path < b.path ? -1 : 1));
  return { messages: messages.length, drifted, entries: sorted, unknownMessages: unknown };
}

function noteValue(e: DriftEntry, v: unknown): void {
  const text = v === null || typeof v !== 'object' ? JSON.stringify(v) : undefined;
  if (text === undefined || text.length > 40) return;
  e.values ??= [];
  if (!e.values.includes(text) && e.values.length < 10) e.values.push(text);
}

/** The report as text lines (stderr). */
export function driftLines(r: DriftReport): string[] {
  if (r.entries.length === 0 && r.unknownMessages.length === 0) {
    return [`drift: none (${r.messages} messages match the schemas)`];
  }
  const lines = [`drift: ${r.drifted} of ${r.messages} messages have something the schemas do not know`];
  for (const e of r.entries) {
    const values = e.values ? ` ${e.values.join(', ')}` : '';
    lines.push(`  ${e.type} ${e.path}: ${e.kind}${values} ×${e.count} (e.g. ${e.example})`);
  }
  for (const u of r.unknownMessages) lines.push(`  ${u.where}: ${u.message}`);
  return lines;
}

export const hasDrift = (r: DriftReport): boolean => r.entries.length > 0 || r.unknownMessages.length > 0;
