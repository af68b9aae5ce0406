/**
 * `--repair`: what the journal's readable entries can still rebuild, and what is lost, one line
 * each. The journal holds inputs, not results (entries.ts): a workflow is rebuilt by replaying all
 * of its inputs, so a workflow whose creation, rows, update, cancel or stop entry is lost cannot be
 * rebuilt faithfully (its later calls and callbacks would differ under the same ids) and is dropped
 * whole, with its deliveries. Other losses cost less:
 *
 * - an `advance`: the next advance or command reaches that instant anyway (nothing lost);
 * - a token: its client authenticates again;
 * - a delivery's creation: its callback is sent again when its campaign produces it;
 * - an attempt record: its delivery may be sent again (at-least-once);
 * - a line whose kind and ids cannot be told at all: reported as such, nothing else dropped.
 *
 * Entries left without what they refer to (a workflow's entries without its creation, a replay of
 * a delivery that is gone) are dropped and counted as orphans.
 */
import type { JournalEntry } from './entries.ts';
import type { JournalDamage } from './journal.ts';

const INPUTS = new Set(['workflow', 'rows', 'update', 'cancel', 'stop']);

export interface Repaired {
  entries: JournalEntry[];
  /** What was lost, one line each (empty when nothing was). */
  report: string[];
}

export function repairEntries(entries: readonly JournalEntry[], damaged: readonly JournalDamage[]): Repaired {
  const report: string[] = [];
  const lostWorkflows = new Map<string, number>();
  for (const d of damaged) {
    const what = consequence(d);
    if (what.dropWorkflow !== undefined && !lostWorkflows.has(what.dropWorkflow)) {
      lostWorkflows.set(what.dropWorkflow, report.length);
    }
    report.push(`line ${d.line} (${d.problem}): ${what.text}`);
  }
  const created = new Set(entries.filter((e) => e.k === 'workflow').map((e) => e.workflowId));
  // A workflow's entries without its creation entry: orphans (its creation line was lost).
  for (const e of entries) {
    const wf = workflowOf(e);
    if (wf !== undefined && !created.has(wf) && !lostWorkflows.has(wf)) {
      lostWorkflows.set(wf, report.length);
      report.push(`workflow ${wf}: its creation entry is missing`);
    }
  }
  const kept = dropWorkflows(entries, lostWorkflows, report);
  return { entries: dropOrphanDeliveries(kept, report), report };
}

function consequence(d: JournalDamage): { text: string; dropWorkflow?: string } {
  const { kind, workflowId, id } = d.hints;
  const held = `it held ${d.excerpt}`;
  if (kind === 'reset')
    return { text: `a reset: applied (everything before it is forgotten anyway); ${held}` };
  if (kind === 'advance' && workflowId !== undefined) {
    return { text: `an advance of workflow ${workflowId}: recomputed on replay, nothing lost` };
  }
  if (kind === 'token') return { text: `a token: its client must authenticate again; ${held}` };
  if (kind === 'delivery' && id !== undefined) {
    return {
      text: `delivery ${id}'s record: dropped; its callback is sent again when its campaign produces it`,
    };
  }
  if ((kind === 'attempt' || kind === 'sending' || kind === 'schedule') && id !== undefined) {
    return { text: `an attempt record of delivery ${id}: dropped; the delivery may be sent again` };
  }
  if (workflowId !== undefined && (kind === undefined || INPUTS.has(kind) || !isKnown(kind))) {
    return {
      text: `workflow ${workflowId}${kind ? ` (its ${kind} entry)` : ''}: cannot be rebuilt, dropped`,
      dropWorkflow: workflowId,
    };
  }
  return { text: `nothing could be told of it: dropped; ${held}` };
}

const isKnown = (kind: string): boolean =>
  INPUTS.has(kind) ||
  ['advance', 'token', 'delivery', 'sending', 'attempt', 'schedule', 'reset'].includes(kind);

function workflowOf(e: JournalEntry): string | undefined {
  return e.k === 'rows' || e.k === 'update' || e.k === 'cancel' || e.k === 'stop' || e.k === 'advance'
    ? e.workflowId
    : undefined;
}

/** Every entry of the lost workflows, and their deliveries; counted into each one's report line. */
function dropWorkflows(
  entries: readonly JournalEntry[],
  lost: Map<string, number>,
  report: string[],
): JournalEntry[] {
  if (lost.size === 0) return [...entries];
  const counts = new Map<string, { entries: number; deliveries: number }>();
  const count = (wf: string) => counts.get(wf) ?? counts.set(wf, { entries: 0, deliveries: 0 }).get(wf)!;
  const droppedDeliveries = new Set<string>();
  const kept = entries.filter((e) => {
    const wf = e.k === 'workflow' ? e.workflowId : e.k === 'delivery' ? e.workflowId : workflowOf(e);
    if (wf === undefined || !lost.has(wf)) return true;
    if (e.k === 'delivery') {
      droppedDeliveries.add(e.id);
      count(wf).deliveries++;
    } else count(wf).entries++;
    return false;
  });
  for (const [wf, at] of lost) {
    const c = counts.get(wf) ?? { entries: 0, deliveries: 0 };
    report[at] +=
      `; with it ${c.entries} more entr${c.entries === 1 ? 'y' : 'ies'} and ${c.deliveries} deliver${c.deliveries === 1 ? 'y' : 'ies'} orphaned and dropped`;
  }
  return kept.filter((e) => !(isDelta(e) && droppedDeliveries.has(e.id)));
}

const isDelta = (e: JournalEntry): e is Extract<JournalEntry, { k: 'sending' | 'attempt' | 'schedule' }> =>
  e.k === 'sending' || e.k === 'attempt' || e.k === 'schedule';

/** A replay or a duplicate of a delivery that is gone, and deltas of deliveries never created. */
function dropOrphanDeliveries(entries: JournalEntry[], report: string[]): JournalEntry[] {
  const present = new Set<string>();
  const gone = new Set<string>();
  const kept = entries.filter((e) => {
    if (e.k !== 'delivery') return true;
    const source = e.replayOf ?? e.duplicateOf;
    if (source !== undefined && !present.has(source)) {
      gone.add(e.id);
      report.push(`delivery ${e.id}: copies delivery ${source}, which is gone: dropped`);
      return false;
    }
    present.add(e.id);
    return true;
  });
  const orphanDeltas = kept.filter((e) => isDelta(e) && !present.has(e.id) && !gone.has(e.id)).length;
  if (orphanDeltas > 0) {
    report.push(`${orphanDeltas} attempt record(s) of deliveries the journal no longer has: dropped`);
  }
  return kept.filter((e) => !isDelta(e) || present.has(e.id));
}
