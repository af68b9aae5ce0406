/**
 * `airudder-emulator serve` conventions, in-process through main(): flags over
 * AIRUDDER_EMULATOR_* variables over the --config file over defaults; every bad flag, variable or
 * config file is one clear message and exit 2 (config problems at file:line:col); the config
 * schema itself.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { serveOptions, shippedScenarios, SERVE_ENV } from '../../src/cli/commands/serve.ts';
import { processIO } from '../../src/cli/io.ts';
import { schemas, validate } from '../../src/contract/registry.ts';
import { shippedScenarioNames } from '../../src/scenario/catalog.ts';
import { runCli, startCli } from '../helpers/cli.ts';

const hint = 'Run "airudder-emulator serve --help" for the options.\n';
const usage = (message: string) => `airudder-emulator serve: ${message}\n${hint}`;
const CLOCKS = 'real | scaled:<scale> (e.g. scaled:60) | virtual | virtual:manual';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'serve-cli-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = join(dir, name);
  mkdirSync(join(p, '..'), { recursive: true });
  writeFileSync(p, text);
  return p;
};
const options = (argv: string[], env: Record<string, string> = {}, cwd = dir) =>
  serveOptions(argv, { ...processIO(), env, cwd }).options;

describe('serve: flags, environment, config file', () => {
  it('--help lists the environment variables and the flag each stands for', async () => {
    const r = await runCli(['serve', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Environment \(flags win over these, these over --config\):$/m);
    const flags = {
      port: '--port',
      host: '--host',
      target: '--target',
      seed: '--seed',
      clock: '--clock',
      dataDir: '--data-dir',
      startTime: '--start-time',
      allowedHosts: '--allowed-hosts',
    };
    for (const [k, name] of Object.entries(SERVE_ENV)) {
      assert.match(r.stdout, new RegExp(`^  ${name} +${flags[k as keyof typeof flags]}$`, 'm'), name);
    }
  });

  it('defaults without flags, variables or config', () => {
    const o = serveOptions([], { ...processIO(), env: {}, cwd: dir, freshSeed: () => 42 }).options;
    assert.deepEqual(
      [o.port, o.host, o.clock, o.seed, o.target, o.dataDir],
      [4010, '127.0.0.1', 'real', 42, undefined, undefined],
    );
    assert.deepEqual(o.scenarios, shippedScenarios());
  });

  it('no seed given: a fresh one per start (from the process CSPRNG), never the fixed library default', () => {
    const seeds = new Set(Array.from({ length: 8 }, () => options([]).seed));
    assert.ok(seeds.size >= 7, `8 starts gave seeds ${[...seeds].join(', ')}`);
    for (const seed of seeds) assert.ok(Number.isInteger(seed) && seed! >= 0 && seed! <= 0xffffffff);
    assert.equal(options(['--seed', '0']).seed, 0, 'seed 0 is a seed, not "none"');
    assert.equal(options([], { AIRUDDER_EMULATOR_SEED: '9' }).seed, 9);
    assert.equal(options(['--config', file('seeded.yaml', 'seed: 5\n')]).seed, 5);
  });

  it('precedence: flags > environment > config file > defaults', () => {
    const cfg = file(
      'conf/serve.yaml',
      [
        'port: 5000',
        'host: 0.0.0.0',
        'clock: virtual',
        'seed: 3',
        'target: http://cfg.test/cb',
        'dataDir: cfg-data',
        'scenarios: [local.yaml, telemarketing]',
        'bodyLimitBytes: 1000',
        'rotateTokenOnReauth: true',
        '',
      ].join('\n'),
    );
    file('conf/local.yaml', '');
    const fromConfig = options(['--config', 'conf/serve.yaml']);
    assert.deepEqual(
      [fromConfig.port, fromConfig.host, fromConfig.clock, fromConfig.seed, fromConfig.target],
      [5000, '0.0.0.0', 'virtual', 3, 'http://cfg.test/cb'],
    );
    // Paths in a config file are relative to its folder.
    assert.equal(fromConfig.dataDir, join(dir, 'conf', 'cfg-data'));
    assert.deepEqual(fromConfig.scenarios, [
      join(dir, 'conf', 'local.yaml'),
      shippedScenarios().find((f) => f.endsWith('/telemarketing.yaml')),
    ]);
    assert.equal(fromConfig.bodyLimitBytes, 1000);
    assert.equal(fromConfig.rotateTokenOnReauth, true);

    const env = {
      AIRUDDER_EMULATOR_PORT: '6000',
      AIRUDDER_EMULATOR_HOST: '::1',
      AIRUDDER_EMULATOR_TARGET: 'https://env.test/cb',
      AIRUDDER_EMULATOR_SEED: '4',
      AIRUDDER_EMULATOR_CLOCK: 'virtual:manual',
      AIRUDDER_EMULATOR_DATA_DIR: 'env-data',
    };
    const fromEnv = options(['--config', cfg], env);
    assert.deepEqual(
      [fromEnv.port, fromEnv.host, fromEnv.clock, fromEnv.seed, fromEnv.target, fromEnv.dataDir],
      [6000, '::1', 'virtual:manual', 4, 'https://env.test/cb', join(dir, 'env-data')],
    );
    assert.equal(fromEnv.bodyLimitBytes, 1000, 'what only the file sets stays');

    const fromFlags = options(
      [
        '--config',
        cfg,
        '--port',
        '7000',
        '--host',
        'localhost',
        '--clock',
        'scaled:10',
        '--seed',
        '5',
        '--target',
        'http://flag.test/cb',
        '--data-dir',
        'flag-data',
        '--scenario',
        'collection-ptp',
      ],
      env,
    );
    assert.deepEqual(
      [fromFlags.port, fromFlags.host, fromFlags.clock, fromFlags.seed, fromFlags.target, fromFlags.dataDir],
      [7000, 'localhost', 'scaled:10', 5, 'http://flag.test/cb', join(dir, 'flag-data')],
    );
    assert.deepEqual(fromFlags.scenarios, [
      shippedScenarios().find((f) => f.endsWith('/collection-ptp.yaml')),
    ]);

    // An empty variable counts as unset; the demo clock is a default, under the environment.
    assert.equal(options([], { AIRUDDER_EMULATOR_PORT: '' }).port, 4010);
    assert.equal(options(['--demo'], { AIRUDDER_EMULATOR_CLOCK: 'virtual' }).clock, 'virtual');
    assert.equal(options(['--demo']).clock, 'scaled:60');
  });

  it('--start-time, AIRUDDER_EMULATOR_START_TIME and startTime: one instant, flags > env > file', () => {
    assert.equal(options([]).startTime, undefined, 'default: the host time');
    const cfg = file('start.yaml', 'startTime: "2024-03-11 03:00:00"\n');
    assert.equal(options(['--config', cfg]).startTime, Date.UTC(2024, 2, 11, 3));
    const env = { AIRUDDER_EMULATOR_START_TIME: '2024-03-11T10:00:00+07:00' };
    assert.equal(options(['--config', cfg], env).startTime, Date.UTC(2024, 2, 11, 3));
    assert.equal(
      options(['--config', cfg, '--start-time', '2024-03-12T00:00:00Z'], env).startTime,
      Date.UTC(2024, 2, 12),
    );
    const bad = file('bad-start.yaml', 'port: 1\nstartTime: soon\n');
    assert.throws(() => options(['--config', bad]), {
      message:
        /bad-start\.yaml:2:1: startTime must be ISO-8601 or "YYYY-MM-DD HH:mm:ss" \(UTC\) \(got "soon"\)$/,
    });
  });

  it('bad flag values: exit 2 and one message naming the flag', async () => {
    const shipped = shippedScenarioNames().join(', ');
    const cases: [string[], string][] = [
      [['--port', 'abc'], '--port must be an integer from 0 to 65535 (got "abc")'],
      [['--port', '70000'], '--port must be an integer from 0 to 65535 (got "70000")'],
      [['--port', '80.5'], '--port must be an integer from 0 to 65535 (got "80.5")'],
      [['--port=-1'], '--port must be an integer from 0 to 65535 (got "-1")'],
      [['--port', '0x50'], '--port must be an integer from 0 to 65535 (got "0x50")'],
      [['--seed', '1.5'], '--seed must be an integer from 0 to 4294967295 (got "1.5")'],
      [['--seed', '4294967296'], '--seed must be an integer from 0 to 4294967295 (got "4294967296")'],
      [['--clock', 'fast'], `--clock must be one of ${CLOCKS} (got "fast")`],
      [['--clock', 'scaled:0'], `--clock must be one of ${CLOCKS} (got "scaled:0")`],
      [['--target', 'ftp://x'], '--target must be an http(s) URL (got "ftp://x")'],
      [['--target', 'localhost:3000'], '--target must be an http(s) URL (got "localhost:3000")'],
      [['--host', ''], '--host needs a value'],
      [
        ['--scenario', 'nope'],
        `--scenario: unknown scenario "nope": no such file, and no shipped scenario by that name (shipped: ${shipped})`,
      ],
      [['--config', 'missing.yaml'], 'missing.yaml: cannot read file (ENOENT)'],
      [['--data-dir', 'a-file'], '--data-dir must be a directory ("a-file" is a file)'],
      [['--config', '.'], '.: cannot read file (EISDIR)'],
      [
        ['--start-time', 'yesterday'],
        '--start-time: invalid start time "yesterday" (expected ISO-8601 or "YYYY-MM-DD HH:mm:ss" (UTC))',
      ],
    ];
    file('a-file', '');
    for (const [argv, message] of cases) {
      assert.deepEqual(
        await runCli(['serve', ...argv], { cwd: dir }),
        { code: 2, stdout: '', stderr: usage(message) },
        argv.join(' '),
      );
    }
  });

  it('bad environment values: exit 2 and one message naming the variable', async () => {
    const cases: [Record<string, string>, string][] = [
      [
        { AIRUDDER_EMULATOR_PORT: 'abc' },
        'AIRUDDER_EMULATOR_PORT must be an integer from 0 to 65535 (got "abc")',
      ],
      [
        { AIRUDDER_EMULATOR_PORT: '70000' },
        'AIRUDDER_EMULATOR_PORT must be an integer from 0 to 65535 (got "70000")',
      ],
      [
        { AIRUDDER_EMULATOR_SEED: '1.5' },
        'AIRUDDER_EMULATOR_SEED must be an integer from 0 to 4294967295 (got "1.5")',
      ],
      [{ AIRUDDER_EMULATOR_CLOCK: 'fast' }, `AIRUDDER_EMULATOR_CLOCK must be one of ${CLOCKS} (got "fast")`],
      [
        { AIRUDDER_EMULATOR_TARGET: 'ftp://x' },
        'AIRUDDER_EMULATOR_TARGET must be an http(s) URL (got "ftp://x")',
      ],
      [
        { AIRUDDER_EMULATOR_DATA_DIR: 'package.json' },
        'AIRUDDER_EMULATOR_DATA_DIR must be a directory ("package.json" is a file)',
      ],
    ];
    for (const [env, message] of cases) {
      assert.deepEqual(
        await runCli(['serve'], { env }),
        { code: 2, stdout: '', stderr: usage(message) },
        JSON.stringify(env),
      );
    }
    // A flag that sets the same option does not make a bad variable acceptable: it is still read.
    assert.equal((await runCli(['serve', '--port', '0'], { env: { AIRUDDER_EMULATOR_PORT: 'x' } })).code, 2);
  });
});

describe('serve --config errors: file:line:col, exit 2, no stack trace', () => {
  const shipped = () => shippedScenarioNames().join(', ');
  const cases: [string, string, string | (() => string)][] = [
    [
      'typo.yaml',
      'port: 4010\ndataDirectory: ./data\n',
      'typo.yaml:2:1: unknown key "dataDirectory" (did you mean dataDir?)\n',
    ],
    ['camel.yaml', 'data-dir: ./data\n', 'camel.yaml:1:1: unknown key "data-dir" (did you mean dataDir?)\n'],
    ['odd.yaml', 'verbose: true\n', 'odd.yaml:1:1: unknown key "verbose"\n'],
    [
      'nested.yaml',
      'accounts:\n  - appkey: a\n    appSecret: b\n',
      'nested.yaml:2:5: unknown key "appkey" in accounts[0] (did you mean appKey?)\n',
    ],
    ['port.yaml', 'port: 70000\n', 'port.yaml:1:1: port must be <= 65535\n'],
    ['seed.yaml', 'seed: 1.5\n', 'seed.yaml:1:1: seed must be integer\n'],
    ['rows.yaml', 'maxRowsPerWorkflow: 0\n', 'rows.yaml:1:1: maxRowsPerWorkflow must be >= 1\n'],
    ['string.yaml', 'port: "4010"\n', 'string.yaml:1:1: port must be integer\n'],
    ['clock.yaml', 'clock: fast\n', `clock.yaml:1:1: clock must be one of ${CLOCKS} (got "fast")\n`],
    ['zero.yaml', 'clock: scaled:0\n', `zero.yaml:1:1: clock must be one of ${CLOCKS} (got "scaled:0")\n`],
    ['target.yaml', 'target: ftp://x\n', 'target.yaml:1:1: target must be an http(s) URL (got "ftp://x")\n'],
    ['aes.yaml', 'aesKey: 0123456789abcdefg\n', 'aes.yaml:1:1: aesKey must be 16, 24 or 32 bytes (got 17)\n'],
    ['dir.yaml', 'dataDir: dir.yaml\n', 'dir.yaml:1:1: dataDir must be a directory ("dir.yaml" is a file)\n'],
    [
      'scen.yaml',
      'scenarios:\n  - telemarketing\n  - nope\n',
      () =>
        `scen.yaml:3:5: scenarios[1]: unknown scenario "nope": no such file, and no shipped scenario by that name (shipped: ${shipped()})\n`,
    ],
    [
      'many.yaml',
      'clock: fast\nport: -1\nfoo: 1\n',
      `many.yaml:1:1: clock must be one of ${CLOCKS} (got "fast")\n` +
        'many.yaml:2:1: port must be >= 0\n' +
        'many.yaml:3:1: unknown key "foo"\n',
    ],
    [
      'faults.yaml',
      'faults:\n  - route: "*"\n    status: 500\n    drop: true\n  - route: "FETCH /x"\n    code: 12345\n',
      'faults.yaml:4:5: faults[0].drop answers nothing: it cannot go with status, code or message\n' +
        'faults.yaml:5:5: faults[1].route must be "*", or [METHOD] /path (METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS, *) (got "FETCH /x")\n' +
        'faults.yaml:6:5: faults[1].code must be a vendor code the emulator knows, or go with status (got 12345)\n',
    ],
    [
      'fault-type.yaml',
      'faults:\n  - route: "*"\n    probability: 1.5\n',
      'fault-type.yaml:3:5: faults[0].probability must be <= 1\n',
    ],
    ['list.yaml', '- port: 1\n', 'list.yaml:1:1: expected a mapping of options (key: value), got a list\n'],
    [
      'scalar.yaml',
      'port 4010\n',
      'scalar.yaml:1:1: expected a mapping of options (key: value), got a string\n',
    ],
    ['dup.yaml', 'port: 1\nport: 2\n', 'dup.yaml:2:1: YAML DUPLICATE_KEY: Map keys must be unique\n'],
    [
      'syntax.yaml',
      'port: [1\n',
      'syntax.yaml:2:1: YAML BAD_INDENT: Flow sequence in block collection must be sufficiently indented and end with a ]\n',
    ],
    [
      'typo.json',
      '{\n  "port": 4010,\n  "dataDirectory": "./data"\n}\n',
      'typo.json:3:3: unknown key "dataDirectory" (did you mean dataDir?)\n',
    ],
    [
      'bad.json',
      '{\n  "port": 4010,\n  "seed": tru\n}\n',
      'bad.json:3:14: invalid JSON: unexpected character "\\n"\n',
    ],
  ];
  for (const [name, text, expected] of cases) {
    it(name, async () => {
      file(name, text);
      const r = await runCli(['serve', '--config', name], { cwd: dir });
      const stderr = typeof expected === 'string' ? expected : expected();
      assert.deepEqual(r, { code: 2, stdout: '', stderr });
    });
  }

  it('an empty file is no options', () => {
    file('empty.yaml', '');
    assert.equal(options(['--config', 'empty.yaml']).port, 4010);
  });
});

describe('serve seed: fresh per start unless given, printed, and in /health', () => {
  /** Start serve, trigger one shipped scenario, and read back the ids, the banner and /health. */
  async function session(argv: string[], freshSeed?: () => number) {
    const s = startCli(['serve', '--port', '0', '--quiet', '--clock', 'virtual:manual', ...argv], {
      ...(freshSeed ? { freshSeed } : {}),
    });
    try {
      await s.waitFor((o) => o.includes('Ctrl-C stops'));
      const url = /listening on (http:\/\/\S+)/.exec(s.stdout())![1]!;
      const seedLine = /^ {2}Seed {9}(.*)$/m.exec(s.stdout())![1]!;
      const trigger = await fetch(`${url}/__emulator/scenarios/collection-ptp/trigger`, { method: 'POST' });
      const ids = (await trigger.json()) as { workflow_id: string };
      const health = (await (await fetch(`${url}/__emulator/health`)).json()) as { seed: number };
      return { seedLine, workflowId: ids.workflow_id, health };
    } finally {
      assert.equal((await s.stop('SIGINT')).code, 0);
    }
  }

  it('without --seed: each start picks a seed, prints it, and hands out new workflow ids', async () => {
    let next = 100;
    const a = await session([], () => next++);
    const b = await session([], () => next++);
    assert.equal(a.seedLine, '100 (picked for this start; --seed 100 repeats it)');
    assert.equal(b.seedLine, '101 (picked for this start; --seed 101 repeats it)');
    assert.deepEqual([a.health.seed, b.health.seed], [100, 101]);
    assert.match(a.workflowId, /^[0-9a-f]{32}$/);
    assert.notEqual(a.workflowId, b.workflowId, "a second session must not repeat the first one's ids");
  });

  it('--seed repeats a session: the printed seed gives the same ids again', async () => {
    const picked = await session([], () => 777);
    const again = await session(['--seed', '777']);
    assert.equal(again.seedLine, '777');
    assert.equal(again.health.seed, 777);
    assert.equal(again.workflowId, picked.workflowId);
  });
});

