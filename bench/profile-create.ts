/**
 * Where a POST createinstance's server CPU goes: the bench's emulator server (bench/views.ts's,
 * manual virtual clock, status callbacks to a receiver in its own process) run under
 * `--cpu-prof`, loaded with N one-row creations over 8 keep-alive connections (after a warm-up),
 * then its profile's non-idle samples split by what they were doing (the first matching group
 * of each sample's stack, in the order below), with the server's CPU per request.
 *
 * `npx tsx bench/profile-create.ts [N=3000] [--plain]` (not part of `npm run bench`: a profile, no goal).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SERVER = fileURLToPath(new URL('./servers/views-server.ts', import.meta.url));
const N = Number(process.argv[2] ?? 3000);
/** `--plain`: no profiler, only the server's CPU per request (to compare two builds). */
const PLAIN = process.argv.includes('--plain');
const CONNECTIONS = 8;

type Msg = Record<string, unknown>;

function start(
  args: string[],
  execArgv: string[] = [],
): { child: ChildProcess; call: (m?: Msg) => Promise<Msg> } {
  const child = fork(SERVER, args, {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const call = (m?: Msg) =>
    new Promise<Msg>((resolve) => {
      child.once('message', (a) => resolve(a as Msg));
      if (m) child.send(m);
    });
  return { child, call };
}

function post(
  url: string,
  body: string,
  headers: Record<string, string>,
  agent: http.Agent,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/** Groups, first match wins; each tests a sample's stack (leaf first) of "name file" frames. */
const GROUPS: [string, (s: string[]) => boolean][] = [
  ['idle', (s) => s[0]!.startsWith('(idle)')],
  ['startup (module loading)', (s) => s.some((k) => /esm\/|cjs\/loader|compileSourceTextModule/.test(k))],
  ['GC', (s) => s[0]!.startsWith('(garbage')],
  ['kernel writes (writev: the answer, the callback)', (s) => s[0]!.startsWith('writev')],
  [
    'campaign built (driver.start)',
    (s) => s.some((k) => k.startsWith('start src/emulation/workflow-service')),
  ],
  [
    'catch-up: status event, its callback built, checked, recorded',
    (s) => s.some((k) => k.startsWith('running src/emulation/workflow-service')),
  ],
  [
    'rest of create (rows, journal entries, end_time, seed)',
    (s) => s.some((k) => k.startsWith('create src/emulation/workflow-service')),
  ],
  ['writing the answer (JS)', (s) => s.some((k) => k.startsWith('sendSuccess '))],
  [
    'first dial (the next clock timer)',
    (s) => s.some((k) => k.startsWith('(anon) src/emulation/campaign-driver')),
  ],
  ['sending the callback', (s) => s.some((k) => /^(fire|begin) src\/delivery\/attempt-loop/.test(k))],
  ["reading the receiver's answer", (s) => s.some((k) => /http-sender|_http_client|_http_agent/.test(k))],
  [
    'request log (its own work)',
    (s) => {
      const i = s.findIndex((k) => k.includes('request-log'));
      return i >= 0 && !s.slice(0, i).some((k) => k.includes('/router/'));
    },
  ],
  [
    'body read and parsed',
    (s) => s.some((k) => /rawParser|decode src\/http\/body|raw-body|body-parser/.test(k)),
  ],
  [
    'express routing, auth, the HTTP server',
    (s) => s.some((k) => /parserOnIncoming|\/router\/|\/express\/|_http_server|_http_outgoing|auth/.test(k)),
  ],
  [
    'socket reads and write callbacks',
    (s) => s.some((k) => /stream_base_commons|streams\/|node:net/.test(k)),
  ],
  ['other', () => true],
];

function groups(file: string): [string, number][] {
  const p = JSON.parse(readFileSync(file, 'utf8')) as { nodes: Node[]; samples: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const name = (n: Node) =>
    `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*?\/(src|node_modules)\//, '$1/')}`;
  const tally = new Map<string, number>();
  for (const id of p.samples) {
    const stack: string[] = [];
    for (let c: number | undefined = id; c !== undefined; c = parent.get(c)) stack.push(name(byId.get(c)!));
    const [g] = GROUPS.find(([, test]) => test(stack))!;
    tally.set(g, (tally.get(g) ?? 0) + 1);
  }
  const busy = p.samples.length - (tally.get('idle') ?? 0) - (tally.get('startup (module loading)') ?? 0);
  return GROUPS.slice(2).map(([g]) => [g, (100 * (tally.get(g) ?? 0)) / busy]);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'profile-create-'));
  const receiver = start(['receiver']);
  const { url: target } = await receiver.call();
  const emu = start(
    ['emulator', 'virtual:manual', target as string],
    PLAIN ? [] : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval', '100'],
  );
  const hello = await emu.call();
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const url = hello.url as string;
  const auth = JSON.stringify({ APPKey: hello.appKey, APPSecret: hello.appSecret });
  const token = (
    JSON.parse(await post(`${url}/service/cloud/auth`, auth, {}, agent)) as { data: { token: string } }
  ).data.token;
  const body = JSON.stringify({
    workflow_template_id: 1006,
    name: 'bench',
    end_time: '2026-12-31 23:00:00',
    details: [{ callee: '+639171234567', case_id: 'B-1', customer_name: 'Bench Row' }],
  });
  const load = async (n: number) => {
    let sent = 0;
    const worker = async () => {
      while (sent++ < n) {
        const text = await post(
          `${url}/service/cloud/workflow/createinstance`,
          body,
          { Authorization: `Token ${token}` },
          agent,
        );
        if (!text.startsWith('{"code":200')) throw new Error(`createinstance answered ${text}`);
      }
    };
    await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  };
  await load(500);
  const before = (await emu.call({ cmd: 'cpu' })).micros as number;
  await load(N);
  const cpu = ((await emu.call({ cmd: 'cpu' })).micros as number) - before;
  agent.destroy();
  const exited = new Promise((r) => emu.child.once('exit', r));
  emu.child.send({ cmd: 'close' });
  await exited;
  receiver.child.send({ cmd: 'close' });
  process.stdout.write(
    `server CPU per createinstance: ${(cpu / N).toFixed(0)} µs (profiler ${PLAIN ? 'off' : 'on'})\n`,
  );
  if (PLAIN) return rmSync(dir, { recursive: true, force: true });
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  for (const [g, pct] of groups(join(dir, file)))
    process.stdout.write(`${pct.toFixed(1).padStart(5)} %  ${g}\n`);
  if (process.env.KEEP_PROFILE) process.stdout.write(`kept ${dir}\n`);
  else rmSync(dir, { recursive: true, force: true });
}

await main();
