/**
 * The campaign: a seeded discrete-event simulation of one workflow instance. Steps wait in a
 * priority queue on (time, sequence); `advanceTo(t)` runs every step due by `t` and returns the
 * resulting events, each carrying the vendor callbacks due at that moment. No timers, no I/O,
 * no wall clock: the caller (runner, REST server) drives time.
 *
 * Randomness: one small generator per run (src/engine/rng.ts), re-seeded per unit of work with
 * `streamSeed(seed, STREAM.<kind>, ...indices)` (workflow; row generation; dial <row, node, n>;
 * API node <row, node>; detail id <row, node> + number), so a row's data never depends on how
 * other rows interleave, and appended rows never shift earlier ones.
 */
import { createWindowCalendar, type WindowCalendar } from '../core/cron-calendar.ts';
import { detailId, hexId } from '../core/ids.ts';
import { parseVendorTime } from '../core/vendor-time.ts';
import type {
  CallbackPayload,
  CallbackType,
  Campaign,
  CampaignEvent,
  CampaignOptions,
  CampaignStatus,
  ContactInput,
  ContactResult,
  OutboundMessage,
} from './types.ts';
import type { WorkflowStatus } from '../generated/types.ts';
import type { TemplateSpec } from '../scenario/types.ts';
import { generateContacts, normalizeContact, updateContact, type Contact } from './contacts.ts';
import { drawDial, type BusinessLine, type DialContext } from './dial.ts';
import type { DialRecord } from './dial-record.ts';
import { DEFAULT_QUESTIONS, prepareQuestions, type PreparedQuestion } from './info-check.ts';
import { profileFor } from './locale-profile.ts';
import { drawSpan, resolveModel, type Model } from './model.ts';
import { EventQueue } from './queue.ts';
import { localeText, Rng, STREAM, streamSeed } from './rng.ts';
import { createTimeFormatter } from './time-format.ts';
import { buildCallCompletion, buildInfoCheckCompletion } from './payloads/call-completion.ts';
import { buildCustomApiPush } from './payloads/custom-api-push.ts';
import { buildListCompletion, buildWorkflowStatusChange } from './payloads/workflow-notices.ts';
import type { CallTask, DetailResult, NodeTask, TaskStatus, WorkflowInfo } from './payloads/context.ts';

/** Ring types that mean the number itself is unusable: an exhausted number reports `failed`. */
const INVALID_NUMBER = new Set(['wrongnum', 'unregister', 'notmatch', 'cantuse']);

interface ContactState {
  /** The row's data as it is now (replaced, never mutated, by an update). */
  contact: Contact;
  /** The row's data the latest dial was made with (what that call's callbacks report). */
  dialContact: Contact;
  token: number;
  done: boolean;
  /** Nodes entered so far (list-completion rows). */
  passed: NodeTask[];
  nodeIndex: number;
  numberIndex: number;
  dialSeq: number;
  numberDials: DialRecord[];
  nodeDials: DialRecord[];
  current: DialRecord | null;
  cancelRequested: boolean;
  lastCall: { task: CallTask; dials: DialRecord[]; contact: Contact } | null;
}

type Step =
  | { k: 'start' }
  | { k: 'stop' }
  | { k: 'enter'; c: ContactState; node: number; token: number }
  | { k: 'dial'; c: ContactState; token: number }
  | { k: 'dialEnd'; c: ContactState }
  | { k: 'push'; c: ContactState; token: number }
  | { k: 'cancel'; c: ContactState; token: number }
  | { k: 'update'; c: ContactState; fields: Partial<ContactInput> };

function pickTemplate(templates: TemplateSpec[], id: string | undefined): TemplateSpec {
  if (id === undefined) return templates[0]!;
  const t = templates.find((x) => x.id === id);
  if (!t) throw new Error(`unknown template "${id}" (known: ${templates.map((x) => x.id).join(', ')})`);
  return t;
}

