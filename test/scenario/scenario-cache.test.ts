/**
 * src/generated/scenarios.json (scripts/gen-scenarios.ts): the shipped scenarios, parsed ahead of
 * time. A cached scenario must be exactly what parsing the file gives (it round-trips through
 * JSON), an edited file must be parsed instead, and serving the shipped scenarios must load
 * neither `yaml` nor `node-cron` (both are required on first use: src/core/lazy-packages.ts).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { SCENARIO_CACHE, SCENARIO_DIR } from '../../src/assets.ts';
import { scenarioFiles } from '../../src/scenario/refs.ts';
import {
  cachedShippedScenario,
  loadScenarioFile,
  parseScenario,
  scenarioTextHash,
  type ScenarioCache,
} from '../../src/scenario/load.ts';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the shipped scenario cache', () => {
  const cache = JSON.parse(readFileSync(SCENARIO_CACHE, 'utf8')) as ScenarioCache;

  test('has an up-to-date entry for every shipped scenario and nothing else', () => {
    const files = scenarioFiles();
    assert.deepEqual(Object.keys(cache.scenarios), files.map((f) => basename(f)).sort());
    for (const f of files) {
      assert.equal(
        cache.scenarios[basename(f)]!.sha256,
        scenarioTextHash(readFileSync(f, 'utf8')),
        `${basename(f)}: stale — run npm run gen:scenarios`,
      );
    }
  });

  for (const file of scenarioFiles()) {
    test(`${basename(file)}: the cached scenario deep-equals a fresh parse`, () => {
      const text = readFileSync(file, 'utf8');
      const cached = cachedShippedScenario(file, text);
      assert.ok(cached, 'served from the cache');
      assert.deepStrictEqual(cached, parseScenario(text));
      // What the loader answers is what it answered before the cache existed.
      const fresh = parseScenario(text, `scenarios/${basename(file)}`);
      assert.deepStrictEqual(loadScenarioFile(file, `scenarios/${basename(file)}`), fresh);
      assert.deepStrictEqual(loadScenarioFile(basename(file, '.yaml')), fresh);
      // A fresh object each time: changing one does not change the next.
      cached.name = 'changed';
      assert.notEqual(cachedShippedScenario(file, text)!.name, 'changed');
      // JSON carries it exactly: no undefined, Date, Map or non-finite number to lose.
      assert.deepStrictEqual(JSON.parse(JSON.stringify(fresh)), fresh);
    });
  }

  test('an edited shipped file is parsed, not served from the cache', () => {
    const file = join(SCENARIO_DIR, 'collection-ptp.yaml');
    const text = readFileSync(file, 'utf8');
    assert.ok(cachedShippedScenario(file, text));
    const edited = text.replace(/^name: collection-ptp$/m, 'name: collection-ptp-edited');
    assert.notEqual(edited, text);
    assert.equal(cachedShippedScenario(file, edited), undefined);
    assert.equal(cachedShippedScenario(file, `${text}# a comment\n`), undefined);
    // The same text elsewhere is not a shipped file.
    assert.equal(cachedShippedScenario(join(ROOT, 'collection-ptp.yaml'), text), undefined);
    // And the loader parses an edited copy.
    const dir = mkdtempSync(join(tmpdir(), 'scenario-cache-'));
    try {
      const copy = join(dir, 'collection-ptp.yaml');
      writeFileSync(copy, edited);
      assert.equal(loadScenarioFile(copy).name, 'collection-ptp-edited');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Runs `body` in a fresh Node process (through tsx, as the tests run src/) and answers the
 * CommonJS modules of `yaml` and `node-cron` it loaded (src/ requires both, through createRequire).
 */
function lazyPackagesLoadedBy(body: string): string[] {
  const script = `
    const { pathToFileURL } = require('node:url');
    const url = (p) => pathToFileURL(require('node:path').join(${JSON.stringify(ROOT)}, p)).href;
    (async () => {
      ${body}
      const loaded = Object.keys(require.cache)
        .map((f) => f.split(require('node:path').sep).join('/'))
        .filter((f) => /\\/node_modules\\/(yaml|node-cron)\\//.test(f))
        .map((f) => f.slice(f.lastIndexOf('/node_modules/') + 1));
      process.stdout.write(JSON.stringify(loaded));
    })().catch((e) => { console.error(e); process.exit(1); });
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

describe('start-up loads neither yaml nor node-cron', () => {
  test('serving the shipped scenarios (health answered) loads no part of yaml or node-cron', () => {
    const loaded = lazyPackagesLoadedBy(`
      const { createEmulator } = await import(url('src/server/emulator.ts'));
      const emu = await createEmulator({ port: 0 });
      const res = await fetch(emu.url + '/__emulator/health');
      if (res.status !== 200) throw new Error('health answered ' + res.status);
      await emu.close();
    `);
    assert.deepEqual(loaded, []);
  });

  test('the probe sees them once a scenario is parsed and a window checked (it can fail)', () => {
    const loaded = lazyPackagesLoadedBy(`
      const { parseScenario } = await import(url('src/scenario/load.ts'));
      const { readFileSync } = await import('node:fs');
      parseScenario(readFileSync(url('scenarios/collection-ptp.yaml').slice('file://'.length), 'utf8'));
      const { isInWindow } = await import(url('src/core/cron-calendar.ts'));
      isInWindow('* 8-20 * * *', 'UTC', 0);
    `);
    assert.ok(loaded.includes('node_modules/yaml/dist/index.js'), JSON.stringify(loaded));
    assert.ok(loaded.includes('node_modules/node-cron/dist/node-cron.cjs'), JSON.stringify(loaded));
  });

  test('no module under src/ imports yaml or node-cron at load (only `import type`)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.ts$/.test(e.name)) {
          const text = readFileSync(p, 'utf8');
          const imports =
            /^\s*import\s+(?!type\b)[^;]*?from\s+'(yaml|node-cron)'|import\(\s*'(yaml|node-cron)'/gm;
          if (imports.test(text)) offenders.push(p.slice(ROOT.length + 1));
        }
      }
    };
    walk(join(ROOT, 'src'));
    assert.deepEqual(offenders, []);
  });
});
