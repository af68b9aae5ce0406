/**
 * A campaign in motion: its steps wait in a priority queue on (time, sequence), and each step,
 * when run, moves one row through the workflow (enter a node, dial, end a dial, pass an API node,
 * cancel) or the workflow itself (start, stop), emitting the events and vendor messages of what
 * happened. What a campaign is built from is resolved beforehand (campaign-setup.ts); the dial
 * plan (dial-plan.ts) says what follows a dial; the payload builders (payloads/) make the messages.
 */
import { detailId } from '../core/ids.ts';
import type { WorkflowStatus } from '../generated/types.ts';
import type { CampaignSetup } from './campaign-setup.ts';
import { createOutbox, type Outbox } from './campaign-outbox.ts';
import {
  clearDials,
  newContactState,
  Pacer,
  rowMatches,
  type ContactState,
  type RowSelector,
} from './contact-state.ts';
import { normalizeContact, updateContact } from './contacts.ts';
import { WaitingRows, type WaitingRow } from './waiting-rows.ts';
import { drawDial } from './dial.ts';
import type { DialRecord } from './dial-record.ts';
import { nextStep } from './dial-plan.ts';
import { drawSpan } from './model.ts';
import { EventQueue } from './queue.ts';
import { STREAM, streamSeed } from './rng.ts';
import { buildCallCompletion, buildInfoCheckCompletion } from './payloads/call-completion.ts';
import type { CallTask, DetailResult, NumberOutcome, TaskStatus } from './payloads/context.ts';
import { buildCustomApiPush } from './payloads/custom-api-push.ts';
import {
  buildListCompletion,
  buildWorkflowStatusChange,
  noticeTaskStatus,
} from './payloads/workflow-notices.ts';
import type {
  CampaignEvent,
  CampaignStatus,
  CampaignWaiting,
  ContactInput,
  ContactResult,
  OutboundMessage,
} from './types.ts';

type Step =
  | { k: 'start' }
  | { k: 'stop' }
  /** The next generated row joins the list and enters the first node (see `Lazy`). */
  | { k: 'admit' }
  /** The first row waiting for the first node's window (seq: its dial's) is made and dials. */
  | { k: 'wake'; seq: number }
  /** A woken row's first dial ends (its row made again unless a row command made it). */
  | { k: 'ghostEnd'; g: Ghost }
  | { k: 'enter'; c: ContactState; node: number; token: number }
  | { k: 'dial'; c: ContactState; token: number }
  | { k: 'dialEnd'; c: ContactState }
  | { k: 'push'; c: ContactState; token: number }
  | { k: 'cancel'; c: ContactState; token: number }
  | { k: 'update'; c: ContactState; fields: Partial<ContactInput> };

/** A woken row mid-dial, held as what makes it again (see `CampaignRun.wake`). */
interface Ghost {
  index: number;
  order: number;
  startAt: number;
  /** Set once made again (by a row command, or when the dial ends). */
  c: ContactState | null;
}

/** A row's step queued before the row finished or was cancelled (its token moved on). */
function isStale(s: Step): boolean {
  switch (s.k) {
    case 'enter':
    case 'dial':
    case 'push':
    case 'cancel':
      return s.token !== s.c.token;
    case 'update':
      return s.c.done;
    default:
      return false;
  }
}

/**
 * The generated rows not yet reached: row `next` is made when its slot comes (one `admit` step
 * queued at a time, with the sequence number it would have had if queued with the others), so a
 * large list costs memory only for the rows in progress.
 */
interface Lazy {
  next: number;
  count: number;
  /** Index of generated row 0 in the list. */
  from: number;
  row: (index: number) => ContactInput;
  pacer: Pacer;
  /** The queue sequence number of row 0's first step (row n: `seq + n`). */
  seq: number;
  source: string;
  /** When the rows were admitted (the pacer's `at`). */
  at: number;
  /** Row `next`'s slot (its admit step's time). */
  nextAt: number;
}

