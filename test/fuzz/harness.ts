/**
 * The fuzz target: an emulator on port 0 (virtual clock, manual; AES on) with a few workflows,
 * calls and deliveries, a keep-alive agent, the live ids the plans refer to, a snapshot of the
 * observable state, and the checks every answer must pass.
 */
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { aesDecrypt, aesEncrypt, sha256Hex } from '../../src/core/aes.ts';
import { formatVendorTime } from '../../src/core/vendor-time.ts';
import { buildEmulator, type Emulator } from '../../src/server/emulator.ts';
import { nodeTasks } from '../../src/store/views.ts';
import { COLLECTION_TEMPLATE, scenario, START } from '../http/fixture.ts';
import { text, write, type Json, type Resolve } from './json-model.ts';
import type { Plan } from './requests.ts';

export const AES_KEY = 'airudderredduria';
const A = '/__emulator';
const TIME_ZONE = 'Asia/Jakarta';

export interface Sent {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** The live values `{ref}`s name (refreshed after every batch: a reset may have dropped them). */
interface Refs {
  [name: string]: Json;
}

export class FuzzTarget {
  readonly emu: Emulator;
  /** What the server logged as its own failures (each a 500). */
  readonly bugs: string[];
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  private refs: Refs = {};
  private validToken = '';
  private readonly expiredToken = 'expired-fuzz-token-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
  private entries = 0;
  private seq = 0;

  private constructor(emu: Emulator, bugs: string[]) {
    this.emu = emu;
    this.bugs = bugs;
    emu.store.onEntry(() => {
      this.entries++;
    });
  }

  static async start(): Promise<FuzzTarget> {
    const bugs: string[] = [];
    const built = buildEmulator({
      clock: 'virtual:manual',
      startTime: START,
      scenarios: [scenario('tele', 'telemarketing', COLLECTION_TEMPLATE), scenario('ic', 'info_check', 502)],
      aesKey: AES_KEY,
      seed: 7,
      // An error the server logs as its own bug (it answered 500) fails the run with its stack.
      logger: { error: (m, e) => bugs.push(`${m}: ${(e as Error)?.stack ?? String(e)}`) },
    });
    const emu = await built.listen({ port: 0, host: '127.0.0.1' });
    const target = new FuzzTarget(emu, bugs);
    await target.prepare();
    return target;
  }

  async close(): Promise<void> {
    this.agent.destroy();
    await this.emu.close();
  }

  /** Put back what accepted requests may have changed that would stall the run, refresh ids. */
  async prepare(): Promise<void> {
    await this.quiet();
    this.emu.faults.clear();
    this.emu.sink.followScenarios();
    this.emu.setTargets({ target: null, targets: {} });
    const expiresAt = this.emu.clock.now() - 1;
    this.emu.store.saveToken({ token: this.expiredToken, appKey: this.emu.credentials.appKey, expiresAt });
    const login = await this.json('POST', '/service/cloud/auth', {
      APPKey: this.emu.credentials.appKey,
      APPSecret: this.emu.credentials.appSecret,
    });
    this.validToken = (login.data as { token: string }).token;
    if (this.emu.store.listWorkflows().length < 3) await this.populate();
    this.refreshRefs();
  }

  /** Two triggered workflows played for two hours (calls, deliveries) and one created and left running. */
  private async populate(): Promise<void> {
    await this.json('POST', `${A}/scenarios/tele/trigger`, {});
    await this.json('POST', `${A}/scenarios/ic/trigger`, {});
    await this.emu.advance(2 * 3600_000);
    await this.quiet();
    const end = formatVendorTime(this.emu.clock.now() + 30 * 86_400_000, TIME_ZONE);
    await this.json('POST', '/service/cloud/workflow/createinstance', {
      workflow_template_id: COLLECTION_TEMPLATE,
      name: 'fuzz-running',
      end_time: end,
      details: [
        { callee: '+628120000001', case_id: 'RUN-1' },
        { callee: '+628120000002', case_id: 'RUN-2' },
      ],
    });
  }