describe('serve banner: where callbacks go, and a first request to try', () => {
  async function bannerOf(argv: string[]): Promise<{ url: string; out: string }> {
    const s = startCli(['serve', '--port', '0', '--quiet', '--clock', 'virtual:manual', ...argv]);
    try {
      await s.waitFor((o) => o.includes('Ctrl-C stops'));
      return { url: /listening on (http:\/\/\S+)/.exec(s.stdout())![1]!, out: s.stdout() };
    } finally {
      assert.equal((await s.stop('SIGINT')).code, 0);
    }
  }

  it('names the target, the per-type targets, or the template URLs', async () => {
    const one = await bannerOf(['--target', 'http://localhost:3000/hooks']);
    assert.match(one.out, /^ {2}Callbacks {4}http:\/\/localhost:3000\/hooks$/m);
    const mixed = await bannerOf([
      '--target',
      'http://localhost:3000/hooks',
      '--target-list-completion',
      'http://localhost:3000/lc',
    ]);
    assert.match(
      mixed.out,
      /^ {2}Callbacks {4}http:\/\/localhost:3000\/hooks \(every other type\)\n {15}list-completion → http:\/\/localhost:3000\/lc$/m,
    );
    const none = await bannerOf([]);
    assert.match(
      none.out,
      /^ {2}Callbacks {4}each template's callback URL \(the shipped scenarios: the built-in sink\)$/m,
    );
  });

  it('suggests a first request that works as printed', async () => {
    const s = startCli(['serve', '--port', '0', '--quiet', '--clock', 'virtual:manual']);
    try {
      await s.waitFor((o) => o.includes('Ctrl-C stops'));
      const line = /^ {2}curl -s (\S+) -H 'Content-Type: application\/json' -d '(.*)'$/m.exec(s.stdout());
      assert.ok(line, s.stdout());
      const res = await fetch(line[1]!, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: line[2]!,
      });
      const body = (await res.json()) as { code: number; data: { token: string } };
      assert.equal(body.code, 200);
      assert.match(body.data.token, /./);
    } finally {
      assert.equal((await s.stop('SIGINT')).code, 0);
    }
  });
});

