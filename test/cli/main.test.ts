/**
 * The conventions every command shares, in-process through main(): --version, --help, unknown
 * commands and options with a "did you mean", usage errors on stderr with exit code 2.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { closest, didYouMean, editDistance } from '../../src/cli/suggest.ts';
import { ROOT, runCli } from '../helpers/cli.ts';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const COMMANDS = ['serve', 'run', 'validate', 'verify', 'send', 'schemas', 'scenarios'];
const hint = (command: string) => `Run "airudder-emulator ${command} --help" for the options.\n`;

describe('airudder-emulator (top level)', () => {
  it('--version and -v print the package version, exit 0', async () => {
    for (const flag of ['--version', '-v']) {
      assert.deepEqual(await runCli([flag]), { code: 0, stdout: `${VERSION}\n`, stderr: '' }, flag);
    }
  });

  it('--help / -h / help: the usage on stdout, exit 0; no command: the usage on stderr, exit 2', async () => {
    const help = await runCli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: airudder-emulator <command> \[options\]\n/);
    for (const c of COMMANDS) assert.match(help.stdout, new RegExp(`^  ${c} +\\S`, 'm'), c);
    assert.match(help.stdout, /-v, --version/);
    assert.deepEqual(await runCli(['-h']), help);
    assert.deepEqual(await runCli(['help']), help);
    assert.deepEqual(await runCli([]), { code: 2, stdout: '', stderr: help.stdout });
  });

  it('help <command> is <command> --help', async () => {
    assert.deepEqual(await runCli(['help', 'schemas']), await runCli(['schemas', '--help']));
  });

  it('an unknown command or option: exit 2, the closest one suggested, then the usage', async () => {
    const r = await runCli(['serv']);
    assert.equal(r.code, 2);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^airudder-emulator: unknown command "serv" \(did you mean serve\?\)\n\nUsage: /);
    assert.match(
      (await runCli(['frobnicate'])).stderr,
      /^airudder-emulator: unknown command "frobnicate"\n\n/,
    );
    assert.match(
      (await runCli(['--verison'])).stderr,
      /^airudder-emulator: unknown option --verison \(did you mean --version\?\)\n\n/,
    );
    assert.equal((await runCli(['--verbose'])).code, 2);
  });

  it('main.ts loads no command module up front (--version stays as fast as node itself)', () => {
    const source = readFileSync(join(ROOT, 'src', 'cli', 'main.ts'), 'utf8');
    const imports = [...source.matchAll(/^import\s[^;]*?from\s+'([^']+)';/gms)].map((m) => m[1]);
    assert.deepEqual(imports.sort(), ['../assets.ts', './io.ts', './suggest.ts', 'node:fs']);
  });
});

describe('every command', () => {
  it('--help: its usage on stdout, exit 0', async () => {
    for (const c of COMMANDS) {
      const r = await runCli([c, '--help']);
      assert.equal(r.code, 0, c);
      assert.match(r.stdout, new RegExp(`^Usage: airudder-emulator ${c}\\b`), c);
      assert.equal(r.stderr, '', c);
      assert.deepEqual(await runCli([c, '-h']), r, `${c} -h`);
    }
  });

  it('an unknown option names the closest valid one: exit 2, one line and a pointer to --help', async () => {
    const cases: [string[], string][] = [
      [['serve', '--clok', 'virtual'], 'unknown option --clok (did you mean --clock?)'],
      [['serve', '--data-directory', 'x'], 'unknown option --data-directory (did you mean --data-dir?)'],
      [['serve', '--sed', '1'], 'unknown option --sed (did you mean --seed?)'],
      [['serve', '-port', '1'], 'unknown option -port (did you mean --port?)'],
      [['serve', '-H'], 'unknown option -H (did you mean -h?)'],
      [['serve', '--frobnicate'], 'unknown option --frobnicate'],
      [['run', 'telemarketing', '--clok', 'virtual'], 'unknown option --clok (did you mean --clock?)'],
      [['run', 'telemarketing', '--junti', 'x.xml'], 'unknown option --junti (did you mean --junit?)'],
      [['validate', '--tpye', 'x', 'f.json'], 'unknown option --tpye (did you mean --type?)'],
      [
        ['verify', '--singing-algorithm', 'none'],
        'unknown option --singing-algorithm (did you mean --signing-algorithm?)',
      ],
      [['verify', '--timeout', '5'], 'unknown option --timeout (did you mean --timeout-ms?)'],
      [['schemas', '--ot', 'dir'], 'unknown option --ot (did you mean --out?)'],
      [['scenarios', '--jsn'], 'unknown option --jsn (did you mean --json?)'],
    ];
    for (const [argv, message] of cases) {
      assert.deepEqual(
        await runCli(argv),
        { code: 2, stdout: '', stderr: `airudder-emulator ${argv[0]}: ${message}\n${hint(argv[0]!)}` },
        argv.join(' '),
      );
    }
  });

  it('a missing value, a value given to a switch, an argument where none is taken: exit 2', async () => {
    const cases: [string[], string][] = [
      [['serve', '--port'], '--port needs a value'],
      [['serve', '--port='], '--port needs a value'],
      [['serve', '--port', '--quiet'], '--port needs a value (to pass "--quiet", write --port=--quiet)'],
      [['serve', '--quiet=yes'], '--quiet takes no value'],
      [['serve', 'now'], 'unexpected argument "now" (this command takes no arguments, only options)'],
      [['scenarios', 'all'], 'unexpected argument "all" (this command takes no arguments, only options)'],
      [['validate', 'f.json', '-t'], '--type needs a value'],
    ];
    for (const [argv, message] of cases) {
      assert.deepEqual(
        await runCli(argv),
        { code: 2, stdout: '', stderr: `airudder-emulator ${argv[0]}: ${message}\n${hint(argv[0]!)}` },
        argv.join(' '),
      );
    }
  });
});

describe('suggestions', () => {
  it('edit distance counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('clock', 'clock'), 0);
    assert.equal(editDistance('clok', 'clock'), 1);
    assert.equal(editDistance('clcok', 'clock'), 1);
    assert.equal(editDistance('seed', 'port'), 4);
    assert.equal(editDistance('', 'abc'), 3);
  });

  it('the closest candidate, case-insensitively, or a prefix; nothing when nothing is close', () => {
    assert.equal(closest('clok', ['port', 'clock', 'config']), 'clock');
    assert.equal(closest('datadir', ['dataDir', 'port']), 'dataDir');
    assert.equal(closest('dataDirectory', ['dataDir', 'port']), 'dataDir');
    assert.equal(closest('targ', ['target', 'host']), 'target');
    assert.equal(closest('frobnicate', ['port', 'clock']), undefined);
    assert.equal(closest('x', ['port']), undefined);
    assert.equal(
      didYouMean('prot', ['port'], (c) => `--${c}`),
      ' (did you mean --port?)',
    );
    assert.equal(didYouMean('zzz', ['port']), '');
  });
});