export class CampaignRun {
  readonly setup: CampaignSetup;
  private readonly queue = new EventQueue<Step>();
  /** Rows not finished, in list order (a finished row's state is let go). */
  private readonly states = new Set<ContactState>();
  /** Rows in the list, finished or not (the next row's index). */
  private rowCount = 0;
  private lazy: Lazy | null = null;
  /** How generated rows are made (kept while rows wait, after the last one was admitted). */
  private generated: Pick<Lazy, 'row' | 'source'> | null = null;
  /** Generated rows admitted while the first node's window was closed: not made yet. */
  private readonly waitingRows = new WaitingRows();
  /** Rows given a place in the list so far (the next row's `order`). */
  private made = 0;
  /** The first node's window was closed from `from` (an admission time) until `opens`. */
  private closed: { from: number; opens: number } | null = null;
  /** Woken rows mid-dial with nothing made (`Ghost`). */
  private ghosts = 0;
  /** `states` holds rows out of list order (made on waking): sorted before it is iterated. */
  private unordered = false;
  private readonly outbox: Outbox;
  private readonly pacer: Pacer;
  private current: CampaignStatus = 'Created';
  private stopped = false;
  /** Rows not finished yet. */
  private active = 0;
  /** The latest clock time stepped to. */
  private lastTime: number;
  /** The events of the `advanceTo` under way. */
  private out: CampaignEvent[] = [];

  constructor(setup: CampaignSetup) {
    this.setup = setup;
    const completion = setup.business === 'info_check' ? 'call-completion-info-check' : 'call-completion';
    this.outbox = createOutbox(setup.workflowId, setup.template.callbacks, completion);
    this.pacer = new Pacer(setup.startTime, setup.interval, setup.pacingWindow);
    this.lastTime = setup.startTime;
    this.queue.push(setup.startTime, { k: 'start' });
    const { rows, detailSource, generatedFrom, generated } = setup.initial;
    this.admit(rows, setup.startTime, detailSource, generatedFrom);
    if (generated && generated.count > 0) this.deferGenerated(generated, detailSource);
  }

  /** Keep the generated rows' slots and queue positions; make each row when its slot comes. */
  private deferGenerated(g: NonNullable<CampaignSetup['initial']['generated']>, source: string): void {
    const at = this.setup.startTime;
    const lazy: Lazy = {
      next: 0,
      count: g.count,
      from: this.rowCount,
      row: g.row,
      pacer: this.pacer.clone(),
      seq: this.queue.reserve(g.count),
      source,
      at,
      nextAt: 0,
    };
    // Rows added later are paced after these, as when every row was admitted at once.
    for (let n = 0; n < g.count; n++) this.pacer.slot(at);
    this.rowCount += g.count;
    this.active += g.count;
    this.lazy = lazy;
    this.generated = { row: g.row, source };
    lazy.nextAt = lazy.pacer.slot(at);
    this.queue.pushAs(lazy.nextAt, lazy.seq, { k: 'admit' });
  }

  /** Generated row `lazy.next` (its state joins the list). */
  private makeNext(lazy: Lazy): ContactState {
    const c = this.generatedState(lazy.from + lazy.next++, this.made++);
    this.states.add(c);
    return c;
  }

  /** Generated row `index` made (not yet in `states`); `order`: its place in the list. */
  private generatedState(index: number, order: number): ContactState {
    const { row, source } = this.generated!;
    return newContactState(normalizeContact(row(index), index, source, true), order);
  }

  /**
   * The `admit` step: the next generated row enters now (or, when its first call node's window is
   * closed, waits unmade for it), and the one after is queued.
   */
  private admitNext(at: number): void {
    const lazy = this.lazy;
    if (!lazy) return;
    const opens = this.firstWindowOpens(at);
    const c = opens === null ? this.makeNext(lazy) : null;
    if (!c) this.wait(lazy, opens!);
    if (lazy.next < lazy.count) {
      lazy.nextAt = lazy.pacer.slot(lazy.at);
      this.queue.pushAs(lazy.nextAt, lazy.seq + lazy.next, { k: 'admit' });
    } else {
      this.lazy = null;
    }
    if (c) this.enter(c, 0, at);
  }