describe('serve starts with what it was given', () => {
  it('a --config file and the environment reach the emulator', async () => {
    const cfg = file(
      'run/serve.json',
      JSON.stringify({ accounts: [{ appKey: 'my-key', appSecret: 'my-secret' }], port: 1 }, null, 2),
    );
    const s = startCli(['serve', '--config', cfg, '--quiet'], {
      env: { AIRUDDER_EMULATOR_PORT: '0', AIRUDDER_EMULATOR_CLOCK: 'virtual:manual' },
    });
    try {
      await s.waitFor((o) => o.includes('Ctrl-C stops'));
      const url = /listening on (http:\/\/\S+)/.exec(s.stdout())![1]!;
      assert.match(s.stdout(), /^ {2}Credentials {2}APPKey my-key {3}APPSecret my-secret$/m);
      assert.match(s.stdout(), /^ {2}Clock {8}virtual, now /m);
      const auth = async (APPKey: string, APPSecret: string) => {
        const res = await fetch(`${url}/service/cloud/auth`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ APPKey, APPSecret }),
        });
        return ((await res.json()) as { code: number }).code;
      };
      assert.equal(await auth('my-key', 'my-secret'), 200);
      assert.notEqual(await auth('test-app-key', 'test-app-secret'), 200);
    } finally {
      assert.equal((await s.stop('SIGINT')).code, 0);
    }
    assert.ok(s.stdout().endsWith('\nSIGINT: stopping…\n'));
  });

  it('a broken scenario file: exit 2 with its file:line:col', async () => {
    file('broken.yaml', 'seed: 1\n');
    const r = await runCli(['serve', '--port', '0', '--scenario', 'broken.yaml'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    const at = `${join(dir, 'broken.yaml')}:1:1:`;
    assert.equal(
      r.stderr,
      `${at} account is required (missing property "account")\n` +
        `${at} templates is required (missing property "templates")\n` +
        `${at} contacts is required (missing property "contacts")\n`,
    );
  });

  it('a port in use: exit 1, and what to do about it', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as { port: number }).port;
    try {
      assert.deepEqual(await runCli(['serve', '--port', String(port)]), {
        code: 1,
        stdout: '',
        stderr: `airudder-emulator serve: port ${port} is in use (try --port 0)\n`,
      });
    } finally {
      busy.close();
    }
  });
});

