/**
 * `airudder-emulator schemas [--list] [--out <dir>] [--openapi <file>]`: list the vendor message
 * schemas, copy them out as they are, and write an OpenAPI 3.1 document of the emulated API with
 * the callbacks as `webhooks`. Without options it lists. Exit 0 on success, 2 on a usage error or
 * a file that cannot be written.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { makeDirs } from '../../core/make-dirs.ts';
import { dirname, join, resolve } from 'node:path';
import { yaml } from '../../core/lazy-packages.ts';
import { buildOpenApi, summarizeSchemas } from '../../contract/openapi.ts';
import { PACKAGE_JSON, SCHEMA_DIR } from '../../assets.ts';
import { schemas } from '../../contract/registry.ts';
import { documentedRoutes } from '../../http/documented-routes.ts';
import { cannotWrite, parseCommandArgs, UsageError, usageFailure } from '../args.ts';
import { processIO, type CliIO } from '../io.ts';

export const SCHEMAS_USAGE = `Usage: airudder-emulator schemas [--list] [--out <dir>] [--openapi <file>]

Lists the JSON Schemas (draft 2020-12) of every AIRUDDER message, exports them, and writes an
OpenAPI 3.1 document of the emulated API (paths under /service/cloud/..., callbacks as webhooks).

Options:
  --list              name, title, fidelity mark and one-line description of each schema
                      (the default when no option is given)
  --out <dir>         copy every schemas/*.schema.json into <dir> (created if missing)
  --openapi <file>    write the OpenAPI 3.1 document: YAML when <file> ends .yaml/.yml, else JSON;
                      "-" writes JSON to stdout
  -h, --help          this text

Exit code: 0 done, 2 usage error or a file that cannot be written.
`;

function packageVersion(): string {
  return (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}

function listText(): string {
  const rows = summarizeSchemas(schemas());
  const w = (k: 'name' | 'title' | 'fidelity') => Math.max(...rows.map((r) => r[k].length));
  const [wn, wt, wf] = [w('name'), w('title'), w('fidelity')];
  return rows
    .map((r) => `${r.name.padEnd(wn)}  ${r.title.padEnd(wt)}  ${r.fidelity.padEnd(wf)}  ${r.description}`)
    .join('\n')
    .concat('\n');
}

function writeSchemas(dir: string): number {
  makeDirs(dir);
  const names = schemas().names();
  // Byte-for-byte copies: the files are the contract, with their $ids and examples.
  for (const name of names)
    copyFileSync(join(SCHEMA_DIR, `${name}.schema.json`), join(dir, `${name}.schema.json`));
  return names.length;
}

function openApiText(file: string): string {
  const doc = buildOpenApi({ registry: schemas(), routes: documentedRoutes(), version: packageVersion() });
  // aliasDuplicateObjects off: YAML anchors would surprise OpenAPI tools and diff badly.
  if (/\.ya?ml$/i.test(file)) return yaml().stringify(doc, { aliasDuplicateObjects: false, lineWidth: 0 });
  return `${JSON.stringify(doc, null, 2)}\n`;
}

export async function run(argv: string[], io: CliIO = processIO()): Promise<number> {
  let values: { list?: boolean; out?: string; openapi?: string; help?: boolean };
  try {
    ({ values } = parseCommandArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        list: { type: 'boolean' },
        out: { type: 'string' },
        openapi: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(io, 'schemas', err.message);
    throw err;
  }
  if (values.help) {
    io.stdout.write(SCHEMAS_USAGE);
    return 0;
  }
  const nothingAsked = values.out === undefined && values.openapi === undefined;

  if (values.list || nothingAsked) io.stdout.write(listText());
  if (nothingAsked && !values.list) {
    io.stdout.write('\nExport them with --out <dir>, or an OpenAPI 3.1 document with --openapi <file>.\n');
  }
  let flag: 'out' | 'openapi' = 'out';
  try {
    if (values.out !== undefined) {
      const n = writeSchemas(resolve(io.cwd, values.out));
      io.stderr.write(`wrote ${n} schemas to ${values.out}\n`);
    }
    flag = 'openapi';
    if (values.openapi !== undefined) {
      const text = openApiText(values.openapi);
      if (values.openapi === '-') io.stdout.write(text);
      else {
        const file = resolve(io.cwd, values.openapi);
        makeDirs(dirname(file));
        writeFileSync(file, text);
        io.stderr.write(`wrote OpenAPI 3.1 document to ${values.openapi}\n`);
      }
    }
  } catch (err) {
    io.stderr.write(`airudder-emulator schemas: ${cannotWrite(flag, String(values[flag]), err)}\n`);
    return 2;
  }
  return 0;
}