  /** When the first node's calling window opens, if it is a call node whose window is closed at `at`. */
  private firstWindowOpens(at: number): number | null {
    if (this.setup.nodes[0]?.kind !== 'voicebot_call') return null;
    // Closed from `closed.from` until `closed.opens`: a night's rows ask once, not each.
    const closed = this.closed;
    if (closed && at >= closed.from && at < closed.opens) return closed.opens;
    const opens = this.setup.calendars.get(0)!.nextOpen(at);
    if (opens <= at) return null;
    this.closed = { from: at, opens };
    return opens;
  }

  /**
   * Generated row `lazy.next` joins the list but waits for the window unmade: it keeps the queue
   * position its first dial would have taken (entering the node costs no draw, so making it when
   * the window opens gives the same bytes).
   */
  private wait(lazy: Lazy, opens: number): void {
    const seq = this.queue.reserve(1);
    const row: WaitingRow = { index: lazy.from + lazy.next++, seq, due: opens, order: this.made++ };
    if (this.waitingRows.size === 0) this.queue.pushAs(opens, seq, { k: 'wake', seq });
    this.waitingRows.push(row);
  }

  /**
   * The `wake` step: the first waiting row is made, enters the first node and dials now; while
   * the dial lasts, the row and its dial are let go (a ghost), and made again when it ends: the
   * whole night's rows dial at the opening instant, and would otherwise all be held at once.
   */
  private wake(seq: number, at: number): void {
    const first = this.waitingRows.peek();
    // A row command made the waiting rows already (their dial steps are queued).
    if (!first || first.seq !== seq) return;
    this.waitingRows.shift();
    const next = this.waitingRows.peek();
    if (next) this.queue.pushAs(next.due, next.seq, { k: 'wake', seq: next.seq });
    const d = this.startDial(this.waitingState(first.index, first.order), at);
    this.ghosts++;
    const g: Ghost = { index: first.index, order: first.order, startAt: at, c: null };
    this.queue.push(d.endAt, { k: 'ghostEnd', g });
  }

  /** A woken row's first dial ended: the row and the dial are made again, and the dial ends. */
  private ghostEnd(g: Ghost, at: number): void {
    this.dialEnd(g.c ?? this.revive(g), at);
  }

  /** A ghost's row as it is mid-dial: made again with the same dial (same draws, same bytes). */
  private revive(g: Ghost): ContactState {
    const c = this.waitingState(g.index, g.order);
    this.drawNext(c, g.startAt);
    this.states.add(c);
    this.unordered = true;
    this.ghosts--;
    g.c = c;
    return c;
  }

  /** Generated row `index`, as it was when it entered the first node (not yet in `states`). */
  private waitingState(index: number, order: number): ContactState {
    const c = this.generatedState(index, order);
    c.nodeIndex = 0;
    c.passed.push(this.setup.nodes[0]!);
    return c;
  }

  /**
   * Make every generated row not yet reached or waiting for its window (a command that matches
   * rows, or a stop, must see them all, in list order): each enter or dial step is queued where
   * it would have been from the start.
   */
  private materialize(): void {
    this.makeUnreached();
    // The first waiting row's wake step is queued already: it finds none waiting and does nothing.
    for (const w of this.waitingRows.drain()) {
      const c = this.waitingState(w.index, w.order);
      this.states.add(c);
      this.unordered = true;
      this.queue.pushAs(w.due, w.seq, { k: 'dial', c, token: c.token });
    }
    if (this.ghosts > 0) {
      this.queue.forEach((s) => {
        if (s.k === 'ghostEnd' && !s.g.c) this.revive(s.g);
      });
    }
    if (this.unordered) {
      const rows = [...this.states].sort((a, b) => a.order - b.order);
      this.states.clear();
      for (const c of rows) this.states.add(c);
      this.unordered = false;
    }
  }