describe('schemas/serve-config.schema.json', () => {
  const doc = () => schemas().schema('serve-config');

  it('$id, title, description, closed, examples that validate', () => {
    const d = doc();
    assert.equal(d.$id, 'https://airudder-emulator.local/schemas/serve-config.schema.json');
    assert.equal(d.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.equal(d.title, 'ServeConfig');
    assert.ok((d.description ?? '').length > 50);
    assert.equal(d.additionalProperties, false);
    assert.ok((d.examples ?? []).length > 0);
    for (const ex of d.examples ?? []) assert.deepEqual(validate('serve-config', ex), { ok: true });
  });

  it('has exactly the camelCase keys serve reads, each described', () => {
    const props = doc().properties as Record<string, { description?: string }>;
    assert.deepEqual(Object.keys(props).sort(), [
      'accounts',
      'aesKey',
      'allowedHosts',
      'bodyLimitBytes',
      'clock',
      'dataDir',
      'delivery',
      'faults',
      'host',
      'maxRowsPerWorkflow',
      'port',
      'requestLogSize',
      'rotateTokenOnReauth',
      'scenarios',
      'seed',
      'startTime',
      'target',
      'targets',
    ]);
    for (const [k, v] of Object.entries(props)) assert.ok((v.description ?? '').length > 10, k);
  });
});