  private refreshRefs(): void {
    const store = this.emu.store;
    const wfs = store.listWorkflows();
    const played = wfs.find((w) => store.callsOf(w.workflowId).length > 0) ?? wfs[0];
    const running = wfs.find((w) => w.status === 'Running') ?? wfs[0];
    const id = played?.workflowId ?? '0'.repeat(32);
    const row = played ? store.rowsOf(id)[0] : undefined;
    const runRow = running ? store.rowsOf(running.workflowId)[0] : undefined;
    const call = played ? store.callsOf(id)[0] : undefined;
    const push = played ? store.messagesOf(id).find((m) => m.type === 'custom-api-node-push') : undefined;
    const delivery = store.deliveries()[0];
    this.seq++;
    this.refs = {
      appKey: this.emu.credentials.appKey,
      appSecret: this.emu.credentials.appSecret,
      workflowId: id,
      runningId: running?.workflowId ?? id,
      taskId: played ? (nodeTasks(store, id)[0]?.task_id ?? '0'.repeat(32)) : '0'.repeat(32),
      callId: call?.callId ?? '0'.repeat(32),
      recordingFile: `${call?.callId ?? 'none'}.wav`,
      nodeId: ((push?.payload as { node_id?: string } | undefined)?.node_id ?? '0'.repeat(32)) as string,
      callee: row?.callees[0] ?? '+628120000009',
      runningCallee: runRow?.callees[0] ?? '+628120000009',
      runningCaseId: runRow?.input.case_id ?? 'RUN-1',
      templateId: COLLECTION_TEMPLATE,
      deliveryId: delivery?.id ?? 'none',
      faultId: this.emu.faults.list()[0]?.id ?? 'fault-1',
      sinkUrl: `${this.emu.url}${A}/sink/replayed`,
    };
  }

  /** Values that must be fresh per request (a new row each time, an end time in the future). */
  private resolve: Resolve = (name) => {
    if (name === 'endTime') return formatVendorTime(this.emu.clock.now() + 7 * 86_400_000, TIME_ZONE);
    if (name === 'newCallee') return `+62813${String(++this.seq).padStart(8, '0')}`;
    if (name === 'newCaseId') return `FUZZ-${this.seq}`;
    const v = this.refs[name];
    if (v === undefined) throw new Error(`fuzz: no ref "${name}"`);
    return v;
  };

  /** No delivery in flight: the virtual clock stands still and nothing changes by itself. */
  async quiet(): Promise<void> {
    // A timer due now fires on the clock's next turn and may start an attempt: nothing in flight
    // for two turns in a row.
    for (let i = 0, calm = 0; calm < 2; i++) {
      if (i > 5000) throw new Error('fuzz: deliveries still in flight after 10 s');
      if (this.emu.clock.pending().inFlight > 0) {
        calm = 0;
        await sleep(2);
      } else {
        calm++;
        await new Promise((r) => setImmediate(r));
      }
    }
  }

  /** What a rejected request must leave as it was. */
  snapshot(): string {
    const store = this.emu.store;
    return JSON.stringify({
      entries: this.entries,
      now: this.emu.clock.now(),
      workflows: store
        .listWorkflows()
        .map((w) => [w.workflowId, w.status, store.rowsOf(w.workflowId).length]),
      deliveries: store.deliveries().map((d) => [d.id, d.outcome, d.attempts.length]),
      token: store.findToken(this.validToken)?.expiresAt,
      faults: this.emu.faults.list(),
      sink: [this.emu.sink.source(), this.emu.sink.settings()],
      targets: this.emu.targets(),
    });
  }

  /** The templates and scenarios as the API shows them (for requests that could load one). */
  async catalog(): Promise<string> {
    const t = await this.json('GET', '/service/cloud/workflow/templates');
    const s = await this.json('GET', `${A}/scenarios`);
    return JSON.stringify([t.data, s]);
  }