  private makeUnreached(): void {
    const lazy = this.lazy;
    if (!lazy) return;
    // Row `next`'s admit step is queued already: it finds no lazy rows left and does nothing.
    this.lazy = null;
    let at = lazy.nextAt;
    while (lazy.next < lazy.count) {
      const seq = lazy.seq + lazy.next;
      const c = this.makeNext(lazy);
      this.queue.pushAs(at, seq, { k: 'enter', c, node: 0, token: c.token });
      at = lazy.pacer.slot(lazy.at);
    }
  }

  /**
   * Rows held: `made`, with their data and state (unfinished rows made so far); `waiting`,
   * generated rows admitted that wait unmade for the first node's calling window (32 bytes each);
   * `dialling`, rows woken by the window's opening whose first dial is in progress, kept as a
   * ghost (row index, list place, start time).
   */
  rowsHeld(): { made: number; waiting: number; dialling: number } {
    return { made: this.states.size, waiting: this.waitingRows.size, dialling: this.ghosts };
  }

  // -- the Campaign interface ---------------------------------------------------------------------

  status(): CampaignStatus {
    return this.current;
  }

  nextTime(): number | null {
    for (;;) {
      const at = this.queue.peekTime();
      if (at === null) return null;
      if (!isStale(this.queue.peek()!)) return at;
      this.queue.pop();
    }
  }

  waiting(now: number): CampaignWaiting | null {
    const { calendars } = this.setup;
    if (this.current !== 'Running' || calendars.size === 0 || this.nextTime() === null) return null;
    let opens = Infinity;
    for (const cal of calendars.values()) {
      if (cal.isOpen(now)) return null;
      opens = Math.min(opens, cal.nextOpen(now));
    }
    // Rows may still be admitted and calls still end meanwhile; no new call starts before `opens`.
    return { reason: 'calling_window', until: opens };
  }

  advanceTo(t: number): CampaignEvent[] {
    this.out = [];
    for (;;) {
      const at = this.queue.peekTime();
      if (at === null || at > t) break;
      const step = this.queue.pop()!;
      if (at > this.lastTime) this.lastTime = at;
      this.run(step, at);
    }
    this.lastTime = Math.max(this.lastTime, t);
    return this.out;
  }

  addContacts(rows: ContactInput[], at: number): void {
    if (this.stopped || this.current === 'Finished') {
      throw new Error(`workflow ${this.setup.workflowId} is ${this.current.toLowerCase()}: cannot add rows`);
    }
    this.admit(rows, Math.max(at, this.lastTime), 'api');
  }

  cancel(match: RowSelector, at: number): number {
    if (match.case_id === undefined && match.callee === undefined) return 0;
    this.materialize();
    let n = 0;
    for (const c of this.states) {
      if (c.done || c.cancelRequested || !rowMatches(c, match)) continue;
      n++;
      c.cancelRequested = true;
      // A dial in progress finishes; its dialEnd then reports the number cancelled.
      if (!c.current) {
        c.token++;
        this.queue.push(Math.max(at, this.lastTime), { k: 'cancel', c, token: c.token });
      }
    }
    return n;
  }

  update(match: RowSelector, fields: Partial<ContactInput>, at: number): number {
    for (const k of ['callee', 'case_id'] as const) {
      if (fields[k] !== undefined) throw new Error(`update: ${k} identifies the row and cannot be changed`);
    }
    if (match.case_id === undefined && match.callee === undefined) return 0;
    this.materialize();
    let n = 0;
    for (const c of this.states) {
      if (c.done || !rowMatches(c, match)) continue;
      n++;
      // Already at `at` (the server's case: it advances first): apply now, no step needed.
      // A later `at` waits in the queue, so the update lands in time order.
      if (at <= this.lastTime) c.contact = updateContact(c.contact, fields);
      else this.queue.push(at, { k: 'update', c, fields });
    }
    return n;
  }