export function createCampaign(opts: CampaignOptions): Campaign {
  const scenario = opts.scenario;
  const template = pickTemplate(scenario.templates, opts.templateId);
  const tz = scenario.account.timezone;
  const seed = (opts.seed ?? scenario.seed) >>> 0;
  const startTime =
    opts.startTime ?? (scenario.start_time !== undefined ? parseVendorTime(scenario.start_time, tz) : null);
  if (startTime === null || startTime === undefined || !Number.isFinite(startTime)) {
    throw new Error('createCampaign: startTime is required (or set start_time in the scenario)');
  }
  const business = template.business;
  const infoCheck = business === 'info_check';
  const profile = profileFor(scenario.account.locale);
  const currency = scenario.account.currency ?? profile.currency;
  const fmt = createTimeFormatter(tz);
  const rng = new Rng(seed);
  const text = localeText(scenario.account.locale);
  const model: Model = resolveModel(business, scenario.outcomes);
  const escape = opts.questionContentEscape ?? scenario.question_content_escape ?? true;
  const line: BusinessLine =
    business === 'info_check'
      ? {
          business,
          questions: prepareQuestions(template.questions ?? DEFAULT_QUESTIONS, escape, profile.language),
        }
      : { business, questions: null };
  const questions: PreparedQuestion[] | null = line.questions;
  const autoFinish = opts.autoFinish ?? true;
  const interval = 60_000 / (scenario.pacing?.calls_per_minute ?? 60);

  // Workflow-level ids and node tasks, from their own stream.
  rng.seed(streamSeed(seed, STREAM.workflow));
  const workflowId = opts.workflowId ?? hexId(rng);
  const workflowName =
    opts.workflowName ?? scenario.workflow_name ?? `${scenario.name ?? 'scenario'}-${seed}`;
  const wf: WorkflowInfo = { workflowId, workflowName, fmt };
  const calendars = new Map<number, WindowCalendar>();
  let callCount = 0;
  const nodes: NodeTask[] = template.nodes.map((spec, nodeIndex): NodeTask => {
    if (spec.type === 'api') {
      return { kind: 'api', nodeIndex, spec, nodeId: hexId(rng), name: spec.name ?? `API${nodeIndex + 1}` };
    }
    callCount++;
    const name = spec.name ?? `Voicebot Call${callCount}`;
    const windows =
      spec.calling_window === undefined ? ['* * * * *'] : ([] as string[]).concat(spec.calling_window);
    const cal = createWindowCalendar(windows, tz);
    calendars.set(nodeIndex, cal);
    const scheduleStart = cal.nextOpen(startTime);
    const scheduleEnd = opts.endTime ?? cal.closesAt(scheduleStart);
    const nodetaskName = `${name}_${hexId(rng, 6)}`;
    const callers = scenario.account.caller_numbers;
    return {
      kind: 'voicebot_call',
      nodeIndex,
      spec,
      nodetaskId: hexId(rng),
      nodetaskName,
      taskId: hexId(rng),
      taskName: `wf_${workflowName}_${name}_${hexId(rng, 6)}`,
      robotHash: spec.robot_hash ?? hexId(rng),
      robotMethod: spec.robot_method ?? 'single',
      callerNumber: callers && callers.length > 0 ? rng.pick(callers) : profile.landline(rng),
      createdAt: fmt.time(startTime),
      scheduleStart: fmt.time(scheduleStart),
      scheduleEnd: fmt.time(Math.max(scheduleEnd, scheduleStart)),
    };
  });

  const dialCtx: DialContext = {
    ...line,
    rng,
    text,
    seed,
    model,
    profile,
    fmt,
    currency,
    agent: template.robot?.agent_name ?? profile.agent,
    company: template.robot?.company ?? '',
  };

  // The list: explicit override, else scenario rows then generated rows.
  let initialRows: ContactInput[];
  let detailSource = 'api';
  /** Rows from this index on were generated here (not shared with the caller). */
  let generatedFrom = Infinity;
  if (opts.contacts) initialRows = opts.contacts;
  else {
    initialRows = [...(scenario.contacts.rows ?? [])];
    const g = scenario.contacts.generate;
    if (g) {
      generatedFrom = initialRows.length;
      detailSource = g.detail_source ?? 'api';
      initialRows.push(
        ...generateContacts(
          g,
          { rng, text, seed, business, profile, currency, startTime, fmt },
          initialRows.length,
        ),
      );
    }
  }

  const queue = new EventQueue<Step>();
  const states: ContactState[] = [];
  let status: CampaignStatus = 'Created';
  let stopped = false;
  let active = 0;
  let nextSlot = startTime;
  let lastTime = startTime;
  let messageCount = 0;
  let out: CampaignEvent[] = [];

  /** The template's callback for each type (a payload is only built when one is configured). */
  const callbacks = template.callbacks;
  const completionType: CallbackType = infoCheck ? 'call-completion-info-check' : 'call-completion';
  const wants = {
    status: callbacks['workflow-status-change'] !== undefined,
    list: callbacks['list-completion'] !== undefined,
    completion: callbacks[completionType] !== undefined,
    push: callbacks['custom-api-node-push'] !== undefined,
  };

  /** The messages of one event: `[message]` for a configured type (payload already built). */
  const message = <T extends CallbackType>(
    type: T,
    payload: CallbackPayload<T>,
    at: number,
  ): OutboundMessage<T>[] => {
    const cb = callbacks[type]!;
    messageCount++;
    const id = `${workflowId}-${String(messageCount).padStart(6, '0')}`;
    return [{ id, type, workflowId, url: cb.url, key: cb.key ?? 'airudder', payload, at }];
  };

  // Each event is one literal in one key order (at, kind, workflowId, messages, caseId, callee,
  // callId, data): the journal's bytes. Object spread here made V8 fall back to slow dictionary
  // objects.
  const emit = (e: CampaignEvent): void => {
    out.push(e);
  };

  const taskStatus = (): TaskStatus => (stopped ? 'canceled' : 'calling');

  const admit = (rows: ContactInput[], at: number, source: string, ownedFrom = Infinity): void => {
    for (let r = 0; r < rows.length; r++) {
      const index = states.length;
      const contact = normalizeContact(rows[r]!, index, source, r >= ownedFrom);
      const c: ContactState = {
        contact,
        dialContact: contact,
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
      states.push(c);
      active++;
      const slot = Math.max(at, nextSlot);
      nextSlot = slot + interval;
      queue.push(Math.round(slot), { k: 'enter', c, node: 0, token: c.token });
    }
  };

  const setStatus = (s: WorkflowStatus, at: number): void => {
    status = s;
    const ts: TaskStatus = s === 'Running' ? 'calling' : s === 'Stopped' ? 'canceled' : 'finished';
    const messages = wants.status
      ? message('workflow-status-change', buildWorkflowStatusChange(wf, s, nodes, ts), at)
      : [];
    emit({ at, kind: 'workflow.status', workflowId, messages, data: { status: s } });
  };

  const finishContact = (c: ContactState, at: number, result: ContactResult): void => {
    if (c.done) return;
    c.done = true;
    c.token++;
    active--;
    const messages = wants.list
      ? message('list-completion', buildListCompletion(wf, c.contact, c.passed), at)
      : [];
    // A finished row is never dialled again: let its dial history go (events keep what they carry).
    if (c.numberDials.length > 0) c.numberDials = [];
    if (c.nodeDials.length > 0) c.nodeDials = [];
    c.lastCall = null;
    emit({
      at,
      kind: 'contact.finished',
      workflowId,
      messages,
      caseId: c.contact.case_id,
      callee: c.contact.numbers[0]!,
      data: { result, nodes: c.passed.length },
    });
    if (active === 0 && autoFinish && !stopped && status === 'Running') setStatus('Finished', at);
  };

  /**
   * The detail id of (row, node, number): a pure function of them, from its own sub-stream. A
   * number listed twice in a row is the same detail (its first position names it).
   */
  const detailIdFor = (c: ContactState, task: CallTask, number: string): number => {
    rng.seed(
      streamSeed(seed, STREAM.detail, c.contact.index, task.nodeIndex, c.contact.numbers.indexOf(number)),
    );
    return detailId(rng);
  };

  const finishNumber = (c: ContactState, task: CallTask, at: number, result: DetailResult): void => {
    const dials = c.numberDials;
    const last = dials[dials.length - 1]!;
    // The callback reports the number's last dial: with the row data that call was made with, so
    // Variables and question_answer agree even when the row was updated during the call.
    let messages: OutboundMessage<'call-completion' | 'call-completion-info-check'>[] = [];
    if (wants.completion) {
      const n = { dials, detailId: detailIdFor(c, task, last.number), result, taskStatus: taskStatus() };
      messages = questions
        ? message(
            'call-completion-info-check',
            buildInfoCheckCompletion(wf, task, c.dialContact, n, questions),
            at,
          )
        : message('call-completion', buildCallCompletion(wf, task, c.dialContact, n), at);
    }
    emit({
      at,
      kind: 'number.finished',
      workflowId,
      messages,
      caseId: c.contact.case_id,
      callee: last.number,
      callId: last.callId,
      data: { result, call_times: dials.length, node: task.nodeIndex, connected: last.answered },
    });
  };

  const enter = (c: ContactState, node: number, at: number): void => {
    c.nodeIndex = node;
    const task = nodes[node];
    if (!task) return finishContact(c, at, 'finished');
    c.passed.push(task);
    if (task.kind === 'voicebot_call') {
      c.numberIndex = 0;
      // Fresh histories for this node (an empty one is not referenced anywhere: keep it).
      if (c.numberDials.length > 0) c.numberDials = [];
      if (c.nodeDials.length > 0) c.nodeDials = [];
      queue.push(calendars.get(node)!.nextOpen(at), { k: 'dial', c, token: c.token });
      return;
    }
    rng.seed(streamSeed(seed, STREAM.api, c.contact.index, node));
    queue.push(at + Math.round(drawSpan(rng, model.apiDelay) * 1000), { k: 'push', c, token: c.token });
  };

  const dial = (c: ContactState, at: number): void => {
    const task = nodes[c.nodeIndex] as CallTask;
    const d = drawDial(dialCtx, {
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
    emit({
      at,
      kind: 'dial.started',
      workflowId,
      messages: [],
      caseId: c.contact.case_id,
      callee: d.number,
      callId: d.callId,
      data: { node: task.nodeIndex, attempt: d.attempt, number_index: d.numberIndex },
    });
    queue.push(d.endAt, { k: 'dialEnd', c });
  };

  const dialEnd = (c: ContactState, at: number): void => {
    const d = c.current!;
    c.current = null;
    const task = nodes[c.nodeIndex] as CallTask;
    c.numberDials.push(d);
    c.nodeDials.push(d);
    emit({
      at,
      kind: 'dial.finished',
      workflowId,
      messages: [],
      caseId: c.contact.case_id,
      callee: d.number,
      callId: d.callId,
      data: d,
    });
    const exhausted = d.attempt >= task.spec.repeat_number + 1;
    if (!d.answered && !exhausted && !c.cancelRequested) {
      const next = at + task.spec.repeat_interval * 60_000 + d.redialDelayMs;
      queue.push(calendars.get(task.nodeIndex)!.nextOpen(next), { k: 'dial', c, token: c.token });
      return;
    }
    const result: DetailResult = d.answered
      ? 'finished'
      : c.cancelRequested
        ? 'cancelled'
        : INVALID_NUMBER.has(d.ringType)
          ? 'failed'
          : 'finished';
    finishNumber(c, task, at, result);
    if (c.cancelRequested) return finishContact(c, at, 'cancelled');
    const lastNumber = c.numberIndex >= c.contact.numbers.length - 1;
    if (d.answered || lastNumber) {
      c.lastCall = { task, dials: c.nodeDials, contact: c.dialContact };
      return enter(c, c.nodeIndex + 1, at);
    }
    c.numberIndex++;
    c.numberDials = [];
    queue.push(calendars.get(task.nodeIndex)!.nextOpen(at + d.nextNumberDelayMs), {
      k: 'dial',
      c,
      token: c.token,
    });
  };

  const push = (c: ContactState, at: number): void => {
    const node = nodes[c.nodeIndex];
    if (node?.kind !== 'api' || !c.lastCall) return enter(c, c.nodeIndex + 1, at);
    const call = c.lastCall;
    const messages = wants.push
      ? message(
          'custom-api-node-push',
          buildCustomApiPush(
            wf,
            node,
            c.contact,
            call.task,
            call.dials,
            business === 'collection',
            questions,
            call.contact,
          ),
          at,
        )
      : [];
    emit({
      at,
      kind: 'node.passed',
      workflowId,
      messages,
      caseId: c.contact.case_id,
      callee: call.dials[call.dials.length - 1]!.number,
      data: { node: node.nodeIndex, node_name: node.name },
    });
    enter(c, c.nodeIndex + 1, at);
  };

  /** Cancel a row that is not mid-dial: its current number (if dialled) reports cancelled. */
  const cancelNow = (c: ContactState, at: number): void => {
    if (c.done) return;
    const task = nodes[c.nodeIndex];
    if (task?.kind === 'voicebot_call' && c.numberDials.length > 0) finishNumber(c, task, at, 'cancelled');
    finishContact(c, at, 'cancelled');
  };

  const run = (step: Step, at: number): void => {
    switch (step.k) {
      case 'start':
        emit({
          at,
          kind: 'workflow.created',
          workflowId,
          messages: [],
          data: { template: template.id, rows: states.length },
        });
        setStatus('Running', at);
        return;
      case 'stop': {
        if (stopped || status === 'Finished') return;
        stopped = true;
        setStatus('Stopped', at);
        for (const c of states) {
          if (c.done) continue;
          c.cancelRequested = true;
          // A dial in progress finishes; its dialEnd then reports the number cancelled.
          if (!c.current) {
            c.token++;
            cancelNow(c, at);
          }
        }
        return;
      }
      case 'enter':
        if (step.token === step.c.token) enter(step.c, step.node, at);
        return;
      case 'dial':
        if (step.token === step.c.token) dial(step.c, at);
        return;
      case 'dialEnd':
        dialEnd(step.c, at);
        return;
      case 'push':
        if (step.token === step.c.token) push(step.c, at);
        return;
      case 'cancel':
        if (step.token === step.c.token) cancelNow(step.c, at);
        return;
      case 'update':
        if (!step.c.done) step.c.contact = updateContact(step.c.contact, step.fields);
        return;
    }
  };

  const isStale = (s: Step): boolean =>
    ((s.k === 'enter' || s.k === 'dial' || s.k === 'push' || s.k === 'cancel') && s.token !== s.c.token) ||
    (s.k === 'update' && s.c.done);

  queue.push(startTime, { k: 'start' });
  admit(initialRows, startTime, detailSource, generatedFrom);

  return {
    workflowId,
    workflowName,
    templateId: template.id,
    status: () => status,
    nextTime() {
      for (;;) {
        const at = queue.peekTime();
        if (at === null) return null;
        if (!isStale(queue.peek()!)) return at;
        queue.pop();
      }
    },
    advanceTo(t) {
      out = [];
      for (;;) {
        const at = queue.peekTime();
        if (at === null || at > t) break;
        const step = queue.pop()!;
        if (at > lastTime) lastTime = at;
        run(step, at);
      }
      lastTime = Math.max(lastTime, t);
      return out;
    },
    addContacts(rows, at) {
      if (stopped || status === 'Finished')
        throw new Error(`workflow ${workflowId} is ${status.toLowerCase()}: cannot add rows`);
      admit(rows, Math.max(at, lastTime), 'api');
    },
    cancel(match, at) {
      if (match.case_id === undefined && match.callee === undefined) return 0;
      let n = 0;
      for (const c of states) {
        if (c.done || c.cancelRequested) continue;
        if (match.case_id !== undefined && c.contact.case_id !== match.case_id) continue;
        if (match.callee !== undefined && !c.contact.numbers.includes(match.callee)) continue;
        n++;
        c.cancelRequested = true;
        if (!c.current) {
          c.token++;
          queue.push(Math.max(at, lastTime), { k: 'cancel', c, token: c.token });
        }
      }
      return n;
    },
    update(match, fields, at) {
      for (const k of ['callee', 'case_id'] as const) {
        if (fields[k] !== undefined) throw new Error(`update: ${k} identifies the row and cannot be changed`);
      }
      if (match.case_id === undefined && match.callee === undefined) return 0;
      let n = 0;
      for (const c of states) {
        if (c.done) continue;
        if (match.case_id !== undefined && c.contact.case_id !== match.case_id) continue;
        if (match.callee !== undefined && !c.contact.numbers.includes(match.callee)) continue;
        n++;
        // Already at `at` (the server's case: it advances first): apply now, no step needed.
        // A later `at` waits in the queue, so the update lands in time order.
        if (at <= lastTime) c.contact = updateContact(c.contact, fields);
        else queue.push(at, { k: 'update', c, fields });
      }
      return n;
    },
    stop(at) {
      queue.push(Math.max(at, lastTime), { k: 'stop' });
    },
  };
}

/** Run a campaign to completion and return every event in order. */
export function simulate(opts: CampaignOptions): CampaignEvent[] {
  const campaign = createCampaign(opts);
  const events: CampaignEvent[] = [];
  for (let t = campaign.nextTime(); t !== null; t = campaign.nextTime()) {
    for (const e of campaign.advanceTo(t)) events.push(e);
  }
  return events;
}

/** Every message of a list of events, in order; given a `type`, only that type's messages. */
export function messagesOf(events: CampaignEvent[]): OutboundMessage[];
export function messagesOf<T extends CallbackType>(events: CampaignEvent[], type: T): OutboundMessage<T>[];
export function messagesOf(events: CampaignEvent[], type?: CallbackType): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  for (const e of events) {
    for (const m of e.messages) if (type === undefined || m.type === type) out.push(m);
  }
  return out;
}
