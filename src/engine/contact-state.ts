/**
 * A list row inside a running campaign: where it is in the workflow (node, number, dial count),
 * the dials it made, and how rows are admitted (paced at calls_per_minute) and matched by the
 * row commands (canceldetail, updatedetail).
 */
import type { Contact } from './contacts.ts';
import type { DialRecord } from './dial-record.ts';
import type { NodeCall, NodeTask } from './payloads/context.ts';

export interface ContactState {
  /** The row's data as it is now (replaced, never mutated, by an update). */
  contact: Contact;
  /** The row's data the latest dial was made with (what that call's callbacks report). */
  dialContact: Contact;
  /** The row's place among the rows made, in the order they joined the list (row commands' order). */
  order: number;
  /** Bumped when the row's queued steps become stale (finished, cancelled). */
  token: number;
  done: boolean;
  /** Nodes entered so far (list-completion rows). */
  passed: NodeTask[];
  nodeIndex: number;
  numberIndex: number;
  dialSeq: number;
  /** Dials of the current number in the current node. */
  numberDials: DialRecord[];
  /** Dials of every number in the current node. */
  nodeDials: DialRecord[];
  /** The dial in progress. */
  current: DialRecord | null;
  cancelRequested: boolean;
  /** The last call node's last call, for the API node after it. */
  lastCall: NodeCall | null;
}

/** A row about to enter the workflow (`order`: see ContactState). */
export function newContactState(contact: Contact, order: number): ContactState {
  return {
    contact,
    dialContact: contact,
    order,
    token: 0,
    done: false,
    passed: [],
    nodeIndex: -1,
    numberIndex: 0,
    dialSeq: 0,
    numberDials: [],
    nodeDials: [],
    current: null,
    cancelRequested: false,
    lastCall: null,
  };
}

/** Which rows a row command means: a case id and/or any one of the row's numbers. */
export interface RowSelector {
  case_id?: string;
  callee?: string;
}

/** Whether `c` is a row `match` selects (an empty selector selects none: callers check first). */
export function rowMatches(c: ContactState, match: RowSelector): boolean {
  if (match.case_id !== undefined && c.contact.case_id !== match.case_id) return false;
  return match.callee === undefined || c.contact.numbers.includes(match.callee);
}

/** Fresh dial histories for a node (an empty one is not referenced anywhere: keep it). */
export function clearDials(c: ContactState): void {
  if (c.numberDials.length > 0) c.numberDials = [];
  if (c.nodeDials.length > 0) c.nodeDials = [];
}

/** When pacing may start rows: `t` when open, else the next opening (`pacing.closed_window: pause`). */
export interface PacingWindow {
  nextOpen(t: number): number;
}

/**
 * Admission pacing: each row's first step is `interval` ms after the previous row's, never
 * before the row was added. With a window (`pause`), a slot falling while it is closed moves to
 * its next opening and the rows after it follow from there: the rate holds in open time.
 */
export class Pacer {
  private next: number;
  private readonly interval: number;
  private readonly window: PacingWindow | null;
  constructor(start: number, interval: number, window: PacingWindow | null = null) {
    this.next = start;
    this.interval = interval;
    this.window = window;
  }

  /** A pacer at this one's state (the slots of rows admitted later, as if admitted now). */
  clone(): Pacer {
    return new Pacer(this.next, this.interval, this.window);
  }

  /** The clock time (rounded to ms) the next row added at `at` enters the workflow. */
  slot(at: number): number {
    let slot = Math.max(at, this.next);
    if (this.window) {
      // Asked of the rounded time: the slot returned is the one that must fall in the window.
      const opens = this.window.nextOpen(Math.round(slot));
      if (opens > Math.round(slot)) slot = opens;
    }
    this.next = slot + this.interval;
    return Math.round(slot);
  }
}