  stop(at: number): void {
    this.queue.push(Math.max(at, this.lastTime), { k: 'stop' });
  }

  // -- steps --------------------------------------------------------------------------------------

  private run(step: Step, at: number): void {
    switch (step.k) {
      case 'start':
        return this.start(at);
      case 'stop':
        return this.stopAll(at);
      case 'admit':
        return this.admitNext(at);
      case 'wake':
        return this.wake(step.seq, at);
      case 'ghostEnd':
        return this.ghostEnd(step.g, at);
      case 'enter':
        if (step.token === step.c.token) this.enter(step.c, step.node, at);
        return;
      case 'dial':
        if (step.token === step.c.token) this.dial(step.c, at);
        return;
      case 'dialEnd':
        return this.dialEnd(step.c, at);
      case 'push':
        if (step.token === step.c.token) this.push(step.c, at);
        return;
      case 'cancel':
        if (step.token === step.c.token) this.cancelNow(step.c, at);
        return;
      case 'update':
        if (!step.c.done) step.c.contact = updateContact(step.c.contact, step.fields);
        return;
    }
  }

  /** Rows join the list; each enters the first node at its paced slot. */
  private admit(rows: ContactInput[], at: number, source: string, ownedFrom = Infinity): void {
    for (let r = 0; r < rows.length; r++) {
      const contact = normalizeContact(rows[r]!, this.rowCount++, source, r >= ownedFrom);
      const c = newContactState(contact, this.made++);
      this.states.add(c);
      this.active++;
      this.queue.push(this.pacer.slot(at), { k: 'enter', c, node: 0, token: c.token });
    }
  }

  private start(at: number): void {
    const { workflowId, template } = this.setup;
    const data = { template: template.id, rows: this.rowCount };
    this.emit({ at, kind: 'workflow.created', workflowId, messages: [], data });
    this.setStatus('Running', at);
  }

  /** Stop the workflow: every row not finished is cancelled (one mid-dial, when its dial ends). */
  private stopAll(at: number): void {
    if (this.stopped || this.current === 'Finished') return;
    this.stopped = true;
    this.setStatus('Stopped', at);
    this.materialize();
    for (const c of this.states) {
      if (c.done) continue;
      c.cancelRequested = true;
      if (!c.current) {
        c.token++;
        this.cancelNow(c, at);
      }
    }
  }

  /** Row `c` enters node `node` (past the last one: it has gone through the workflow). */
  private enter(c: ContactState, node: number, at: number): void {
    const { nodes, calendars, rng, seed, model } = this.setup;
    c.nodeIndex = node;
    const task = nodes[node];
    if (!task) return this.finishContact(c, at, 'finished');
    c.passed.push(task);
    if (task.kind === 'voicebot_call') {
      c.numberIndex = 0;
      clearDials(c);
      this.queue.push(calendars.get(node)!.nextOpen(at), { k: 'dial', c, token: c.token });
      return;
    }
    rng.seed(streamSeed(seed, STREAM.api, c.contact.index, node));
    this.queue.push(at + Math.round(drawSpan(rng, model.apiDelay) * 1000), { k: 'push', c, token: c.token });
  }

  private dial(c: ContactState, at: number): void {
    const d = this.startDial(c, at);
    this.queue.push(d.endAt, { k: 'dialEnd', c });
  }

  /** Row `c`'s next dial, started at `at` (a pure function of the row and where it is). */
  private drawNext(c: ContactState, at: number): DialRecord {
    const task = this.callTaskOf(c);
    const d = drawDial(this.setup.dialCtx, {
      contact: c.contact,
      nodeIndex: task.nodeIndex,
      dialSeq: c.dialSeq++,
      numberIndex: c.numberIndex,
      attempt: c.numberDials.length + 1,
      startAt: at,
      callerNumber: task.callerNumber,
    });
    c.current = d;
    c.dialContact = c.contact;
    return d;
  }

