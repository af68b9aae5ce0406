/**
 * Consumer projects for the package tests: pack the package as `npm pack` would publish it, and
 * install the tarball into a fresh project with `npm ci --offline` — no registry, only the
 * tarball and the packages this repository's lockfile pins (from npm's cache, filled by the
 * repository's own `npm ci`). The consumer's lockfile is derived from ours, so the tarball's
 * declared dependencies must agree with it or `npm ci` refuses.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

export const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** What `npm pack` needs from the repository: the files a clone has, without dist/ or tests. */
const SOURCES = [
  'package.json',
  'package-lock.json',
  'README.md',
  'tsconfig.json',
  'tsconfig.build.json',
  'bin',
  'src',
  'schemas',
  'scenarios',
  'scripts',
];

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  devOptional?: boolean;
  optional?: boolean;
  dependencies?: Record<string, string>;
  [k: string]: unknown;
}
interface Lockfile {
  packages: Record<string, LockEntry>;
}

export interface PackedPackage {
  dir: string;
  tarball: string;
  manifest: {
    name: string;
    version: string;
    dependencies: Record<string, string>;
    bin: Record<string, string>;
  };
  /** Paths inside the tarball (without the leading `package/`). */
  files: string[];
  cleanup(): void;
}

/**
 * Pack a copy of the repository in a temporary folder (so the build it runs through `prepare`
 * cannot disturb a dist/ that other tests use), the way `npm pack` runs for a release.
 */
export async function packPackage(): Promise<PackedPackage> {
  const dir = mkdtempSync(join(tmpdir(), 'airudder-pack-'));
  const src = join(dir, 'src-copy');
  mkdirSync(src);
  for (const name of SOURCES) cpSync(join(ROOT, name), join(src, name), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'), 'dir');
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: src,
    env: { ...process.env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const info = (
    JSON.parse(stdout.slice(stdout.indexOf('['))) as { filename: string; files: { path: string }[] }[]
  )[0]!;
  const manifest = JSON.parse(readFileSync(join(src, 'package.json'), 'utf8')) as PackedPackage['manifest'];
  return {
    dir,
    tarball: join(dir, info.filename),
    manifest,
    files: info.files.map((f) => f.path),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The lockfile entries of `names` and everything they depend on, from this repository's lock. */
function closure(lock: Lockfile, names: string[]): Map<string, LockEntry> {
  const out = new Map<string, LockEntry>();
  const visit = (name: string, from: string) => {
    // Node's lookup: the nearest node_modules folder up from the dependent that holds the name.
    let base = from;
    for (;;) {
      const key = `${base === '' ? '' : `${base}/`}node_modules/${name}`;
      const entry = lock.packages[key];
      if (entry) {
        if (out.has(key)) return;
        out.set(key, entry);
        for (const dep of Object.keys(entry.dependencies ?? {})) visit(dep, key);
        return;
      }
      if (base === '')
        throw new Error(`package-lock.json has no entry for ${name} (needed by ${from || 'root'})`);
      const cut = base.lastIndexOf('/node_modules/');
      base = cut < 0 ? '' : base.slice(0, cut);
    }
  };
  for (const n of names) visit(n, '');
  return out;
}

export interface ConsumerOptions {
  /** `module` (ESM) or `commonjs`. */
  type: 'module' | 'commonjs';
  /** Development packages the consumer adds from this repository's lock (e.g. typescript). */
  devDependencies?: string[];
  /** Files to write into the project (path → content). */
  files?: Record<string, string>;
}

/** A fresh project with the packed package installed by `npm ci --offline`. Returns its folder. */
export async function createConsumer(
  pack: PackedPackage,
  name: string,
  opts: ConsumerOptions,
): Promise<string> {
  const dir = join(pack.dir, name);
  mkdirSync(dir);
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile;
  const rel = `file:${relative(dir, pack.tarball)}`;
  const integrity = `sha512-${createHash('sha512').update(readFileSync(pack.tarball)).digest('base64')}`;
  const devNames = opts.devDependencies ?? [];
  const devRanges = Object.fromEntries(
    devNames.map((n) => [n, lock.packages[`node_modules/${n}`]!.version!]),
  );
  const pkg = {
    name,
    version: '1.0.0',
    private: true,
    type: opts.type,
    dependencies: { [pack.manifest.name]: rel },
    ...(devNames.length > 0 ? { devDependencies: devRanges } : {}),
  };
  const packages: Record<string, LockEntry> = {
    '': {
      name,
      version: '1.0.0',
      dependencies: pkg.dependencies,
      ...(devNames.length > 0 ? { devDependencies: devRanges } : {}),
    },
    [`node_modules/${pack.manifest.name}`]: {
      version: pack.manifest.version,
      resolved: rel,
      integrity,
      dependencies: pack.manifest.dependencies,
      bin: pack.manifest.bin,
    },
  };
  const prod = closure(lock, Object.keys(pack.manifest.dependencies));
  for (const [k, v] of prod) packages[k] = { ...v, dev: undefined, devOptional: undefined };
  for (const [k, v] of closure(lock, devNames))
    if (!prod.has(k)) packages[k] = { ...v, dev: true, devOptional: undefined };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(
    join(dir, 'package-lock.json'),
    `${JSON.stringify({ name, version: '1.0.0', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
  for (const [file, text] of Object.entries(opts.files ?? {})) writeFileSync(join(dir, file), text);
  await run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    env: { ...process.env, npm_config_update_notifier: 'false' },
    maxBuffer: 16 * 1024 * 1024,
  });
  return dir;
}

/** Run a command in a consumer project; resolves with its exit code and output (never rejects). */
export async function runIn(
  dir: string,
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(cmd, args, {
      cwd: dir,
      env: { ...process.env, ...env, npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 120_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number | string; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(err),
    };
  }
}