  /** The plan as bytes on the wire. */
  build(plan: Plan): Sent {
    const r = plan.route;
    const inQuery = r.method === 'GET' || r.method === 'DELETE';
    let path =
      plan.unknownPath ??
      r.path.replace(/[:*](\w+)/g, (_m, name: string) => {
        const v = plan.params[name]!;
        if (v !== null && typeof v === 'object' && 'rawPath' in v) return v.rawPath;
        return pct(text(v, this.resolve));
      });
    let query = inQuery && plan.input !== undefined ? queryOf(plan.input, this.resolve) : '';
    let body: string | undefined;
    if (!inQuery) {
      if (plan.rawBody !== undefined) body = plan.rawBody;
      else if (plan.input !== undefined) body = write(plan.input, this.resolve);
    }
    const headers: Record<string, string> = {
      host: plan.foreignHost ? 'evil.example' : `127.0.0.1:${this.emu.port}`,
    };
    if (plan.origin !== null) headers.origin = plan.origin;
    const auth = this.authorization(plan);
    if (auth !== undefined) headers.authorization = auth;
    if (plan.aes !== null) {
      headers['is-encrypted'] = '1';
      const plaintext = inQuery ? query : (body ?? '');
      const cipher = plan.aes === 'garbage' ? 'not*base64*at-all' : aesEncrypt(plaintext, AES_KEY);
      if (plan.aes === 'good') headers.signed = sha256Hex(plaintext);
      if (plan.aes === 'bad-signed') headers.signed = 'deadbeef';
      if (inQuery) query = cipher;
      else body = cipher;
    }
    if (plan.extraQuery) query = query ? `${query}&${plan.extraQuery}` : plan.extraQuery;
    if (body !== undefined && plan.contentType !== null) headers['content-type'] = plan.contentType;
    // Past 16 KiB the server refuses the head (431) anyway; more only costs time.
    if (query) path = `${path}?${query.slice(0, 20_000)}`;
    return { method: plan.method, path, headers, ...(body !== undefined ? { body: Buffer.from(body) } : {}) };
  }

  private authorization(plan: Plan): string | undefined {
    switch (plan.auth) {
      case 'valid':
        return `Token ${this.validToken}`;
      case 'expired':
        return `Bearer ${this.expiredToken}`;
      case 'none':
        return undefined;
      case 'empty':
        return '';
      case 'garbage':
        return plan.authText;
      case 'scheme-only':
        return 'Token';
      case 'basic':
        return 'Basic dXNlcjpwYXNz';
    }
  }