  /** Row `c` dials now: its `dial.started` event (the caller queues the dial's end). */
  private startDial(c: ContactState, at: number): DialRecord {
    const task = this.callTaskOf(c);
    const d = this.drawNext(c, at);
    this.emit({
      at,
      kind: 'dial.started',
      workflowId: this.setup.workflowId,
      messages: [],
      caseId: c.contact.case_id,
      callee: d.number,
      callId: d.callId,
      data: { node: task.nodeIndex, attempt: d.attempt, number_index: d.numberIndex },
    });
    return d;
  }

  /** A dial ended: record it, then redial, dial the next number, or move the row on. */
  private dialEnd(c: ContactState, at: number): void {
    const d = c.current!;
    c.current = null;
    const task = this.callTaskOf(c);
    c.numberDials.push(d);
    c.nodeDials.push(d);
    this.emit({
      at,
      kind: 'dial.finished',
      workflowId: this.setup.workflowId,
      messages: [],
      caseId: c.contact.case_id,
      callee: d.number,
      callId: d.callId,
      data: d,
    });
    const row = {
      numberIndex: c.numberIndex,
      numbers: c.contact.numbers.length,
      cancelRequested: c.cancelRequested,
    };
    const next = nextStep(d, task, row, at, this.setup.calendars.get(task.nodeIndex)!);
    if (next.kind === 'redial') {
      this.queue.push(next.at, { k: 'dial', c, token: c.token });
      return;
    }
    this.finishNumber(c, task, at, next.result);
    if (next.kind === 'cancelled') return this.finishContact(c, at, 'cancelled');
    if (next.kind === 'next-node') {
      c.lastCall = { task, dials: c.nodeDials, contact: c.dialContact };
      return this.enter(c, c.nodeIndex + 1, at);
    }
    c.numberIndex++;
    c.numberDials = [];
    this.queue.push(next.at, { k: 'dial', c, token: c.token });
  }

  /** Row `c` passes an API node: the push reports its last call node's last call. */
  private push(c: ContactState, at: number): void {
    const { nodes, wf, workflowId, business, questions, infoCheckPushAsr } = this.setup;
    const node = nodes[c.nodeIndex];
    if (node?.kind !== 'api' || !c.lastCall) return this.enter(c, c.nodeIndex + 1, at);
    const call = c.lastCall;
    const messages = this.outbox.wants.push
      ? this.outbox.message(
          'custom-api-node-push',
          buildCustomApiPush(wf, node, c.contact, call, {
            collection: business === 'collection',
            questions,
            infoCheckAsr: infoCheckPushAsr,
          }),
          at,
        )
      : [];
    this.emit({
      at,
      kind: 'node.passed',
      workflowId,
      messages,
      caseId: c.contact.case_id,
      callee: call.dials[call.dials.length - 1]!.number,
      data: { node: node.nodeIndex, node_name: node.name },
    });
    this.enter(c, c.nodeIndex + 1, at);
  }

  /** Cancel a row that is not mid-dial: its current number (if dialled) reports cancelled. */
  private cancelNow(c: ContactState, at: number): void {
    if (c.done) return;
    const task = this.setup.nodes[c.nodeIndex];
    if (task?.kind === 'voicebot_call' && c.numberDials.length > 0)
      this.finishNumber(c, task, at, 'cancelled');
    this.finishContact(c, at, 'cancelled');
  }

  // -- outcomes -----------------------------------------------------------------------------------

