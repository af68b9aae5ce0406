/**
 * `npm run bench`: runs every bench/*.ts module that exports `bench()` and prints one table.
 * A result with a goal is checked: ">= 0.6" / "<= 2" (a bare number means ">=") on its ratio, or
 * on its value when it has no ratio or the goal names a unit (">= 30000 payloads/s"). The exit
 * code is 1 when a goal is missed.
 */
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { pathToFileURL } from 'node:url';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** The comparison's value in the same unit, when there is one. */
  baseline?: number;
  /** value / baseline. */
  ratio?: number;
  /** e.g. ">= 0.6" or "<= 2" (on the ratio when present, else on the value). */
  goal?: string | number;
}

export function meetsGoal(r: BenchResult): boolean | undefined {
  if (r.goal === undefined) return undefined;
  const m = /^\s*(>=|<=|>|<)?\s*([\d.,]+)\s*(.*)$/.exec(String(r.goal));
  if (!m) return undefined;
  const target = Number(m[2]!.replace(/,/g, ''));
  // A goal with a unit ("30000 payloads/s") is about the value; a bare number about the ratio.
  const subject = m[3] !== '' || r.ratio === undefined ? r.value : r.ratio;
  switch (m[1] ?? '>=') {
    case '>=':
      return subject >= target;
    case '<=':
      return subject <= target;
    case '>':
      return subject > target;
    default:
      return subject < target;
  }
}

const fmt = (n: number | undefined, digits = 0) =>
  n === undefined
    ? ''
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function main(): Promise<number> {
  const dir = import.meta.dirname;
  // Flags (`--huge`) are for the modules; other arguments name the modules to run.
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
    .filter((f) => only.length === 0 || only.includes(basename(f, '.ts')))
    .sort();
  const rows: (BenchResult & { module: string })[] = [];
  for (const f of files) {
    const mod = (await import(pathToFileURL(`${dir}/${f}`).href)) as { bench?: () => Promise<BenchResult[]> };
    if (typeof mod.bench !== 'function') continue;
    process.stderr.write(`bench ${f} ...\n`);
    for (const r of await mod.bench()) rows.push({ ...r, module: basename(f, '.ts') });
  }
  const table = [
    ['benchmark', 'value', 'unit', 'baseline', 'ratio', 'goal', ''],
    ...rows.map((r) => {
      const ok = meetsGoal(r);
      return [
        r.name,
        fmt(r.value, r.value < 100 ? 2 : 0),
        r.unit,
        fmt(r.baseline, r.baseline !== undefined && r.baseline < 100 ? 2 : 0),
        fmt(r.ratio, 2),
        r.goal === undefined ? '' : String(r.goal),
        ok === undefined ? '' : ok ? 'ok' : 'MISSED',
      ];
    }),
  ];
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const [i, row] of table.entries()) {
    process.stdout.write(
      `${row.map((cell, c) => (c === 0 || c === 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ')}\n`,
    );
    if (i === 0) process.stdout.write(`${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  }
  return rows.some((r) => meetsGoal(r) === false) ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exitCode = await main();
}