  send(req: Sent): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers = { ...req.headers, ...(req.body ? { 'content-length': String(req.body.length) } : {}) };
      const r = http.request(
        {
          agent: this.agent,
          host: '127.0.0.1',
          port: this.emu.port,
          method: req.method,
          path: req.path,
          headers,
        },
        (res) => {
          // The event stream never ends: its first bytes are its answer.
          if (String(res.headers['content-type']).startsWith('text/event-stream')) {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.alloc(0) });
            return;
          }
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      r.setTimeout(30_000, () =>
        r.destroy(new Error(`fuzz: no answer in 30 s to ${req.method} ${req.path.slice(0, 200)}`)),
      );
      r.on('error', reject);
      r.end(req.body);
    });
  }

  /** A plain JSON request (setup), answered 2xx. */
  async json(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = { host: `127.0.0.1:${this.emu.port}` };
    if (this.validToken) headers.authorization = `Token ${this.validToken}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await this.send({
      method,
      path,
      headers,
      ...(body !== undefined ? { body: Buffer.from(JSON.stringify(body)) } : {}),
    });
    if (res.status >= 300)
      throw new Error(`fuzz setup: ${method} ${path} answered ${res.status} ${res.body}`);
    return JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  }
}

/** Percent-encoding (a lone surrogate goes as U+FFFD, as UTF-8 writes it, instead of throwing). */
function pct(s: string): string {
  return encodeURIComponent(
    s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD'),
  );
}

function queryOf(input: Json, resolve: Resolve): string {
  if (input !== null && typeof input === 'object' && 'entries' in input) {
    return input.entries
      .map(([k, v]) => `${pct(k.slice(0, 20_000))}=${pct(text(v, resolve).slice(0, 20_000))}`)
      .join('&');
  }
  return pct(text(input, resolve).slice(0, 20_000));
}

/** What is wrong with an answer, or undefined: never a 5xx, always the envelope. */
export function answerProblem(plan: Plan, sent: Sent, res: Answer): string | undefined {
  const path = sent.path.split('?')[0]!;
  const receiver = path.startsWith(`${A}/sink/`);
  if (res.status >= 500 && !receiver) return `answered ${res.status}`;
  if (sent.method === 'HEAD' || receiver) return undefined;
  const type = String(res.headers['content-type'] ?? '');
  const isAdmin = path === A || path.startsWith(`${A}/`);
  if (isAdmin && res.status < 400) {
    if (res.status >= 300 && res.headers.location !== undefined) return undefined;
    if (type.startsWith('text/html') || type.startsWith('text/event-stream')) return undefined;
    const parsed = parsed_(res.body);
    return parsed === undefined ? `admin success is not JSON (${type})` : valueProblem(parsed);
  }
  if (!isAdmin && res.status === 200 && type.startsWith('audio/wav')) return undefined;
  let text = res.body.toString('utf8');
  // The AES scheme answers in kind on every vendor route (errors included).
  if (
    plan.aes !== null &&
    plan.unknownPath === undefined &&
    res.status !== 431 &&
    res.headers['is-encrypted'] !== '1'
  )
    return 'an encrypted request got a plain answer';
  if (res.headers['is-encrypted'] === '1') {
    try {
      text = aesDecrypt(text, AES_KEY);
    } catch (err) {
      return `encrypted answer does not decrypt: ${(err as Error).message}`;
    }
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return `answer is not JSON (${res.status} ${type}): ${text.slice(0, 120)}`;
  }
  return envelopeProblem(body, res.status) ?? (res.status < 400 ? valueProblem(body) : undefined);
}

function parsed_(buf: Buffer): unknown {
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const VENDOR_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * What an accepted request may not have let in, as it shows in answers: a number no client's
 * integer holds (echoed 1e308), a vendor time that is not "YYYY-MM-DD HH:mm:ss" (year 10000).
 */
function valueProblem(value: unknown): string | undefined {
  const stack: [unknown, string][] = [[value, '$']];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === 'number' && !(Math.abs(v) <= Number.MAX_SAFE_INTEGER))
      return `answer holds ${v} at ${at}`;
    if (v === null || typeof v !== 'object') continue;
    for (const [k, x] of Object.entries(v)) {
      if (/_time$/.test(k) && typeof x === 'string' && x !== '' && !VENDOR_TIME.test(x))
        return `answer holds ${k} "${x}" at ${at}`;
      stack.push([x, `${at}.${k}`]);
    }
  }
  return undefined;
}

/** The vendor envelope: success {code 200, status OK, data}; failure {code, status, message, data null}. */
function envelopeProblem(body: Record<string, unknown>, status: number): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return 'answer is not an object';
  if (typeof body.code !== 'number' || typeof body.status !== 'string') return 'no numeric code / status';
  if (status < 400) {
    // `data` may be absent: uploaddetails answers the bare success envelope, as the vendor does.
    return body.code === 200 && body.status === 'OK' ? undefined : `success answer with code ${body.code}`;
  }
  if (typeof body.message !== 'string' || body.data !== null)
    return 'error answer without message or with data';
  if (body.code === 200) return 'error answer with code 200';
  return undefined;
}