  /**
   * A number is done in a call node: its call-completion callback reports the number's last dial,
   * with the row data that call was made with, so Variables and question_answer agree even when
   * the row was updated during the call.
   */
  private finishNumber(c: ContactState, task: CallTask, at: number, result: DetailResult): void {
    const dials = c.numberDials;
    const last = dials[dials.length - 1]!;
    let messages: OutboundMessage<'call-completion' | 'call-completion-info-check'>[] = [];
    if (this.outbox.wants.completion) {
      const n: NumberOutcome = {
        dials,
        detailId: this.detailIdOf(c, task, last.number),
        result,
        taskStatus: this.taskStatus(),
      };
      messages = this.completionMessage(c, task, n, at);
    }
    this.emit({
      at,
      kind: 'number.finished',
      workflowId: this.setup.workflowId,
      messages,
      caseId: c.contact.case_id,
      callee: last.number,
      callId: last.callId,
      data: { result, call_times: dials.length, node: task.nodeIndex, connected: last.answered },
    });
  }

  /** The call-completion callback of the workflow's business line. */
  private completionMessage(
    c: ContactState,
    task: CallTask,
    n: NumberOutcome,
    at: number,
  ): OutboundMessage<'call-completion' | 'call-completion-info-check'>[] {
    const { wf, questions } = this.setup;
    return questions
      ? this.outbox.message(
          'call-completion-info-check',
          buildInfoCheckCompletion(wf, task, c.dialContact, n, questions),
          at,
        )
      : this.outbox.message('call-completion', buildCallCompletion(wf, task, c.dialContact, n), at);
  }

  /** A row is done (through every node, or cancelled); the last one finishes the workflow. */
  private finishContact(c: ContactState, at: number, result: ContactResult): void {
    if (c.done) return;
    const { wf, workflowId, autoFinish } = this.setup;
    c.done = true;
    c.token++;
    this.active--;
    this.states.delete(c);
    const messages = this.outbox.wants.list
      ? this.outbox.message('list-completion', buildListCompletion(wf, c.contact, c.passed), at)
      : [];
    // A finished row is never dialled again: let its dial history go (events keep what they carry).
    clearDials(c);
    c.lastCall = null;
    this.emit({
      at,
      kind: 'contact.finished',
      workflowId,
      messages,
      caseId: c.contact.case_id,
      callee: c.contact.numbers[0]!,
      data: { result, nodes: c.passed.length },
    });
    if (this.active === 0 && autoFinish && !this.stopped && this.current === 'Running') {
      this.setStatus('Finished', at);
    }
  }

  private setStatus(status: WorkflowStatus, at: number): void {
    const { wf, workflowId, nodes } = this.setup;
    this.current = status;
    const messages = this.outbox.wants.status
      ? this.outbox.message(
          'workflow-status-change',
          buildWorkflowStatusChange(wf, status, nodes, noticeTaskStatus(status)),
          at,
        )
      : [];
    this.emit({ at, kind: 'workflow.status', workflowId, messages, data: { status } });
  }

  // -- helpers ------------------------------------------------------------------------------------

  /**
   * Each event is one literal in one key order (at, kind, workflowId, messages, caseId, callee,
   * callId, data): the journal's bytes. Object spread here made V8 fall back to slow dictionary
   * objects.
   */
  private emit(e: CampaignEvent): void {
    this.out.push(e);
  }

  /** The task status the call-completion callbacks report: canceled once the workflow stopped. */
  private taskStatus(): TaskStatus {
    return this.stopped ? 'canceled' : 'calling';
  }

  /** The call node row `c` is in (dial steps are only queued in call nodes). */
  private callTaskOf(c: ContactState): CallTask {
    const task = this.setup.nodes[c.nodeIndex];
    if (task?.kind !== 'voicebot_call')
      throw new Error(`campaign: row ${c.contact.index} dials outside a call node`);
    return task;
  }

  /**
   * The detail id of (row, node, number): a pure function of them, from its own sub-stream. A
   * number listed twice in a row is the same detail (its first position names it).
   */
  private detailIdOf(c: ContactState, task: CallTask, number: string): number {
    const { rng, seed } = this.setup;
    rng.seed(
      streamSeed(seed, STREAM.detail, c.contact.index, task.nodeIndex, c.contact.numbers.indexOf(number)),
    );
    return detailId(rng);
  }
}
